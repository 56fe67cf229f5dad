"""Fictional demo content for the Readerfund demo newsroom, "The Northern Ledger".

Everything here was written for the Readerfund demo: the newsroom, the republic of Valdoria,
its people, places, companies and events are invented. Any resemblance to real persons,
outlets or news reports is coincidental. This module holds plain data only.
"""

NEWSROOM = {
    "name": "The Northern Ledger",
    "legal_name": "Northern Ledger Media Foundation",
    "tagline": "Independent reporting on Valdoria, paid for by readers, not advertisers.",
    "about": (
        "The Northern Ledger is an independent English-language newsroom founded by Valdorian "
        "journalists who left the country and now report from exile in Vellund. Our website is "
        "blocked in Valdoria. We carry no advertising and accept no money from governments or "
        "political parties. Our work is paid for by readers, which means no ad network follows you "
        "here."
    ),
}

SECTIONS = [
    {
        "slug": "news",
        "title": "News",
        "intro": (
            "Verified reporting on politics, the courts and public life in Valdoria and its "
            "diaspora."
        ),
    },
    {
        "slug": "economy",
        "title": "Economy",
        "intro": (
            "Energy, banking, trade and the Orlava river basin, followed through documents and "
            "data."
        ),
    },
    {
        "slug": "opinion",
        "title": "Opinion",
        "intro": (
            "Signed columns from our editors and contributors, clearly separated from our news "
            "reporting."
        ),
    },
    {
        "slug": "culture",
        "title": "Culture",
        "intro": (
            "Books, film, music and theatre from Valdoria and from the artists who had to leave it."
        ),
    },
]

AUTHORS = [
    {
        "name": "Lidia Corvan",
        "bio": (
            "Editor-in-chief of The Northern Ledger. She was deputy editor of a Sarvena daily for "
            "nine years before leading the newsroom into exile in 2022."
        ),
    },
    {
        "name": "Tomas Reiner",
        "bio": (
            "Politics and courts correspondent. He has covered every Valdorian election since 2010 "
            "and follows the Supreme Court from Vellund through lawyers and court records."
        ),
    },
    {
        "name": "Anka Serban",
        "bio": (
            "Economy editor, covering energy, banking and the Orlava river basin. She previously "
            "worked as an analyst at a Sarvena brokerage."
        ),
    },
    {
        "name": "Pavel Ostrik",
        "bio": (
            "Investigations editor. His work on public procurement and offshore trading has been "
            "cited in parliamentary inquiries across the Northern Trade Council."
        ),
    },
    {
        "name": "Nadia Ferenc",
        "bio": (
            "Culture editor. She writes about books, film and theatre, and about artists working "
            "inside Valdoria and in exile."
        ),
    },
    {
        "name": "Emil Sadowy",
        "bio": (
            "Reporter and photographer covering the border regions and the Valdorian communities "
            "in Kestria."
        ),
    },
    {
        "name": "Ruth Ambler",
        "bio": (
            "Standards editor and columnist. A former courts reporter, she now handles corrections "
            "and reader complaints and writes about how the newsroom works."
        ),
    },
]

ARTICLES = [
    {
        "slug": "regulator-orders-block-of-northern-ledger-site",
        "section": "news",
        "headline": "Valdorian regulator orders internet providers to block The Northern Ledger",
        "standfirst": (
            "The Communications Oversight Service said the site spread 'unreliable information'. "
            "Readers inside Valdoria reported losing access within hours."
        ),
        "authors": ["Tomas Reiner"],
        "tags": ["press freedom", "censorship", "exile"],
        "published": "2026-08-03T09:15",
        "updated": None,
        "image": {
            "caption": (
                "The newsroom of The Northern Ledger in Vellund on the morning the block took "
                "effect."
            ),
            "credit": "Emil Sadowy / Northern Ledger",
            "hue": 212,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdoria's Communications Oversight Service on Monday ordered all internet "
                    "providers in the country to block access to The Northern Ledger, according to "
                    "a notice published on the regulator's website and a copy of the order sent to "
                    "providers and seen by this newsroom."
                ),
            ),
            (
                "paragraph",
                (
                    "The notice, signed by the service's deputy director, Konrad Vell, said the "
                    'site had published "unreliable information of public significance" about the '
                    "upcoming regional elections. It did not identify any specific article. "
                    "Providers were given 24 hours to comply."
                ),
            ),
            (
                "paragraph",
                (
                    "By Monday evening, readers in Sarvena, Karsk and Drevna told The Northern "
                    "Ledger that the site no longer loaded on home and mobile connections. Traffic "
                    "from Valdorian networks fell by roughly 70 percent within six hours, "
                    "according to the newsroom's own server logs, which record the country of a "
                    "connection but not the identity of readers."
                ),
            ),
            ("subhead", "No prior warning"),
            (
                "paragraph",
                (
                    "The regulator did not contact the newsroom before issuing the order, and the "
                    "Ledger has not received a copy of any court decision authorising the block. "
                    "Under Valdoria's 2023 law on information security, the service may restrict "
                    "access to foreign-registered sites without a court hearing if it considers "
                    "their content a threat to public order."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "We were not asked a single question about a single article. A regulator "
                        "that cannot name what it objects to is not correcting errors. It is "
                        "removing a source."
                    ),
                    "attribution": "Lidia Corvan, editor-in-chief of The Northern Ledger",
                },
            ),
            (
                "paragraph",
                (
                    "The Northern Ledger has been registered in Kestria since 2022, when most of "
                    "its staff left Valdoria after police searched the homes of two editors. Its "
                    "journalists continue to report on Valdoria through sources in the country, "
                    "public records and court filings."
                ),
            ),
            (
                "paragraph",
                (
                    "The Communications Oversight Service did not respond to written questions "
                    "sent on Monday afternoon. A spokesman for the Ministry of Digital Affairs "
                    'told state television that the block was "a routine technical measure" and '
                    'that Valdorian citizens had "many reliable sources of news".'
                ),
            ),
            ("subhead", "What readers can do"),
            (
                "paragraph",
                (
                    "The newsroom said it would keep publishing as normal and would send its main "
                    "stories by email to subscribers. It also published guidance on reaching the "
                    "site through mirror addresses and privacy tools. Several other independent "
                    "Valdorian outlets have been blocked under the same law since 2023; most "
                    "remain accessible to readers who use such tools."
                ),
            ),
        ],
    },
    {
        "slug": "electoral-commission-bars-opposition-candidates",
        "section": "news",
        "headline": (
            "Electoral commission bars 41 opposition candidates from November regional polls"
        ),
        "standfirst": (
            "Most of those excluded belong to Open Valdoria. The commission cited errors in "
            "signature sheets; the party says the checks were applied selectively."
        ),
        "authors": ["Tomas Reiner"],
        "tags": ["elections", "courts"],
        "published": "2026-08-11T10:40",
        "updated": None,
        "image": {
            "caption": "Ballot boxes stored at a district election office in Drevna.",
            "credit": "Valdorian State Archive",
            "hue": 28,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdoria's Central Electoral Commission has refused to register 41 candidates "
                    "for the regional elections on November 1, most of them from the opposition "
                    "party Open Valdoria, according to decisions published on the commission's "
                    "website late on Monday."
                ),
            ),
            (
                "paragraph",
                (
                    "The commission said the candidates had submitted signature sheets containing "
                    "invalid entries, including signatures from voters who did not live in the "
                    "relevant district and sheets that had not been properly certified. Under the "
                    "electoral code, a candidate is excluded if more than 5 percent of submitted "
                    "signatures are ruled invalid."
                ),
            ),
            (
                "paragraph",
                (
                    "Of the 41 rejected candidates, 33 were nominated by Open Valdoria, five ran "
                    "as independents and three belonged to smaller parties. No candidates from the "
                    "ruling Unity and Order party were excluded, according to a tally by The "
                    "Northern Ledger of all 212 published decisions."
                ),
            ),
            ("subhead", "Disputed signatures"),
            (
                "paragraph",
                (
                    "Open Valdoria's leader, Teodora Vasc, said the party had checked every "
                    "signature against the public voter register before submission. She said "
                    "handwriting experts hired by the commission had rejected entries without "
                    "contacting the voters who signed them."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Our volunteers knocked on every door twice. If the commission believes "
                        "these people do not exist, it can ask them. It chose not to."
                    ),
                    "attribution": "Teodora Vasc, leader of Open Valdoria",
                },
            ),
            (
                "paragraph",
                (
                    "The commission's chairman, Gavril Ennes, told reporters in Sarvena that the "
                    "rules applied equally to all parties and that the rejected candidates had the "
                    'right to appeal. "The law does not know party colours," he said.'
                ),
            ),
            (
                "paragraph",
                (
                    "Election observers from the Kestrian Civic Monitoring Network said the "
                    "proportion of rejected signatures was unusually high compared with previous "
                    "regional polls. In 2022, the commission excluded nine candidates nationwide."
                ),
            ),
            (
                "paragraph",
                (
                    "The exclusions fall hardest on some of the most closely watched contests. In "
                    "Karsk, where Open Valdoria came second in 2022, the party will now have "
                    "candidates in only three of fourteen districts. Its list in Drevna, where it "
                    "has its strongest local organisation, was registered in full."
                ),
            ),
            (
                "paragraph",
                (
                    "Open Valdoria said it would appeal all 33 decisions to the Supreme Court. "
                    "Appeals must be filed within ten days, and the court is required by law to "
                    "rule before ballots are printed in early October. Lawyers for the party said "
                    "they would ask the court to order a fresh, independent check of a sample of "
                    "the disputed signatures."
                ),
            ),
        ],
    },
    {
        "slug": "justice-ministry-lists-ledger-journalists-as-foreign-agents",
        "section": "news",
        "headline": (
            "Justice ministry adds seven Northern Ledger journalists to 'foreign agents' register"
        ),
        "standfirst": (
            "The designation requires the journalists to label everything they publish and to file "
            "quarterly financial reports to Valdorian authorities."
        ),
        "authors": ["Tomas Reiner", "Ruth Ambler"],
        "tags": ["press freedom", "courts", "exile"],
        "published": "2026-08-19T13:20",
        "updated": "2026-08-20T08:45",
        "image": {
            "caption": "The Ministry of Justice building in central Sarvena.",
            "credit": "Valdorian State Archive",
            "hue": 0,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdoria's Ministry of Justice on Wednesday added seven journalists from The "
                    'Northern Ledger to its register of "persons acting under foreign influence", '
                    "a list the government has maintained since 2024 and which now includes more "
                    "than 300 names."
                ),
            ),
            (
                "paragraph",
                (
                    "Among those listed are the newsroom's editor-in-chief, Lidia Corvan, its "
                    "investigations editor, Pavel Ostrik, and its economy editor, Anka Serban. The "
                    "ministry's statement said the journalists had received funding from abroad "
                    'and had "carried out political activity" by publishing material about the '
                    "regional elections."
                ),
            ),
            ("subhead", "What the designation means"),
            (
                "paragraph",
                (
                    "People on the register must mark every publication, including social media "
                    "posts, with a long disclaimer, and must submit quarterly reports on their "
                    "income and spending to the ministry. Failure to comply can lead to fines and, "
                    "after repeated violations, criminal prosecution with a maximum penalty of two "
                    "years in prison."
                ),
            ),
            (
                "paragraph",
                (
                    "None of the seven journalists lives in Valdoria. Lawyers said the designation "
                    "would nonetheless affect relatives who remain in the country, and could be "
                    "used to justify seizing property or freezing bank accounts held there."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "The money that pays our salaries comes from thousands of readers, many of "
                        "them Valdorian. If that is foreign influence, then the ministry has a "
                        "strange idea of who is foreign."
                    ),
                    "attribution": "Lidia Corvan, editor-in-chief",
                },
            ),
            (
                "paragraph",
                (
                    "The Northern Ledger publishes an annual breakdown of its income. In its most "
                    "recent report, for 2025, 81 percent of revenue came from individual reader "
                    "contributions, 14 percent from foundation grants for specific projects and 5 "
                    "percent from events and book sales. It has carried no advertising since 2024."
                ),
            ),
            (
                "paragraph",
                (
                    'A ministry spokeswoman, Irena Holt, said the register was "a transparency '
                    'measure, not a punishment" and that listed persons could challenge their '
                    "inclusion in court. The newsroom said it would not add the required "
                    "disclaimer to its reporting and would contest the designation through its "
                    "lawyers in Sarvena."
                ),
            ),
            (
                "paragraph",
                (
                    "The Valdorian Journalists' Association, which is based in Vellund, said at "
                    "least 46 journalists were now on the register. It said several listed "
                    "reporters who still lived in Valdoria had stopped working after banks closed "
                    "their accounts, and that others had left the country within weeks of being "
                    "designated."
                ),
            ),
            (
                "paragraph",
                (
                    "<i>Update, August 20: This article has been updated to include the ministry "
                    "spokeswoman's comments, which were provided after publication, and to correct "
                    "the number of names on the register, which the ministry gave as 312.</i>"
                ),
            ),
        ],
    },
    {
        "slug": "readers-turn-to-vpns-as-authorities-target-providers",
        "section": "news",
        "headline": "Readers turn to VPNs after block, as authorities move against the services",
        "standfirst": (
            "Downloads of privacy tools rose sharply in Valdoria in August. The regulator has now "
            "asked app stores to remove a dozen of them."
        ),
        "authors": ["Emil Sadowy"],
        "tags": ["censorship", "press freedom", "reader support"],
        "published": "2026-09-02T09:45",
        "updated": None,
        "image": {
            "caption": "A reader in Karsk opens the Ledger on a phone through a VPN connection.",
            "credit": "Reader photo / Northern Ledger",
            "hue": 265,
        },
        "body": [
            (
                "paragraph",
                (
                    "A month after Valdoria's communications regulator ordered internet providers "
                    "to block The Northern Ledger, roughly two-thirds of the readers the newsroom "
                    "lost on the first day have returned, most of them through virtual private "
                    "networks, according to the newsroom's aggregate traffic figures."
                ),
            ),
            (
                "paragraph",
                (
                    "Those figures do not identify individual readers. They show the number of "
                    "daily visits from Valdorian networks recovering from about 14,000 in the week "
                    "after the block to more than 30,000 by the end of August, compared with about "
                    "46,000 before it."
                ),
            ),
            (
                "paragraph",
                (
                    "Readers who spoke to The Northern Ledger on condition that their names not be "
                    "published described installing VPN apps on their phones for the first time. A "
                    'retired engineer in Karsk said his granddaughter had set one up for him. "I '
                    'read the same news as before," he said. "It just takes a little longer to '
                    'load."'
                ),
            ),
            ("subhead", "Pressure on app stores"),
            (
                "paragraph",
                (
                    "On Friday, the Communications Oversight Service said it had asked two major "
                    "app stores to remove twelve VPN services from their Valdorian catalogues, "
                    "according to a statement on its website. The regulator said the services "
                    'allowed users to reach "resources restricted under Valdorian law".'
                ),
            ),
            (
                "paragraph",
                (
                    "Using a VPN is not itself illegal in Valdoria. Since 2024, however, providers "
                    "are required to connect to a state registry of blocked sites and to stop "
                    "users reaching them. Most foreign providers have refused, and several have "
                    "already been removed from app stores."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Every time a tool is blocked, two new ones appear. The regulator can make "
                        "access slower and more annoying. It has not been able to make it "
                        "impossible."
                    ),
                    "attribution": (
                        "Jana Orlik, a digital security trainer who works with Valdorian "
                        "journalists"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "The newsroom has responded by expanding its email edition, which now reaches "
                    "about 52,000 subscribers, and by publishing its main stories on mirror sites. "
                    "The email edition was built with reader contributions raised after the block, "
                    "the newsroom said."
                ),
            ),
            (
                "paragraph",
                (
                    "The Northern Ledger does not collect data that could identify readers who "
                    "reach the site through such tools. It has loaded no third-party tracking code "
                    "on its pages since it dropped advertising in 2024, and its email edition does "
                    "not record whether or when a message is opened."
                ),
            ),
            (
                "paragraph",
                (
                    "Digital rights groups advise readers to download privacy tools only from "
                    "official sources and to avoid free services that do not explain how they make "
                    "money, as some have been found to sell user data."
                ),
            ),
        ],
    },
    {
        "slug": "two-years-without-advertising-how-readers-fund-the-ledger",
        "section": "news",
        "headline": "Two years without ads: how readers came to pay for The Northern Ledger",
        "standfirst": (
            "The newsroom dropped all advertising in 2024 so that no ad network could track its "
            "readers. Reader contributions now cover most of its costs."
        ),
        "authors": ["Lidia Corvan"],
        "tags": ["reader support", "press freedom", "exile"],
        "published": "2026-09-15T10:00",
        "updated": None,
        "image": {
            "caption": "Staff of The Northern Ledger at the weekly planning meeting in Vellund.",
            "credit": "Emil Sadowy / Northern Ledger",
            "hue": 145,
        },
        "body": [
            (
                "paragraph",
                (
                    "In March 2024, The Northern Ledger removed every advertisement from its "
                    "website and apps. The decision was not made for commercial reasons. It came "
                    "after the newsroom's security advisers found that the advertising networks "
                    "running on the site collected data that could, in principle, be obtained by "
                    "Valdorian authorities to identify readers."
                ),
            ),
            (
                "paragraph",
                (
                    "Advertising then brought in about a fifth of the newsroom's income. The "
                    "editors asked readers to replace it. This article explains what happened "
                    "next, and where the money goes."
                ),
            ),
            ("subhead", "The decision"),
            (
                "paragraph",
                (
                    "Most online advertising works by recording which pages a visitor reads and "
                    "sharing that information with dozens of companies that bid to show them an "
                    "ad. For a reader in Sarvena or Drevna, that record can be sensitive. An "
                    "independent audit commissioned by the newsroom in 2023 found 38 third-party "
                    "services loading on a typical article page."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "We could not promise readers that their reading habits were safe while we "
                        "were selling them to companies we had never heard of. So we stopped."
                    ),
                    "attribution": "Lidia Corvan, editor-in-chief",
                },
            ),
            (
                "paragraph",
                (
                    "Today the site loads no third-party trackers. It counts visits with a "
                    "self-hosted tool that stores no personal identifiers and deletes raw logs "
                    "after seven days."
                ),
            ),
            ("subhead", "Where the money comes from"),
            (
                "paragraph",
                (
                    "In the first year without advertising, income fell by 11 percent and the "
                    "newsroom postponed two planned hires. Contributions then grew steadily. In "
                    "2025, about 9,400 readers gave money regularly, most of them between five and "
                    "fifteen Kestrian marks a month. Reader contributions made up 81 percent of "
                    "revenue."
                ),
            ),
            (
                "paragraph",
                (
                    "Many regular supporters live outside Valdoria, in Kestria and elsewhere. "
                    "Contributions from inside the country have become harder since Valdorian "
                    "banks began blocking payments to organisations the government considers "
                    "undesirable. The newsroom does not publish any information that could "
                    "identify individual donors."
                ),
            ),
            (
                "paragraph",
                (
                    "Readers who want to support the newsroom from inside Valdoria are advised not "
                    "to use domestic bank cards, which can leave a record of the payment with "
                    "Valdorian banks. The newsroom's support page explains safer options, and "
                    "staff answer questions from readers by encrypted email."
                ),
            ),
            (
                "paragraph",
                (
                    "The money pays for 23 staff and about 40 freelance contributors, legal "
                    "defence, and the security tools that keep the site reachable. The newsroom's "
                    "full annual accounts are audited in Kestria and published every spring."
                ),
            ),
        ],
    },
    {
        "slug": "supreme-court-upholds-exclusion-of-opposition-candidates",
        "section": "news",
        "headline": "Supreme Court upholds exclusion of opposition candidates in closed hearing",
        "standfirst": (
            "The court rejected all 33 appeals by Open Valdoria in a single day. Lawyers said they "
            "were not allowed to present handwriting evidence."
        ),
        "authors": ["Tomas Reiner"],
        "tags": ["courts", "elections"],
        "published": "2026-09-24T16:10",
        "updated": None,
        "image": {
            "caption": "The entrance to the Supreme Court of Valdoria in Sarvena.",
            "credit": "Valdorian State Archive",
            "hue": 350,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdoria's Supreme Court on Thursday rejected appeals by 33 opposition "
                    "candidates who had been barred from the November 1 regional elections, "
                    "confirming decisions by the Central Electoral Commission that removed most of "
                    "Open Valdoria's candidates from the ballot."
                ),
            ),
            (
                "paragraph",
                (
                    "The hearings, held before a panel of three judges chaired by Justice Halina "
                    "Dorsz, were closed to the public and the press on the grounds that the case "
                    "files contained voters' personal data. A lawyer for the party, Aron Mikes, "
                    "said each appeal was heard in about fifteen minutes."
                ),
            ),
            (
                "paragraph",
                (
                    "Lawyers said the court declined to admit reports from two independent "
                    "handwriting experts, who had examined a sample of 600 disputed signatures and "
                    "concluded that more than 90 percent appeared genuine. The court's written "
                    "decisions, published on Thursday evening, said the reports had been submitted "
                    "after the deadline."
                ),
            ),
            ("subhead", "A familiar outcome"),
            (
                "paragraph",
                (
                    "Since 2020, the Supreme Court has ruled against the opposition in every "
                    "election-related appeal that reached it, according to a review of published "
                    "decisions by The Northern Ledger. The court upheld one appeal by an "
                    "independent candidate in 2022."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "The court did not find that the signatures were false. It found that it "
                        "did not need to look at them. That is a different thing."
                    ),
                    "attribution": "Aron Mikes, lawyer for Open Valdoria",
                },
            ),
            (
                "paragraph",
                (
                    'A spokesman for the court said the judges had acted "strictly within the '
                    'procedure set out by the electoral code" and that the deadlines applied to '
                    "all parties. The Central Electoral Commission welcomed the ruling in a brief "
                    "statement."
                ),
            ),
            (
                "paragraph",
                (
                    "Open Valdoria's leader, Teodora Vasc, said the party would not call for a "
                    "boycott. Instead, it will ask supporters to vote for the remaining opposition "
                    "candidates where they are on the ballot, and to serve as independent "
                    "observers at polling stations."
                ),
            ),
            (
                "paragraph",
                (
                    "Legal scholars have long criticised the way Valdorian judges are appointed. "
                    "Since a 2019 constitutional amendment, members of the Supreme Court have been "
                    "nominated by the president and confirmed by parliament for renewable six-year "
                    "terms, which critics say makes each judge's reappointment dependent on the "
                    "government's approval."
                ),
            ),
            (
                "paragraph",
                (
                    "The decisions are final under Valdorian law. The party said it would file "
                    "complaints with the election monitoring body of the Northern Trade Council, "
                    "which has no power to overturn them but publishes assessments of elections in "
                    "member and neighbouring states."
                ),
            ),
        ],
    },
    {
        "slug": "mirolt-dam-release-floods-downstream-villages",
        "section": "news",
        "headline": (
            "Dam release on the Orlava floods downstream villages, residents say without warning"
        ),
        "standfirst": (
            "Orlava Hydro opened the spillways at the Mirolt dam after days of heavy rain. Around "
            "400 homes were flooded in three villages below the dam."
        ),
        "authors": ["Emil Sadowy", "Anka Serban"],
        "tags": ["river basin", "energy"],
        "published": "2026-10-06T06:50",
        "updated": "2026-10-07T11:30",
        "image": {
            "caption": (
                "Floodwater in the village of Ostrin, below the Mirolt dam, on Monday afternoon."
            ),
            "credit": "Reader photo / Northern Ledger",
            "hue": 195,
        },
        "body": [
            (
                "paragraph",
                (
                    "Floodwater reached about 400 homes in three villages on the Orlava river on "
                    "Sunday and Monday, after the state-owned company Orlava Hydro opened the "
                    "spillways of the Mirolt dam following four days of heavy rain, local "
                    "officials and residents said."
                ),
            ),
            (
                "paragraph",
                (
                    "The villages of Ostrin, Pelka and Lower Mirolt lie between eight and twenty "
                    "kilometres downstream of the dam. Residents told The Northern Ledger by phone "
                    "that water rose by more than a metre in some streets within three hours on "
                    "Sunday night. No deaths have been reported. Regional emergency services said "
                    "36 people were evacuated by boat."
                ),
            ),
            ("subhead", "Questions over warnings"),
            (
                "paragraph",
                (
                    "Several residents said they had received no warning before the release. The "
                    "regional administration said text alerts were sent to phones in the area at 9 "
                    "p.m. on Sunday, about forty minutes before water levels began to rise. "
                    "Residents in Pelka said mobile coverage in the village was poor and that many "
                    "older people did not receive the message."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "The siren on the old school has not worked for years. We heard the water "
                        "before we heard anything from the authorities."
                    ),
                    "attribution": "Marta Grel, a resident of Pelka",
                },
            ),
            (
                "paragraph",
                (
                    "Orlava Hydro said in a statement that the release was necessary to protect "
                    "the dam after inflows reached their highest level since 2011, and that it had "
                    'informed regional authorities "in accordance with the approved protocol". The '
                    "company did not answer questions about when it had decided to open the "
                    "spillways."
                ),
            ),
            (
                "paragraph",
                (
                    "Hydrologists have warned for years that the reservoir is kept too full in "
                    "autumn in order to maximise electricity output over the winter. A 2019 study "
                    "by the Sarvena Institute of Water Management recommended lowering the autumn "
                    "level by two metres; the recommendation was not adopted."
                ),
            ),
            (
                "paragraph",
                (
                    "The energy ministry said on Monday that compensation would be paid to "
                    "affected households and that an inquiry would examine the timing of the "
                    "warnings. Residents said they had heard similar promises after smaller floods "
                    "in 2017 and 2021."
                ),
            ),
            (
                "paragraph",
                (
                    "<i>Update, October 7: This article has been updated with the number of homes "
                    "affected, which the regional administration revised from about 300 to about "
                    "400, and to include the energy ministry's statement on compensation.</i>"
                ),
            ),
        ],
    },
    {
        "slug": "freelance-photographer-detained-at-gorin-border-crossing",
        "section": "news",
        "headline": (
            "Freelance photographer detained at Gorin border crossing on return to Valdoria"
        ),
        "standfirst": (
            "Marta Kell, who has worked for several exile outlets including The Northern Ledger, "
            "is being held on suspicion of 'assisting an undesirable organisation'."
        ),
        "authors": ["Emil Sadowy"],
        "tags": ["press freedom", "exile", "courts"],
        "published": "2026-10-20T18:05",
        "updated": None,
        "image": {
            "caption": (
                "The Gorin crossing on the Valdorian-Kestrian border, photographed from the "
                "Kestrian side."
            ),
            "credit": "Emil Sadowy / Northern Ledger",
            "hue": 40,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdorian border guards detained the freelance photographer Marta Kell on "
                    "Sunday as she crossed from Kestria at the Gorin checkpoint, her family and "
                    "lawyer said. She was taken to Karsk, where a court on Monday ordered her held "
                    "for two months pending investigation."
                ),
            ),
            (
                "paragraph",
                (
                    "Ms Kell, 34, has photographed for several independent Valdorian outlets based "
                    "abroad, including The Northern Ledger, which has published her work from the "
                    "Orlava valley since 2023. She was travelling to visit her mother, who is ill, "
                    "her brother said."
                ),
            ),
            (
                "paragraph",
                (
                    "According to the detention order, which was read to her lawyer in court, Ms "
                    'Kell is suspected of "assisting an undesirable organisation", an offence '
                    "punishable by up to four years in prison. The order did not name the "
                    "organisation. The Northern Ledger was not declared undesirable, but two other "
                    "outlets she has worked for have been."
                ),
            ),
            ("subhead", "Phone and cameras seized"),
            (
                "paragraph",
                (
                    "Her lawyer, Stefan Orda, said investigators had seized her phone, two cameras "
                    "and a laptop, and had questioned her for seven hours without a lawyer present "
                    "before the court hearing. He said he would appeal the detention order."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "She is a photographer. She takes pictures of rivers, of factories, of "
                        "people's faces. Nothing in this file shows anything else."
                    ),
                    "attribution": "Stefan Orda, Marta Kell's lawyer",
                },
            ),
            (
                "paragraph",
                (
                    "The Karsk regional prosecutor's office confirmed that a criminal case had "
                    "been opened but declined to comment further, citing the confidentiality of "
                    "the investigation."
                ),
            ),
            (
                "paragraph",
                (
                    "Press freedom groups in Kestria called for her release. At least five "
                    "journalists and media workers have been detained on entering Valdoria since "
                    "the start of 2025, according to a count by the Vellund-based Valdorian "
                    "Journalists' Association. Three have since been released."
                ),
            ),
            (
                "paragraph",
                (
                    "Ms Kell's brother, Andrei Kell, said the family had been allowed to pass her "
                    'a parcel of clothes but had not been able to speak to her since Sunday. "She '
                    'told us she would be back in Vellund in a week," he said. "We did not think a '
                    'visit to our mother could end like this."'
                ),
            ),
            (
                "paragraph",
                (
                    "The Northern Ledger said it was in contact with Ms Kell's family and would "
                    "support her legal defence. The newsroom advises its contributors not to "
                    "travel to Valdoria and did not commission the trip."
                ),
            ),
        ],
    },
    {
        "slug": "unity-and-order-wins-regional-elections-low-turnout",
        "section": "news",
        "headline": "Unity and Order wins all twelve regions as turnout falls to record low",
        "standfirst": (
            "Official figures put turnout at 38 percent. Independent observers recorded "
            "irregularities at about one in ten polling stations they visited."
        ),
        "authors": ["Tomas Reiner"],
        "tags": ["elections", "censorship"],
        "published": "2026-11-02T07:20",
        "updated": "2026-11-02T19:10",
        "image": {
            "caption": (
                "Election officials count ballots at a polling station in Sarvena on Sunday night."
            ),
            "credit": "Valdorian State Archive",
            "hue": 15,
        },
        "body": [
            (
                "paragraph",
                (
                    "The ruling Unity and Order party won a majority in all twelve regional "
                    "assemblies in Sunday's elections, according to preliminary results published "
                    "by the Central Electoral Commission on Monday morning. Turnout was 38 "
                    "percent, the lowest since regional elections were introduced in 2004."
                ),
            ),
            (
                "paragraph",
                (
                    "The party took 64 percent of the vote nationally, according to the "
                    "commission. Open Valdoria, which was able to field candidates in only a "
                    "minority of districts after dozens were excluded, received 17 percent. In "
                    "Drevna, where it ran a full list, it won 29 percent."
                ),
            ),
            ("subhead", "Observers' findings"),
            (
                "paragraph",
                (
                    "The Valdorian Civic Observers network, which sent about 1,800 volunteers to "
                    "polling stations, said it had recorded irregularities at roughly one in ten "
                    "of the stations it covered, including ballot boxes left unsealed, groups of "
                    "voters brought by bus from workplaces and observers being asked to leave "
                    "during the count."
                ),
            ),
            (
                "paragraph",
                (
                    "Observers in Karsk said that at several polling stations the number of "
                    "ballots in the box exceeded the number of signatures in the voter register. "
                    "The electoral commission said it had received 212 formal complaints and would "
                    "review them."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "The result was decided in August, when the candidates were removed. What "
                        "happened on Sunday was the administration of that decision."
                    ),
                    "attribution": "Teodora Vasc, leader of Open Valdoria",
                },
            ),
            (
                "paragraph",
                (
                    "President Aurel Stanek thanked voters in a televised address and said the "
                    'results showed "broad trust in stability". Prime Minister Miron Halvas said '
                    "the government would now turn to the 2027 budget."
                ),
            ),
            (
                "paragraph",
                (
                    "Coverage of the campaign on state television was dominated by the ruling "
                    "party, according to a monitoring report by the Kestrian Civic Monitoring "
                    "Network, which found that Unity and Order candidates received about 80 "
                    "percent of airtime on news programmes. Independent news sites, including The "
                    "Northern Ledger, remained blocked throughout the campaign."
                ),
            ),
            (
                "paragraph",
                (
                    "In Drevna, where teachers and heating workers have faced months of delayed "
                    "wages, Open Valdoria's share of the vote rose by nine points compared with "
                    "the previous regional election. Unity and Order nonetheless kept its majority "
                    "in the regional assembly, helped by seats in districts where no opposition "
                    "candidate had been registered."
                ),
            ),
            (
                "paragraph",
                (
                    "<i>Update, November 2, 19:10: This article has been updated with final "
                    "turnout figures and the number of complaints received by the electoral "
                    "commission.</i>"
                ),
            ),
        ],
    },
    {
        "slug": "drevna-teachers-strike-over-unpaid-wages",
        "section": "news",
        "headline": "Teachers in Drevna strike over three months of unpaid wages",
        "standfirst": (
            "About 2,000 teachers stayed away from classrooms on Monday. The regional "
            "administration blames delays in transfers from the national budget."
        ),
        "authors": ["Emil Sadowy", "Anka Serban"],
        "tags": ["labour", "budget"],
        "published": "2026-11-16T10:25",
        "updated": None,
        "image": {
            "caption": (
                "An empty classroom at a secondary school in Drevna on the first day of the strike."
            ),
            "credit": "Reader photo / Northern Ledger",
            "hue": 95,
        },
        "body": [
            (
                "paragraph",
                (
                    "About 2,000 teachers in the eastern city of Drevna went on strike on Monday "
                    "after not receiving their full salaries since August, according to the Drevna "
                    "Teachers' Association, which organised the action. Around 60 schools were "
                    "closed or running reduced timetables, parents said."
                ),
            ),
            (
                "paragraph",
                (
                    "The association said teachers had received only about 40 percent of their pay "
                    "for September and October, and nothing yet for November. The average "
                    "teacher's salary in the region is about 1,100 ostras a month, slightly below "
                    "the national average wage."
                ),
            ),
            ("subhead", "Budget shortfall"),
            (
                "paragraph",
                (
                    "The regional administration said the delays were caused by late transfers "
                    "from the national budget, which funds most teachers' salaries. Documents "
                    "published by the finance ministry show that transfers to regions were cut by "
                    "12 percent in the second half of the year, while spending on internal "
                    "security rose."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "We are not asking for a raise. We are asking to be paid for the work we "
                        "have already done."
                    ),
                    "attribution": "Olena Varsh, chair of the Drevna Teachers' Association",
                },
            ),
            (
                "paragraph",
                (
                    "Strikes by public employees are legal in Valdoria but must be announced ten "
                    "days in advance and approved by a labour inspectorate. The association said "
                    "it had followed the procedure. The regional prosecutor's office nevertheless "
                    "issued a warning to the association's leaders on Friday, saying the strike "
                    'could disrupt "the constitutional right to education".'
                ),
            ),
            (
                "paragraph",
                (
                    "The finance ministry said on Monday that the outstanding wages would be paid "
                    '"in the coming weeks" and that the delays were temporary. It did not give a '
                    "date. The draft 2027 budget, now before parliament, proposes a further cut to "
                    "regional transfers."
                ),
            ),
            (
                "paragraph",
                (
                    "Parents interviewed outside two schools in the city's northern district were "
                    "largely sympathetic. \"My son's teacher has been working a second job in a "
                    'warehouse," said one mother, who asked not to be named. "How is she supposed '
                    'to prepare lessons?"'
                ),
            ),
            (
                "paragraph",
                (
                    "The association said about 300 teachers had left the city's schools since the "
                    "start of the year, many of them for jobs in Kestria, where teachers' salaries "
                    "are several times higher. Head teachers said some classes were already being "
                    "taught by retired staff brought back on temporary contracts."
                ),
            ),
            (
                "paragraph",
                (
                    "Teachers in at least two other regions, Karsk and Lesk, have reported similar "
                    "delays, according to local unions. The association said the strike would "
                    "continue until wages for September and October were paid in full."
                ),
            ),
        ],
    },
    {
        "slug": "orlava-hydro-sold-power-below-cost-to-offshore-trader",
        "section": "economy",
        "headline": (
            "Orlava Hydro sold power below cost to a trader linked to the energy minister's family"
        ),
        "standfirst": (
            "Contracts seen by The Northern Ledger show the state hydropower company sold "
            "electricity at a discount to a firm registered in the Tessaline Islands."
        ),
        "authors": ["Anka Serban", "Pavel Ostrik"],
        "tags": ["energy", "river basin"],
        "published": "2026-08-07T07:00",
        "updated": None,
        "image": {
            "caption": "The turbine hall of the Mirolt hydroelectric plant on the Orlava river.",
            "credit": "Handout via Orlava Hydro",
            "hue": 185,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdoria's state-owned hydropower company, Orlava Hydro, sold electricity "
                    "worth at least 240 million ostras below its own production cost to a trading "
                    "company whose beneficial owners include relatives of Energy Minister Stefan "
                    "Korda, according to contracts and corporate records seen by The Northern "
                    "Ledger."
                ),
            ),
            (
                "paragraph",
                (
                    "The contracts, covering deliveries from 2023 to 2025, were signed with "
                    "Brightwater Energy Trading, a company registered in the Tessaline Islands. "
                    "Brightwater resold most of the electricity to industrial customers in "
                    "Valdoria and Kestria at market prices, the documents show."
                ),
            ),
            ("subhead", "A discount of 30 percent"),
            (
                "paragraph",
                (
                    "According to Orlava Hydro's own annual reports, its average production cost "
                    "in 2024 was 61 ostras per megawatt-hour. The contracts with Brightwater set a "
                    "price of 43 ostras, roughly 30 percent lower. Over the three years, "
                    "Brightwater bought about 13 terawatt-hours, the documents show."
                ),
            ),
            (
                "paragraph",
                (
                    "Corporate filings obtained from the Tessaline company registry list two "
                    "trusts as Brightwater's owners. Documents from a separate court case in "
                    "Kestria identify the beneficiaries of one trust as Elena Korda, the "
                    "minister's sister, and her husband, Anton Sandell."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "A state company selling below cost to a private trader is not a "
                        "commercial decision. It is a transfer of public money, and someone signed "
                        "off on it."
                    ),
                    "attribution": "Irma Lode, a former auditor at the Valdorian Court of Audit",
                },
            ),
            (
                "paragraph",
                (
                    "Orlava Hydro said in a written response that all its contracts were "
                    '"concluded on market terms following a competitive procedure". It did not '
                    "explain why the price was below its reported costs or name any other bidders. "
                    "The company said it could not comment on the ownership of its customers."
                ),
            ),
            (
                "paragraph",
                (
                    "Mr Korda did not respond to questions sent to the energy ministry. Ms Korda "
                    "and Mr Sandell could not be reached for comment. Brightwater's registered "
                    "agent in the Tessaline Islands said it did not comment on clients."
                ),
            ),
            (
                "paragraph",
                (
                    "The company's sales contracts are not published. Under a 2021 government "
                    "decree, the commercial terms of agreements signed by state energy companies "
                    "are classified as confidential, a measure that opposition deputies have "
                    "repeatedly and unsuccessfully asked parliament to reverse."
                ),
            ),
            (
                "paragraph",
                (
                    "Orlava Hydro generates about a third of Valdoria's electricity from six dams "
                    "on the Orlava and its tributaries. Its losses are covered by the state "
                    "budget, which transferred 1.1 billion ostras to the company in 2025."
                ),
            ),
        ],
    },
    {
        "slug": "karsk-potash-exports-rerouted-through-new-traders",
        "section": "economy",
        "headline": "Karsk potash exports rerouted through new traders after sanctions",
        "standfirst": (
            "Shipping records show Karsk Potash Works cargoes leaving the Orlava under the names "
            "of companies registered weeks before the first delivery."
        ),
        "authors": ["Pavel Ostrik"],
        "tags": ["sanctions", "river basin", "banking"],
        "published": "2026-08-27T08:30",
        "updated": None,
        "image": {
            "caption": "Barges loaded with potash at the river port of Karsk.",
            "credit": "Pavel Ostrik / Northern Ledger",
            "hue": 320,
        },
        "body": [
            (
                "paragraph",
                (
                    "Potash from Valdoria's largest fertiliser producer, Karsk Potash Works, has "
                    "continued to reach foreign buyers since the Northern Trade Council imposed "
                    "sanctions on the company in February, through a series of newly registered "
                    "trading firms, according to shipping records and customs data reviewed by The "
                    "Northern Ledger."
                ),
            ),
            (
                "paragraph",
                (
                    "The sanctions prohibit companies in the council's seven member states from "
                    "buying from or financing Karsk Potash Works. Before they took effect, the "
                    "company exported about 4 million tonnes a year, most of it by barge down the "
                    "Orlava to sea ports."
                ),
            ),
            ("subhead", "Eleven new companies"),
            (
                "paragraph",
                (
                    "Customs declarations for March to July list eleven companies as exporters of "
                    "Valdorian potash that did not appear in the data before the sanctions. Nine "
                    "were registered between December and February, in three different "
                    "jurisdictions, and share two addresses in Sarvena and the Tessaline Islands."
                ),
            ),
            (
                "paragraph",
                (
                    "Payments for the cargoes were processed through Sarvena Commercial Bank and "
                    "two smaller Valdorian banks, according to a person familiar with the "
                    "transactions who was not authorised to speak publicly. Sarvena Commercial "
                    "Bank is not itself under sanctions."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "The product is the same, the barges are the same, and the port is the "
                        "same. Only the name on the invoice has changed."
                    ),
                    "attribution": (
                        "A freight broker in Karsk, who asked not to be named for fear of losing "
                        "business"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    'Karsk Potash Works said in a statement that it sold its products "in full '
                    'compliance with Valdorian law" and that it was not responsible for the '
                    "subsequent movement of goods. None of the eleven trading companies responded "
                    "to requests for comment sent to their registered addresses."
                ),
            ),
            (
                "paragraph",
                (
                    "Export volumes have nonetheless fallen. Barge traffic through the Karsk locks "
                    "was about 35 percent lower in the first half of 2026 than a year earlier, "
                    "according to the river authority. Trade analysts said the traders were "
                    "selling at a steep discount to compensate buyers for the legal risk."
                ),
            ),
            (
                "paragraph",
                (
                    "Sanctions specialists said the use of newly created intermediaries was a "
                    "familiar pattern, and that enforcement depended on whether banks and shipping "
                    "insurers in member states checked the origin of a cargo rather than the name "
                    "of the seller. Two insurers contacted by The Northern Ledger declined to "
                    "comment."
                ),
            ),
            (
                "paragraph",
                (
                    "A spokesperson for the Northern Trade Council said it was aware of reports of "
                    "sanctions circumvention and that member states were responsible for "
                    "enforcement."
                ),
            ),
        ],
    },
    {
        "slug": "sarvena-commercial-bank-limits-foreign-currency-withdrawals",
        "section": "economy",
        "headline": (
            "Sarvena Commercial Bank limits foreign currency withdrawals as reserves tighten"
        ),
        "standfirst": (
            "Customers can now withdraw no more than 1,000 Kestrian marks a month. The central "
            "bank says the measure is temporary."
        ),
        "authors": ["Anka Serban"],
        "tags": ["banking", "sanctions", "budget"],
        "published": "2026-09-10T07:30",
        "updated": None,
        "image": {
            "caption": "Customers queue outside a Sarvena Commercial Bank branch in the capital.",
            "credit": "Reader photo / Northern Ledger",
            "hue": 55,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdoria's largest private lender, Sarvena Commercial Bank, has limited cash "
                    "withdrawals of foreign currency to the equivalent of 1,000 Kestrian marks per "
                    "customer per month, according to a notice sent to clients on Tuesday and "
                    "published on the bank's website."
                ),
            ),
            (
                "paragraph",
                (
                    "Customers who spoke to The Northern Ledger said branches in Sarvena and Karsk "
                    "had already been refusing larger withdrawals for about two weeks before the "
                    "notice was published. Queues formed outside several branches on Wednesday "
                    "morning, according to photographs sent by readers."
                ),
            ),
            ("subhead", "Pressure on reserves"),
            (
                "paragraph",
                (
                    'The bank said the limit was needed because of "logistical difficulties in the '
                    'supply of foreign banknotes". Economists said the underlying problem was a '
                    "shortage of foreign currency in the Valdorian economy after sanctions on "
                    "potash and other exports reduced the inflow of hard currency."
                ),
            ),
            (
                "paragraph",
                (
                    "According to data from the National Bank of Valdoria, the country's foreign "
                    "exchange reserves fell by 18 percent between January and August, to the "
                    "equivalent of about 4.2 months of imports. The ostra has lost about 14 "
                    "percent of its value against the Kestrian mark this year."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "When people see a limit at one bank, they go to the next one. The danger "
                        "is not the rule itself, it is the signal it sends."
                    ),
                    "attribution": "Milan Ester, an economist at the University of Vellund",
                },
            ),
            (
                "paragraph",
                (
                    "The central bank's governor, Ilse Marrow, said in a statement that the "
                    'measure was "temporary and proportionate" and that deposits in ostras were '
                    'fully protected. She said the banking system had "sufficient liquidity".'
                ),
            ),
            (
                "paragraph",
                (
                    "Savers have reason to be cautious. In 2015, a previous currency shortage led "
                    "several banks to convert foreign currency deposits into ostras at an official "
                    "rate well below the market rate, wiping out a large part of many households' "
                    "savings."
                ),
            ),
            (
                "paragraph",
                (
                    "Several smaller banks said they had no plans to introduce similar limits, "
                    "although customers in Karsk reported that some of their branches had run out "
                    "of Kestrian marks by Wednesday afternoon. Transfers between accounts and card "
                    "payments in foreign currency are not affected by the new rule, the bank said."
                ),
            ),
            (
                "paragraph",
                (
                    "The finance ministry's draft budget, due to be published next month, is "
                    "expected to assume an exchange rate of 9.5 ostras to the mark, a rate that "
                    "economists described as optimistic."
                ),
            ),
        ],
    },
    {
        "slug": "draft-2027-budget-cuts-regional-transfers-raises-security-spending",
        "section": "economy",
        "headline": (
            "Draft 2027 budget cuts transfers to regions and raises security spending by a quarter"
        ),
        "standfirst": (
            "The finance ministry's proposal would reduce funding for schools and hospitals in the "
            "regions while increasing the budget of the interior ministry."
        ),
        "authors": ["Anka Serban"],
        "tags": ["budget", "labour", "elections"],
        "published": "2026-10-01T09:00",
        "updated": "2026-10-02T14:00",
        "image": {
            "caption": (
                "The finance ministry in Sarvena, where the draft budget was presented on "
                "Wednesday."
            ),
            "credit": "Valdorian State Archive",
            "hue": 75,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdoria's finance ministry on Wednesday presented a draft budget for 2027 "
                    "that would cut transfers to the country's twelve regions by 9 percent in real "
                    "terms while raising spending on the interior ministry and security services "
                    "by about a quarter, according to the draft published on the ministry's "
                    "website."
                ),
            ),
            (
                "paragraph",
                (
                    "The draft forecasts economic growth of 1.8 percent next year and a deficit of "
                    "3.1 percent of gross domestic product. It assumes an average exchange rate of "
                    "9.5 ostras to the Kestrian mark, compared with about 10.4 on the market this "
                    "week."
                ),
            ),
            ("subhead", "Regions pay the price"),
            (
                "paragraph",
                (
                    "Regional transfers fund most of the salaries of teachers, doctors and nurses "
                    "outside the capital. The draft cuts them from 38 billion to 36.5 billion "
                    "ostras in nominal terms, at a time when the finance ministry itself expects "
                    "inflation of about 7 percent."
                ),
            ),
            (
                "paragraph",
                (
                    "Spending on the interior ministry, which includes the police and national "
                    "guard, would rise to 29 billion ostras. A separate, classified section of the "
                    "budget, whose size is disclosed but not its content, would grow by 31 percent."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Every region will now have to choose between paying salaries on time and "
                        "keeping buildings heated. Several of them already cannot do both."
                    ),
                    "attribution": "Pavla Rink, a former deputy finance minister",
                },
            ),
            (
                "paragraph",
                (
                    "Finance Minister Josef Arnell told parliament that the increases reflected "
                    '"the security situation in the region" and that the government remained '
                    'committed to "responsible management of public finances". He said regions '
                    "should improve tax collection."
                ),
            ),
            (
                "paragraph",
                (
                    "The budget is expected to pass comfortably. Unity and Order has held a "
                    "two-thirds majority in parliament since 2022, and the draft was presented a "
                    "month before the November regional elections, in which delayed public sector "
                    "wages have become a campaign issue."
                ),
            ),
            (
                "paragraph",
                (
                    "The draft also freezes public sector wages in nominal terms for a second "
                    "year, which means a real-terms cut for about 1.4 million employees. Trade "
                    "unions representing teachers and health workers said they would lobby "
                    "deputies for amendments, although no union proposal has been accepted in "
                    "recent years."
                ),
            ),
            (
                "paragraph",
                (
                    "<i>Update, October 2: An earlier version of this article said the classified "
                    "section of the budget would grow by 13 percent. The correct figure is 31 "
                    "percent. We regret the error.</i>"
                ),
            ),
        ],
    },
    {
        "slug": "remittances-from-valdorians-abroad-reach-record",
        "section": "economy",
        "headline": (
            "Money sent home by Valdorians abroad reaches a record, despite new banking curbs"
        ),
        "standfirst": (
            "Remittances now exceed foreign direct investment several times over. Senders "
            "increasingly rely on informal channels to reach relatives."
        ),
        "authors": ["Anka Serban", "Emil Sadowy"],
        "tags": ["exile", "banking", "sanctions"],
        "published": "2026-10-14T07:45",
        "updated": None,
        "image": {
            "caption": "A money transfer office in Vellund's Valdorian quarter.",
            "credit": "Emil Sadowy / Northern Ledger",
            "hue": 125,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdorians living abroad sent home the equivalent of 2.9 billion Kestrian "
                    "marks in the first half of 2026, a record for any six-month period, according "
                    "to balance of payments data published by the National Bank of Valdoria on "
                    "Tuesday."
                ),
            ),
            (
                "paragraph",
                (
                    "The figure is about 22 percent higher than a year earlier and roughly six "
                    "times the amount of foreign direct investment the country received over the "
                    "same period. Economists said remittances had become one of the main sources "
                    "of foreign currency for the Valdorian economy."
                ),
            ),
            ("subhead", "Harder to send"),
            (
                "paragraph",
                (
                    "The increase comes despite new obstacles. Since April, Valdorian banks have "
                    "been required to report every incoming transfer above 2,000 marks to the "
                    "financial monitoring service, and to block transfers from organisations on "
                    "the government's list of undesirable entities."
                ),
            ),
            (
                "paragraph",
                (
                    "In Vellund, which has the largest Valdorian community abroad, owners of money "
                    "transfer offices said customers had become more cautious. Several said they "
                    "now split transfers into smaller amounts or send them through relatives "
                    "rather than in their own names."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "My mother lives on a pension of 400 ostras. Without what I send, she "
                        "could not pay for heating. I just want it to arrive without anyone asking "
                        "her questions."
                    ),
                    "attribution": "A construction worker in Vellund who left Valdoria in 2022",
                },
            ),
            (
                "paragraph",
                (
                    "Some senders have turned to informal networks, in which money paid to an "
                    "agent in Kestria is handed over in cash by a partner in Valdoria. These "
                    "services charge between 3 and 6 percent, compared with about 2 percent for a "
                    "bank transfer, but leave no record at the Valdorian end."
                ),
            ),
            (
                "paragraph",
                (
                    "Kestrian authorities estimate that about 180,000 Valdorian citizens live in "
                    "the country, up from about 70,000 in 2020. Many left after the protests of "
                    "2021 and the introduction of the foreign influence law in 2024."
                ),
            ),
            (
                "paragraph",
                (
                    "Economists noted that the growth partly reflects the weaker ostra, which "
                    "makes each Kestrian mark sent home worth more in local terms, as well as the "
                    "rising number of Valdorians working abroad. Measured in ostras, remittances "
                    "rose by more than a third compared with the first half of 2025."
                ),
            ),
            (
                "paragraph",
                (
                    'The National Bank of Valdoria said the growth in remittances reflected "the '
                    'strong attachment of Valdorians abroad to their homeland". It did not comment '
                    "on the informal channels."
                ),
            ),
        ],
    },
    {
        "slug": "heating-tariffs-rise-as-gas-contract-lapses",
        "section": "economy",
        "headline": "Household heating tariffs to rise by 18 percent as winter gas contract lapses",
        "standfirst": (
            "The government had promised to freeze tariffs until 2027. Regional utilities say they "
            "cannot absorb the higher cost of imported gas."
        ),
        "authors": ["Anka Serban"],
        "tags": ["energy", "budget", "labour"],
        "published": "2026-10-27T08:15",
        "updated": None,
        "image": {
            "caption": "A district heating plant on the outskirts of Drevna.",
            "credit": "Anka Serban / Northern Ledger",
            "hue": 10,
        },
        "body": [
            (
                "paragraph",
                (
                    "Households in most of Valdoria will pay about 18 percent more for district "
                    "heating from December 1, the national energy regulator announced on Monday, "
                    "after a long-term gas supply contract with a foreign supplier expired without "
                    "being renewed."
                ),
            ),
            (
                "paragraph",
                (
                    "The increase reverses a promise by Prime Minister Miron Halvas in March that "
                    "heating tariffs would be frozen until the end of 2027. The regulator said the "
                    "freeze could not be maintained because regional utilities were now buying gas "
                    "on short-term contracts at significantly higher prices."
                ),
            ),
            (
                "paragraph",
                (
                    "About 60 percent of Valdorian households are connected to district heating "
                    "networks, most of them in apartment blocks built before 1990. For a typical "
                    "two-room flat in Sarvena, the increase would add about 45 ostras to a monthly "
                    "winter bill of roughly 250 ostras, according to the regulator's own example."
                ),
            ),
            ("subhead", "Utilities in debt"),
            (
                "paragraph",
                (
                    "Regional heating companies owe suppliers about 6 billion ostras, according to "
                    "the regulator's latest annual report. Several, including the Drevna municipal "
                    "utility, have delayed wage payments to their own staff this year."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Our boilers are older than most of the engineers who run them. We can "
                        "either pay for gas or pay for repairs. This winter we cannot fully pay "
                        "for either."
                    ),
                    "attribution": (
                        "A senior manager at a regional heating utility, speaking on condition of "
                        "anonymity"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "The energy ministry said households with incomes below the subsistence "
                    "minimum could apply for a heating subsidy, and that the budget for subsidies "
                    "would be increased. The draft 2027 budget, however, allocates less to housing "
                    "subsidies than this year's budget did, according to an analysis of the draft "
                    "by The Northern Ledger."
                ),
            ),
            (
                "paragraph",
                (
                    "Pensioners' groups said many eligible households did not apply because the "
                    "process required documents from several offices. About 310,000 households "
                    "received the subsidy last winter, fewer than half of those estimated to be "
                    "eligible."
                ),
            ),
            (
                "paragraph",
                (
                    "The announcement came five days before the regional elections. Opposition "
                    "candidates had warned for weeks that a tariff increase was being prepared, "
                    "which government officials denied at the time. The regulator said the new "
                    "tariffs would be reviewed in March."
                ),
            ),
            (
                "paragraph",
                (
                    "The ministry said it was negotiating a new long-term contract and expected to "
                    'sign it "before the end of the heating season". It did not name the supplier.'
                ),
            ),
        ],
    },
    {
        "slug": "karsk-port-lays-off-dockworkers-as-river-traffic-falls",
        "section": "economy",
        "headline": "Karsk river port lays off 1,200 dockworkers as barge traffic falls",
        "standfirst": (
            "The port operator blamed sanctions on potash exports and low water on the Orlava. It "
            "is the largest single round of layoffs in the city in a decade."
        ),
        "authors": ["Pavel Ostrik", "Emil Sadowy"],
        "tags": ["labour", "river basin", "sanctions"],
        "published": "2026-11-20T09:10",
        "updated": None,
        "image": {
            "caption": "Idle cranes at the river port of Karsk in November.",
            "credit": "Northern Ledger",
            "hue": 230,
        },
        "body": [
            (
                "paragraph",
                (
                    "The operator of the river port in Karsk will lay off about 1,200 dockworkers, "
                    "around a third of its workforce, by the end of January, according to a letter "
                    "sent to employees on Wednesday and seen by The Northern Ledger."
                ),
            ),
            (
                "paragraph",
                (
                    "Karsk River Port, which is majority-owned by the state, said the cuts were "
                    "necessary because cargo volumes had fallen by 38 percent since the beginning "
                    'of the year. The letter cited "external restrictions on the export of key '
                    'goods" and "unfavourable hydrological conditions".'
                ),
            ),
            (
                "paragraph",
                (
                    "The port handles most of Valdoria's potash exports, which have fallen sharply "
                    "since the Northern Trade Council imposed sanctions on Karsk Potash Works in "
                    "February. Low water on the lower Orlava in late summer also forced barges to "
                    "sail only partly loaded for several weeks."
                ),
            ),
            ("subhead", "A city built around the river"),
            (
                "paragraph",
                (
                    "Karsk, with a population of about 310,000, has long depended on the port and "
                    "the potash works. The regional employment office said the number of "
                    "registered job seekers in the city had already risen by a fifth this year, "
                    "before the port layoffs."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "My father worked on these docks, and so did his father. There is nothing "
                        "else here that pays like this. Most of the young ones will leave."
                    ),
                    "attribution": "Ion Barta, a crane operator with 22 years at the port",
                },
            ),
            (
                "paragraph",
                (
                    "The dockworkers' union said workers had been offered severance of three "
                    "months' pay, the legal minimum, and that it would ask the regional labour "
                    "inspectorate to review whether the port had followed the required "
                    "consultation procedure."
                ),
            ),
            (
                "paragraph",
                (
                    "The regional governor, re-elected in November, said the administration would "
                    "offer retraining programmes and help laid-off workers find jobs at "
                    "construction sites in the region. He did not say how many places would be "
                    "available."
                ),
            ),
            (
                "paragraph",
                (
                    "The port's share of freight on the Orlava has fallen for a decade as more "
                    "goods moved by rail, but the sanctions accelerated the decline. In 2019, the "
                    "port handled about 11 million tonnes of cargo; this year the operator expects "
                    "fewer than 5 million. Workers said the layoffs had been rumoured since the "
                    "summer."
                ),
            ),
            (
                "paragraph",
                (
                    "Economists said the layoffs would add to pressure on the regional budget, "
                    "which is already facing cuts in transfers from Sarvena under the draft 2027 "
                    "budget."
                ),
            ),
        ],
    },
    {
        "slug": "a-blocked-website-is-not-a-silenced-newsroom",
        "section": "opinion",
        "headline": "A blocked website is not a silenced newsroom",
        "standfirst": (
            "The regulator has cut off our readers at home. Here is what we will do about it, and "
            "what we will not do."
        ),
        "authors": ["Lidia Corvan"],
        "tags": ["press freedom", "exile", "reader support"],
        "published": "2026-08-15T08:00",
        "updated": None,
        "image": {
            "caption": "A window of the Ledger's office in Vellund, overlooking the harbour.",
            "credit": "Emil Sadowy / Northern Ledger",
            "hue": 220,
        },
        "body": [
            (
                "paragraph",
                (
                    "Twelve days ago, Valdoria's Communications Oversight Service ordered every "
                    "internet provider in the country to block this website. The order did not "
                    "name a single article it objected to. Nobody called us, nobody wrote to us, "
                    "and no court heard our side. One morning our readers in Sarvena typed our "
                    "address and saw an error page."
                ),
            ),
            (
                "paragraph",
                (
                    "I want to explain to those readers, and to everyone who supports us, what "
                    "happens now."
                ),
            ),
            ("subhead", "We keep publishing"),
            (
                "paragraph",
                (
                    "First, nothing about our journalism changes. We will cover the regional "
                    "elections, the budget, the courts and the Orlava valley exactly as before: "
                    "with documents, with named sources wherever possible, with a right of reply "
                    "for everyone we write about, and with corrections when we get something "
                    "wrong. The block does not make our reporting less accurate. It only makes it "
                    "harder to find."
                ),
            ),
            (
                "paragraph",
                (
                    "Second, we will make it easier to find. Our email edition is free and now "
                    "goes out every morning. Our mirror addresses are listed on our help page, and "
                    "our security editor has written a plain guide to privacy tools. We will never "
                    "ask you to install anything from a source we have not checked ourselves."
                ),
            ),
            (
                "paragraph",
                (
                    "Third, we will not become louder to compensate for being less visible. There "
                    "is a temptation, when a government tries to shut you out, to answer with "
                    "anger and adjectives. Our readers did not come to us for that. They came "
                    "because they wanted to know what was true and were tired of being shouted at."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "The block does not make our reporting less accurate. It only makes it "
                        "harder to find."
                    ),
                    "attribution": "Lidia Corvan",
                },
            ),
            (
                "paragraph",
                (
                    "Finally, a word about money. Since we removed all advertising in 2024, "
                    "readers have paid for this newsroom. That decision now looks even more "
                    "important. A newsroom that depends on advertisers can be pressured through "
                    "them; a newsroom paid for by thousands of individual readers answers only to "
                    "those readers. If you can, please keep supporting us. If you cannot, please "
                    "keep reading, and pass on what you read."
                ),
            ),
            (
                "paragraph",
                (
                    "We left Valdoria four years ago so that we could keep doing this work. We did "
                    "not leave so that we could stop."
                ),
            ),
        ],
    },
    {
        "slug": "the-courts-have-stopped-pretending",
        "section": "opinion",
        "headline": "The courts have stopped pretending",
        "standfirst": (
            "For years, Valdoria's judges at least went through the motions of weighing evidence. "
            "The election appeals show that even that habit is gone."
        ),
        "authors": ["Ruth Ambler"],
        "tags": ["courts", "elections", "press freedom"],
        "published": "2026-09-28T08:00",
        "updated": None,
        "image": {
            "caption": "The main courtroom of the Supreme Court in Sarvena, photographed in 2019.",
            "credit": "Valdorian State Archive",
            "hue": 300,
        },
        "body": [
            (
                "paragraph",
                (
                    "I have read every decision the Supreme Court published last Thursday on the "
                    "excluded opposition candidates. There are 33 of them. Apart from names, dates "
                    "and district numbers, they are identical, down to a misplaced comma in the "
                    "fourth paragraph."
                ),
            ),
            (
                "paragraph",
                (
                    "That comma tells you more about the state of Valdorian justice than any "
                    "speech by an opposition leader. A judge who copies the same text into 33 "
                    "decisions has not considered 33 cases. She has processed them."
                ),
            ),
            ("subhead", "Going through the motions"),
            (
                "paragraph",
                (
                    "It was not always this blatant. When I began covering the courts, more than "
                    "fifteen years ago, rulings against the opposition were common, but they were "
                    "argued. Judges heard experts, cited precedent and occasionally found for the "
                    "other side on a technicality, if only to show that they could. Lawyers "
                    "complained, rightly, that the outcome was usually settled in advance. But the "
                    "form of a trial was respected, and form matters: it leaves a record, and a "
                    "record can one day be reviewed."
                ),
            ),
            (
                "paragraph",
                (
                    "Last week the court declined to look at handwriting evidence because it was "
                    "filed after a deadline that, according to the party's lawyers, was "
                    "communicated to them by phone the day before. The hearings were closed. Each "
                    "lasted about fifteen minutes. No one pretended that the signatures had been "
                    "examined."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "A judge who copies the same text into 33 decisions has not considered 33 "
                        "cases. She has processed them."
                    ),
                    "attribution": "Ruth Ambler",
                },
            ),
            (
                "paragraph",
                (
                    "Some readers have written to ask why we still report these hearings in "
                    "detail, when the result is so predictable. It is a fair question. My answer "
                    "is that the predictability is the story. A court that can be relied on to "
                    "rule one way is no longer a court in any useful sense; it is a stamp. Readers "
                    "deserve to know exactly how the stamp is applied, by whom, and on what date."
                ),
            ),
            (
                "paragraph",
                (
                    "There are still judges in Valdoria who write careful decisions in ordinary "
                    "civil cases, who resist pressure in quiet ways and who will, one day, be "
                    "needed. Nothing I write here is meant to dismiss them. But the highest court "
                    "in the land has now shown, in 33 identical documents, what it is for."
                ),
            ),
            ("paragraph", "We will keep reading them. Someone should."),
        ],
    },
    {
        "slug": "the-orlava-is-not-a-ministry-asset",
        "section": "opinion",
        "headline": "The Orlava is not a ministry asset",
        "standfirst": (
            "The flooding below the Mirolt dam and the discounted power contracts come from the "
            "same habit: treating a river as a private account."
        ),
        "authors": ["Anka Serban"],
        "tags": ["river basin", "energy", "budget"],
        "published": "2026-10-10T08:00",
        "updated": None,
        "image": {
            "caption": "The Orlava river below Mirolt, a week after the spillways were opened.",
            "credit": "Emil Sadowy / Northern Ledger",
            "hue": 175,
        },
        "body": [
            (
                "paragraph",
                (
                    "In August, this newsroom reported that Orlava Hydro had sold electricity "
                    "below its own cost to a trading company linked to the energy minister's "
                    "family. Last week, water released from the company's Mirolt dam flooded "
                    "around 400 homes in three villages downstream. These may look like two "
                    "separate stories, one about money and one about weather. I think they are the "
                    "same story."
                ),
            ),
            ("subhead", "Whose reservoir?"),
            (
                "paragraph",
                (
                    "The reservoir behind the Mirolt dam is kept high in autumn because a full "
                    "reservoir means more electricity in winter, when prices are highest. "
                    "Hydrologists have said for at least seven years that this leaves too little "
                    "room to absorb heavy rain. The recommendation to lower the autumn level by "
                    "two metres was never adopted. It would have cost Orlava Hydro some revenue."
                ),
            ),
            (
                "paragraph",
                (
                    "Who would have lost that revenue? Not the public, which subsidises the "
                    "company's losses from the state budget anyway. As our reporting showed, a "
                    "substantial part of the company's output was being sold at a discount to a "
                    "private trader. The benefit of a full reservoir went, at least in part, to "
                    "people who do not live in Ostrin or Pelka."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "When a river is managed for the benefit of a few accounts, the risks are "
                        "left with the people who live on its banks."
                    ),
                    "attribution": "Anka Serban",
                },
            ),
            (
                "paragraph",
                (
                    "This is the pattern worth naming. The Orlava basin supports farmland, "
                    "fisheries, the Karsk port and about two million people. It is also the single "
                    "largest source of electricity in the country. Those uses have to be balanced, "
                    "in public, by people who answer to the residents of the valley. Instead, "
                    "decisions about water levels are made inside a state company whose contracts "
                    "are confidential and whose losses are covered without question."
                ),
            ),
            (
                "paragraph",
                (
                    "The government has promised an inquiry into the timing of flood warnings. "
                    "That is necessary but far too narrow. An honest inquiry would publish the "
                    "dam's operating rules, the reservoir levels for the past ten autumns, and "
                    "every sales contract Orlava Hydro has signed since 2023. None of that would "
                    "endanger national security. All of it would tell the people downstream why "
                    "their homes flooded."
                ),
            ),
            (
                "paragraph",
                (
                    "The river does not belong to the energy ministry. It is time the ministry was "
                    "reminded."
                ),
            ),
        ],
    },
    {
        "slug": "why-we-will-not-sell-your-attention",
        "section": "opinion",
        "headline": "Why we will not sell your attention, even when money is tight",
        "standfirst": (
            "Readers regularly ask whether we would take advertising back. The answer is no, and "
            "it has as much to do with safety as with principle."
        ),
        "authors": ["Ruth Ambler"],
        "tags": ["reader support", "censorship", "press freedom"],
        "published": "2026-11-05T08:00",
        "updated": "2026-11-06T10:15",
        "image": {
            "caption": "The Ledger's reader support desk in Vellund.",
            "credit": "Northern Ledger",
            "hue": 160,
        },
        "body": [
            (
                "paragraph",
                (
                    "As standards editor, I read a lot of mail from readers. Since the block in "
                    "August, one question has come up more than any other: would we consider "
                    "bringing back advertising to make up for readers we have lost at home? It is "
                    "a reasonable question, asked kindly, and it deserves a full answer."
                ),
            ),
            (
                "paragraph",
                (
                    "The short answer is no. The longer answer begins with what an advertisement "
                    "on a news website actually is."
                ),
            ),
            ("subhead", "What an ad carries"),
            (
                "paragraph",
                (
                    "When we removed advertising in 2024, an audit found 38 separate third-party "
                    "services loading on a typical article. Each of them could record that a "
                    "particular device had opened a particular page at a particular time. Most of "
                    "those companies had no interest in Valdorian politics. But data that is "
                    "collected can be bought, leaked or demanded, and we had no control over where "
                    "it went."
                ),
            ),
            (
                "paragraph",
                (
                    "For a reader in Karsk, the fact of having read an article about the foreign "
                    "influence register, or about a detained photographer, is not trivial "
                    'information. Since the government began prosecuting people for "assisting '
                    'undesirable organisations", it could become evidence. We are not willing to '
                    "create that evidence and sell it."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Data that is collected can be bought, leaked or demanded. The only safe "
                        "record is the one that never exists."
                    ),
                    "attribution": "Ruth Ambler",
                },
            ),
            (
                "paragraph",
                (
                    "The second reason is independence. Advertisers are cautious. When a newsroom "
                    "depends on them, it learns, without anyone saying so, which subjects make "
                    "sales teams nervous. We have seen this happen at outlets we respect. A "
                    "newsroom paid for by its readers has only one audience to satisfy, and it is "
                    "the right one."
                ),
            ),
            (
                "paragraph",
                (
                    "Some readers have suggested a middle way: advertising without tracking, sold "
                    "directly to local businesses in Vellund. We have looked at it seriously. The "
                    "income would be small, and we would still need to explain to every reader "
                    "what, if anything, each ad knows about them. For now, we have decided it is "
                    "not worth it."
                ),
            ),
            (
                "paragraph",
                (
                    "None of this means money is not tight. It is. But the answer to a shortfall "
                    "is to ask readers directly, to explain how the money is spent, and to keep "
                    "our costs honest. That is what we have done for two years, and readers have "
                    "responded."
                ),
            ),
            (
                "paragraph",
                (
                    "<i>Correction, November 6: An earlier version of this column said the 2024 "
                    "audit found 34 third-party services. The correct figure is 38.</i>"
                ),
            ),
        ],
    },
    {
        "slug": "why-we-review-books-our-readers-at-home-cannot-buy",
        "section": "opinion",
        "headline": "Why we review books and films our readers at home cannot buy",
        "standfirst": (
            "Half the works we cover are unavailable in Valdoria. That is exactly why they belong "
            "in our pages."
        ),
        "authors": ["Nadia Ferenc"],
        "tags": ["books", "film", "censorship", "exile"],
        "published": "2026-11-24T08:00",
        "updated": None,
        "image": {
            "caption": "Books by exiled Valdorian authors on a shelf at a Vellund bookshop.",
            "credit": "Nadia Ferenc / Northern Ledger",
            "hue": 45,
        },
        "body": [
            (
                "paragraph",
                (
                    "Every few weeks, a reader writes to ask why we review a novel that cannot be "
                    "bought in any Valdorian bookshop, or a documentary that will never be shown "
                    "in a Valdorian cinema. The tone is usually puzzled rather than angry. What is "
                    "the point, the reader asks, of recommending something I cannot have?"
                ),
            ),
            ("paragraph", "It is a fair question, and I want to answer it properly."),
            ("subhead", "Culture does not stop at the border"),
            (
                "paragraph",
                (
                    "First, the premise is only half right. Books travel. A novel published in "
                    "Vellund is read as a file on a phone in Drevna within a week, passed from "
                    "reader to reader in ways no ministry can track. A film shown at a festival "
                    "abroad reaches private screenings in Sarvena apartments. The audience inside "
                    "Valdoria for this work is smaller than it should be, but it is real, and it "
                    "is looking for guidance."
                ),
            ),
            (
                "paragraph",
                (
                    "Second, the withdrawal of books from libraries, the cancellation of plays and "
                    "the banning of songs are news in themselves. When the culture ministry "
                    "removes four hundred titles from public libraries, the most useful thing we "
                    "can do is to tell readers what those books were, and why they mattered."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "A country's culture is not only what its government permits. It is also "
                        "what its artists do when they are no longer permitted."
                    ),
                    "attribution": "Nadia Ferenc",
                },
            ),
            (
                "paragraph",
                (
                    "Third, and most importantly, Valdorian culture is now being made in two "
                    "places at once. Some of the most interesting writing, film and theatre of the "
                    "past few years has been produced by people who had to leave. If we covered "
                    "only what is available at home, we would be accepting the ministry's "
                    "definition of what counts as Valdorian. We do not."
                ),
            ),
            (
                "paragraph",
                (
                    "Where we can, we will also tell readers how to reach the work: whether a book "
                    "can be downloaded legally, whether a film is streaming abroad, whether an "
                    "author gives readings online. That information is sometimes more useful than "
                    "the review itself."
                ),
            ),
            (
                "paragraph",
                (
                    "We will keep reviewing honestly. Exile is not a quality, and a book is not "
                    "good because its author was persecuted. Some of the work we cover will "
                    "disappoint, and we will say so. But we will not leave it out because a "
                    "ministry has decided our readers should not see it."
                ),
            ),
        ],
    },
    {
        "slug": "review-the-winter-ferry-dana-vrell",
        "section": "culture",
        "headline": "Review: Dana Vrell's 'The Winter Ferry' is a quiet, exact novel about leaving",
        "standfirst": (
            "The exiled novelist's fourth book follows a ferry pilot on the Orlava through a "
            "single winter. It is her best work, and it is banned at home."
        ),
        "authors": ["Nadia Ferenc"],
        "tags": ["books", "exile", "censorship"],
        "published": "2026-08-23T11:00",
        "updated": None,
        "image": {
            "caption": "The novelist Dana Vrell at her home in Vellund.",
            "credit": "Nadia Ferenc / Northern Ledger",
            "hue": 240,
        },
        "body": [
            (
                "paragraph",
                (
                    "Dana Vrell has never been a novelist of big events. Her three previous books, "
                    "all set in small towns along the Orlava, were built out of kitchens, bus "
                    "stations and long conversations that circle around what the characters cannot "
                    'say. "The Winter Ferry", written in Vellund after she left Valdoria in 2023, '
                    "keeps that method and sharpens it."
                ),
            ),
            (
                "paragraph",
                (
                    "The novel follows Ilse Marek, who pilots the last passenger ferry across the "
                    "Orlava at the village of Tarn during a winter when a new bridge is being "
                    "built a few kilometres upstream. Everyone knows the ferry will close in "
                    "spring. Ilse spends the season carrying the same few dozen passengers back "
                    "and forth, and the book is, on its surface, a record of those crossings."
                ),
            ),
            ("subhead", "What the river hides"),
            (
                "paragraph",
                (
                    "Underneath, it is a book about staying and leaving. A schoolteacher stops "
                    "taking the ferry after her brother is arrested. A young man rides it every "
                    "day for a week, then buys a one-way ticket to the border. Ilse's own son "
                    "calls from abroad every Sunday and asks when she will come. Vrell never names "
                    "the government, the party or the charges, and the restraint makes the "
                    "pressure more palpable, not less."
                ),
            ),
            (
                "paragraph",
                (
                    "The prose, in Anna Lesko's English translation, is plain and precise. Vrell "
                    "is especially good on weather and work: the way ice forms first along the "
                    "cables, the smell of diesel in the cabin, the exact gesture a pilot uses to "
                    "signal a passenger to stay seated. These details carry much of the emotional "
                    "weight."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "I did not want to write a novel about exile. I wanted to write about the "
                        "last people to cross before the crossing disappears."
                    ),
                    "attribution": "Dana Vrell, in an interview with The Northern Ledger",
                },
            ),
            (
                "paragraph",
                (
                    "The book has weaknesses. A subplot involving a corrupt bridge contractor "
                    "feels thinner than the rest, and the final chapter, set in spring, resolves a "
                    "little too neatly. But these are small complaints about a novel that is "
                    "otherwise controlled and humane."
                ),
            ),
            (
                "paragraph",
                (
                    '"The Winter Ferry" was published in Valdorian and English in Vellund in June. '
                    "In July, Vrell's earlier books were added to the culture ministry's list of "
                    "titles withdrawn from public libraries, and the new novel cannot be sold "
                    "legally in Valdoria. Copies are nonetheless circulating, readers in Karsk "
                    "told us, as files shared by email. It deserves to be read on both sides of "
                    "the border."
                ),
            ),
        ],
    },
    {
        "slug": "what-the-river-keeps-documentary-review",
        "section": "culture",
        "headline": "'What the River Keeps' returns to the villages drowned by the Mirolt dam",
        "standfirst": (
            "Ivo Rusk's documentary interviews the last residents who remember the valley before "
            "the reservoir. It was refused a screening licence in Valdoria."
        ),
        "authors": ["Nadia Ferenc"],
        "tags": ["film", "river basin", "censorship"],
        "published": "2026-09-06T12:00",
        "updated": None,
        "image": {
            "caption": "A still from 'What the River Keeps', showing the Mirolt reservoir at dawn.",
            "credit": "Courtesy of Rusk Films",
            "hue": 200,
        },
        "body": [
            (
                "paragraph",
                (
                    "When the Mirolt dam was completed in 1979, the reservoir behind it covered "
                    "four villages, a monastery and about 3,000 hectares of farmland. The people "
                    "who lived there were moved to new housing estates in Mirolt and Karsk. Most "
                    'of them are no longer alive. Ivo Rusk\'s documentary "What the River Keeps" '
                    "is an attempt to record the memories of those who are."
                ),
            ),
            (
                "paragraph",
                (
                    "The film is built around conversations with nine former residents, the "
                    "youngest of them now in their late fifties. Rusk films them at kitchen tables "
                    "and on the shore of the reservoir, and occasionally in a boat above the spot "
                    "where their houses once stood. He intercuts these scenes with archive footage "
                    "from the construction period, much of it never shown before, which he found "
                    "in a regional television archive."
                ),
            ),
            ("subhead", "Memory against the official record"),
            (
                "paragraph",
                (
                    "The archive material is remarkable. State newsreels from the 1970s celebrate "
                    "the dam as a triumph of engineering and show smiling families receiving keys "
                    "to new flats. The interviews tell a different story: of compensation that was "
                    "never paid, of graves that were not moved, of a church bell that one man "
                    "swears can still be heard when the water is low."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "They told us the water would bring light to the whole country. It did. It "
                        "just did not bring anything back to us."
                    ),
                    "attribution": (
                        "Vera Solan, a former resident of the flooded village of Brina, in the film"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "Rusk resists the temptation to draw a straight line to the present, and the "
                    "film is better for it. There is no narration and almost no text on screen. "
                    "Yet a viewer who has followed this summer's reporting on how the reservoir is "
                    "managed, and on who profits from it, will find it hard not to make the "
                    "connection."
                ),
            ),
            (
                "paragraph",
                (
                    "The film's weakness is its length. At 112 minutes, some interviews repeat "
                    "each other, and the middle section loses momentum. A tighter edit would have "
                    "made it stronger."
                ),
            ),
            (
                "paragraph",
                (
                    '"What the River Keeps" premiered in Vellund in August. The Valdorian culture '
                    "ministry refused it a screening licence in July without giving reasons, "
                    "according to a letter published by the director. Rusk said he was arranging "
                    "private screenings for communities in the Orlava valley."
                ),
            ),
        ],
    },
    {
        "slug": "borrowed-room-theatre-vellund-eleven-chairs",
        "section": "culture",
        "headline": (
            "In a Vellund basement, exiled actors stage the play they could not finish at home"
        ),
        "standfirst": (
            "The Borrowed Room Theatre was founded by actors who left the Sarvena Drama Theatre. "
            "Its production of 'Eleven Chairs' is sold out for the season."
        ),
        "authors": ["Nadia Ferenc", "Emil Sadowy"],
        "tags": ["theatre", "exile", "music"],
        "published": "2026-09-19T14:00",
        "updated": None,
        "image": {
            "caption": "Actors rehearse 'Eleven Chairs' at the Borrowed Room Theatre in Vellund.",
            "credit": "Emil Sadowy / Northern Ledger",
            "hue": 280,
        },
        "body": [
            (
                "paragraph",
                (
                    "The stage of the Borrowed Room Theatre is a former print shop in the basement "
                    "of a Vellund apartment block. It seats 60 people on mismatched chairs donated "
                    "by audience members. On a Thursday evening in September, every one of them "
                    "was taken, and a dozen more people stood at the back."
                ),
            ),
            (
                "paragraph",
                (
                    "The company was founded in 2023 by six actors who left the Sarvena Drama "
                    "Theatre after its director was dismissed and a production they were "
                    'rehearsing was cancelled. That production was "Eleven Chairs", a play by the '
                    "Valdorian writer Petra Lind about a family waiting in a courthouse corridor "
                    "for a verdict. It has now opened, three years late, in exile."
                ),
            ),
            ("subhead", "A play about waiting"),
            (
                "paragraph",
                (
                    '"Eleven Chairs" runs for 90 minutes without an interval. The characters, a '
                    "mother, two adult children and assorted neighbours, talk about everything "
                    "except the trial: the price of apples, an old quarrel over a summer house, a "
                    "wedding none of them wants to attend. The verdict is never announced. The "
                    "tension comes from what the audience knows and the characters refuse to say."
                ),
            ),
            (
                "paragraph",
                (
                    "The production is spare. A row of chairs, a single door and a clock that runs "
                    "noticeably slow are the entire set. Much of the atmosphere comes from the "
                    "score, performed live by the cellist Mila Toren, who sits in a corner of the "
                    "stage and plays fragments of Orlava valley folk songs, slowed down until they "
                    "are almost unrecognisable."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "At home, we rehearsed this play for a courtroom that was about to become "
                        "real for some of our friends. Here, we perform it for people who have "
                        "already sat in those corridors."
                    ),
                    "attribution": "Andrej Halvik, co-founder of the Borrowed Room Theatre",
                },
            ),
            (
                "paragraph",
                (
                    "Many in the audience were Valdorians who have moved to Vellund in the past "
                    "four years. Several said afterwards that they had come because they "
                    "recognised the situation from their own lives. One woman, who said her "
                    "husband had been sentenced in 2024, left during the final scene and returned "
                    "for the applause."
                ),
            ),
            (
                "paragraph",
                (
                    "The company pays its actors a small fee from ticket sales and donations. It "
                    "has no public funding. Its members also work as waiters, translators and "
                    'teachers. The run of "Eleven Chairs" has been extended until December, and '
                    "the company plans to record a performance so that it can be shared with "
                    "audiences inside Valdoria."
                ),
            ),
        ],
    },
    {
        "slug": "sena-koval-low-water-album-banned-on-radio",
        "section": "culture",
        "headline": "Sena Koval's 'Low Water' is the record Valdorian radio was told not to play",
        "standfirst": (
            "The folk singer was fined for 'discrediting state institutions' after a concert in "
            "Karsk. Her new album is quieter, stranger and better than anything she has made."
        ),
        "authors": ["Nadia Ferenc"],
        "tags": ["music", "censorship", "courts"],
        "published": "2026-10-17T11:30",
        "updated": None,
        "image": {
            "caption": "Sena Koval performs at a small club in Vellund in October.",
            "credit": "Emil Sadowy / Northern Ledger",
            "hue": 330,
        },
        "body": [
            (
                "paragraph",
                (
                    "For most of the past decade, Sena Koval was one of the most familiar voices "
                    "on Valdorian radio. Her arrangements of old Orlava valley songs, sung over a "
                    "small string band, were played at weddings, in taxis and on the state "
                    "broadcaster's morning programme. That ended in April, when a district court "
                    'in Karsk fined her 8,000 ostras for "discrediting state institutions" after a '
                    "concert at which she dedicated a song to political prisoners."
                ),
            ),
            (
                "paragraph",
                (
                    "Within a week, according to two radio producers who spoke to The Northern "
                    "Ledger on condition of anonymity, stations received informal guidance from "
                    "the broadcasting authority not to play her music. Koval left for Vellund in "
                    'May. Her new album, "Low Water", was recorded there over the summer and '
                    "released this month."
                ),
            ),
            ("subhead", "A smaller sound"),
            (
                "paragraph",
                (
                    'Anyone expecting a protest record will be surprised. "Low Water" is quiet and '
                    "mostly slow, built around Koval's voice, a harmonium and an upright bass. The "
                    "ten songs include six traditional pieces and four of her own, and the line "
                    "between them is deliberately hard to draw. Lyrics about a drought in the old "
                    "songs sit alongside new ones about an empty flat and a phone that rings at "
                    "night."
                ),
            ),
            (
                "paragraph",
                (
                    "The standout is the title track, a seven-minute song that begins as a lullaby "
                    "and slowly turns into a list of place names along the Orlava, from the source "
                    "to the sea. It contains no political statement at all, and it is, for that "
                    "reason, the most affecting thing on the record."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "They fined me for one sentence on a stage. I did not want to answer with "
                        "more sentences. I wanted to answer with the river."
                    ),
                    "attribution": "Sena Koval",
                },
            ),
            (
                "paragraph",
                (
                    "Not everything works. Two of the newer songs lean on the same melodic turn, "
                    "and a guest vocal on the penultimate track feels out of place. But the "
                    "album's restraint is its strength, and Koval's voice, lower and rougher than "
                    "on her earlier records, has never sounded better."
                ),
            ),
            (
                "paragraph",
                (
                    '"Low Water" is available on the main streaming services outside Valdoria. '
                    "Inside the country, listeners report that it has disappeared from two "
                    "domestic platforms, though neither has explained why. Koval is touring small "
                    "venues in Kestria through December."
                ),
            ),
        ],
    },
    {
        "slug": "culture-ministry-withdraws-400-titles-from-libraries",
        "section": "culture",
        "headline": (
            "Culture ministry orders 400 titles removed from public libraries, including plays"
        ),
        "standfirst": (
            "The list, published without explanation, includes novels, poetry and 37 plays. "
            "Librarians say they were told to keep the removed books in closed stacks."
        ),
        "authors": ["Nadia Ferenc", "Tomas Reiner"],
        "tags": ["books", "censorship", "theatre"],
        "published": "2026-10-31T12:30",
        "updated": None,
        "image": {
            "caption": (
                "Reading room of the Sarvena City Library, photographed before the withdrawals."
            ),
            "credit": "Valdorian State Archive",
            "hue": 60,
        },
        "body": [
            (
                "paragraph",
                (
                    "Valdoria's culture ministry has ordered public libraries to remove 412 titles "
                    "from open shelves, according to a circular sent to regional library directors "
                    "this month and seen by The Northern Ledger. The list includes novels, poetry "
                    "collections, memoirs and 37 plays by 86 authors, most of them living."
                ),
            ),
            (
                "paragraph",
                (
                    "The circular gives no reason for the withdrawals. It instructs libraries to "
                    "move the books to closed stacks, to remove them from online catalogues and to "
                    "issue them only to readers who submit a written request, which must be kept "
                    "on file."
                ),
            ),
            ("subhead", "Who is on the list"),
            (
                "paragraph",
                (
                    "About two-thirds of the authors on the list have left Valdoria since 2021, "
                    "according to an analysis by The Northern Ledger. They include the novelist "
                    "Dana Vrell, whose earlier books were removed in an earlier round in July, and "
                    'the playwright Petra Lind, whose play "Eleven Chairs" is currently being '
                    "staged by exiled actors in Vellund. Several authors on the list have publicly "
                    "criticised the government; others have not commented on politics at all."
                ),
            ),
            (
                "paragraph",
                (
                    "The plays on the list include several that were in the repertoire of regional "
                    "theatres until recently. The Karsk Drama Theatre cancelled two productions in "
                    "October without explanation. Its management declined to comment."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "We have been asked to keep a record of everyone who wants to read these "
                        "books. Most of my colleagues find that harder to accept than the removal "
                        "itself."
                    ),
                    "attribution": "A librarian in Drevna, who asked not to be named",
                },
            ),
            (
                "paragraph",
                (
                    'The culture ministry said in a brief statement that libraries were "updating '
                    'their collections in line with the needs of readers" and that no books had '
                    'been banned. Publishing the titles, it said, was "a matter for the libraries".'
                ),
            ),
            (
                "paragraph",
                (
                    "The Valdorian Writers' Circle, which operates from Vellund, said it had "
                    "documented more than 1,100 titles removed from libraries since 2023. It has "
                    "published a list of the works, with information about where readers abroad "
                    "can find them."
                ),
            ),
            (
                "paragraph",
                (
                    "Librarians interviewed by The Northern Ledger said the circular had arrived "
                    "with instructions to complete the removals within thirty days and to send the "
                    "regional culture department an inventory of every book moved, including the "
                    "number of times it had been borrowed."
                ),
            ),
            (
                "paragraph",
                (
                    "Booksellers in Sarvena said that demand for some of the listed titles had "
                    "risen since the circular became known, and that remaining copies in "
                    "second-hand shops had sold out within days."
                ),
            ),
        ],
    },
    {
        "slug": "orlava-film-days-festival-in-exile",
        "section": "culture",
        "headline": "Orlava Film Days opens its second edition in exile with a record programme",
        "standfirst": (
            "The festival, once held in Karsk, now runs in Vellund. This year it shows 46 films, "
            "most of them made by Valdorian directors living abroad."
        ),
        "authors": ["Nadia Ferenc"],
        "tags": ["film", "exile", "music", "theatre"],
        "published": "2026-11-12T13:00",
        "updated": None,
        "image": {
            "caption": "The audience at the opening night of Orlava Film Days in Vellund.",
            "credit": "Courtesy of Orlava Film Days",
            "hue": 5,
        },
        "body": [
            (
                "paragraph",
                (
                    "The Orlava Film Days festival opened in Vellund on Wednesday evening with a "
                    "programme of 46 feature and short films, the largest in its history. It is "
                    "the second edition held outside Valdoria, after the festival's organisers "
                    "left Karsk in 2024 when the regional administration withdrew its permit."
                ),
            ),
            (
                "paragraph",
                (
                    "The festival was founded in 2009 as a small showcase of documentaries about "
                    "the Orlava valley and grew into the country's main independent film event. It "
                    'now describes itself as a festival of Valdorian cinema "wherever it is made". '
                    "Of this year's films, 31 were produced by directors living abroad, and nine "
                    "were shot partly or wholly inside Valdoria by crews who asked not to be "
                    "credited."
                ),
            ),
            ("subhead", "Beyond documentary"),
            (
                "paragraph",
                (
                    "Documentaries still dominate the programme, including Ivo Rusk's \"What the "
                    "River Keeps\", which returns after its premiere in August. But this year's "
                    "selection includes more fiction than before, as well as a section of filmed "
                    "theatre, which opens with a recording of the Borrowed Room Theatre's "
                    'production of "Eleven Chairs".'
                ),
            ),
            (
                "paragraph",
                (
                    'The opening night film, "Northbound", by the first-time director Hana Sorel, '
                    "follows two sisters travelling from Drevna to the Kestrian border by bus. Its "
                    "score was composed by the singer Sena Koval, who performed live before the "
                    "screening to a full house."
                ),
            ),
            (
                "paragraph",
                (
                    'Among the fiction titles in competition is "The Night Shift", a feature about '
                    "workers at a potash mine in Karsk, shot in Kestria with a cast of Valdorian "
                    "actors living abroad. Its director, Luka Dunn, said the film had been "
                    "financed almost entirely through small donations from future viewers."
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "A festival in exile can easily become a meeting of people who already "
                        "agree with each other. We want it to be the place where Valdorian cinema "
                        "is judged as cinema."
                    ),
                    "attribution": "Lena Abel, artistic director of Orlava Film Days",
                },
            ),
            (
                "paragraph",
                (
                    "The festival's budget comes mainly from ticket sales, individual donors and "
                    "two cultural foundations in Kestria. Abel said the organisers had declined an "
                    "offer of sponsorship from a bank, preferring to remain independent."
                ),
            ),
            (
                "paragraph",
                (
                    "As in previous years, the festival will stream a selection of films online "
                    "for viewers in Valdoria. Last year, about 18,000 people watched at least one "
                    "film through the streaming service, many of them through privacy tools. The "
                    "festival runs until November 22."
                ),
            ),
        ],
    },
]
