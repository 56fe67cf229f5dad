"""The demo newsroom's content files (newsroom/demo_content/): complete and consistent."""

import re

from newsroom import demo_files


def test_every_demo_article_names_a_known_section_and_known_authors():
    content = demo_files.load()
    sections = {section["slug"] for section in content.sections}
    authors = {author["name"] for author in content.authors}
    assert len(content.articles) == 28
    for article in content.articles:
        assert article["section"] in sections, article["slug"]
        assert set(article["authors"]) <= authors, article["slug"]
        assert {"caption", "credit", "hue"} <= set(article["image"]), article["slug"]
        assert article["body"] and article["headline"] and article["standfirst"]


def test_an_article_file_reads_paragraphs_subheads_and_quotes():
    text = """+++
slug = "s"
section = "news"
headline = "H"
standfirst = "S"
authors = []
tags = []
published = "2026-01-01T09:00"

[image]
caption = "c"
credit = "r"
hue = 1
+++

First paragraph runs
over two lines, with <i>markup</i>.

## A subhead

> A quote that runs
> over two lines.
> — Someone, somewhere
"""
    article = demo_files.article(text)
    assert article["updated"] is None
    assert article["body"] == [
        ("paragraph", "First paragraph runs over two lines, with <i>markup</i>."),
        ("subhead", "A subhead"),
        (
            "quote",
            {"text": "A quote that runs over two lines.", "attribution": "Someone, somewhere"},
        ),
    ]


def test_the_demo_content_ships_in_the_wheel():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["setuptools"]["package-data"]["newsroom"]
    assert "demo_content/articles/*.md" in shipped and "demo_content/*.toml" in shipped
    assert "demo_content/*/articles/*.md" in shipped and "demo_content/*/*.toml" in shipped


def test_the_demo_is_typeset_with_curly_quotes_and_apostrophes():
    from appeals.demo import APPEALS

    texts = []
    for article in demo_files.load().articles:
        texts += [article["headline"], article["standfirst"], article["image"]["caption"]]
        for kind, part in article["body"]:
            texts += [part["text"], part["attribution"]] if kind == "quote" else [part]
    for appeal in APPEALS:
        for variant in appeal["variants"]:
            texts += [variant["heading"], re.sub(r"<[^>]+>", "", variant["body"])]
    straight = [text for text in texts if "'" in text or '"' in text]
    assert straight == []


# The Russian edition's tag for each English one: the same tags, in Russian words.
RUSSIAN_TAGS = {
    "banking": "банки",
    "books": "книги",
    "budget": "бюджет",
    "censorship": "цензура",
    "courts": "суды",
    "elections": "выборы",
    "energy": "энергетика",
    "exile": "эмиграция",
    "film": "кино",
    "labour": "труд",
    "music": "музыка",
    "press freedom": "свобода прессы",
    "reader support": "поддержка читателей",
    "river basin": "бассейн Орлавы",
    "sanctions": "санкции",
    "theatre": "театр",
}
# Latin letters a Russian reader meets in Russian text, as written: nothing else.
LATIN_ALLOWED = {"VPN"}


def test_the_russian_edition_tells_every_english_article_in_its_own_words():
    english = demo_files.load()
    russian = demo_files.load(demo_files.directory_for("ru"))
    english_slugs = {article["slug"]: article for article in english.articles}
    sections = {section["slug"] for section in russian.sections}
    authors = {author["name"] for author in russian.authors}
    assert sections == {section["slug"] for section in english.sections}
    assert sorted(article["slug"] for article in russian.articles) == sorted(english_slugs)
    for article in russian.articles:
        theirs = english_slugs[article["slug"]]  # the same story, its slug
        assert article["section"] == theirs["section"], article["slug"]
        assert article["tags"] == [RUSSIAN_TAGS[tag] for tag in theirs["tags"]], article["slug"]
        assert (article["published"], article["updated"]) == (
            theirs["published"],
            theirs["updated"],
        ), article["slug"]
        assert article["image"]["hue"] == theirs["image"]["hue"], article["slug"]
        assert set(article["authors"]) <= authors, article["slug"]
        assert len(article["authors"]) == len(theirs["authors"]), article["slug"]
        texts = [article["headline"], article["standfirst"]]
        texts += [article["image"]["caption"], article["image"]["credit"], *article["tags"]]
        for kind, part in article["body"]:
            texts += [part["text"], part["attribution"]] if kind == "quote" else [part]
        words = re.sub(r"<[^>]+>", "", " ".join(texts))  # inline HTML such as <i> is markup
        assert set(re.findall(r"[A-Za-z]+", words)) <= LATIN_ALLOWED, article["slug"]
        # Russian typography: «ёлочки», no straight quotes, no "г.." after a year.
        assert '"' not in words and "'" not in words and "г.." not in words, article["slug"]
        assert "“" not in words and "‘" not in words, article["slug"]
    assert demo_files.directory_for("en") == demo_files.CONTENT_DIR
    assert demo_files.directory_for("de") == demo_files.CONTENT_DIR


def test_the_russian_appeals_name_no_dollars_and_keep_every_placeholder():
    from appeals.demo import APPEALS, in_language

    for spec in APPEALS:
        russian = in_language(spec, "ru")
        assert russian["slug"] == spec["slug"] and russian["name"] != spec["name"]
        for theirs, ours in zip(spec["variants"], russian["variants"], strict=True):
            assert set(re.findall(r"\{\w+\}", ours["body"])) <= set(
                re.findall(r"\{\w+\}", theirs["body"])
            )
            text = re.sub(r"<[^>]+>|\{\w+\}", "", ours["heading"] + ours["body"])
            assert not re.findall(r"[A-Za-z]{3,}", text) and "$" not in text
            assert ours["button_label"] and ours["key"] == theirs["key"]
    assert in_language(APPEALS[0], "en") == APPEALS[0]
