"""The demo newsroom's appeals, as the reference page asks readers: the modal with the gap
ticker (two variants, an A/B test), the header message and the end-of-article letter.

The monthly cost the copy and the ticker speak of comes from funding's demo (the $10,000 a
month ads used to bring in). Loading twice changes nothing: appeals are found by their code.
"""

from django.conf import settings
from django.db import transaction

from appeals.models import Appeal, AppealVariant

APPEALS = [
    {
        "slug": "ad-free-modal",
        "name": "Ad-free commitment (modal)",
        "kind": Appeal.Kind.MODAL,
        "show_ticker": True,
        "min_articles": 3,
        "every_days": 7,
        "dismiss_days": 14,
        "variants": [
            {
                "key": "a",
                "heading": "Enjoying ad-free content?",
                "body": (
                    "<p>Since {ad_free_since}, we have disabled all ads to improve your reading "
                    "experience. This commitment costs us {monthly_cost} a month. Your support "
                    "can help us fill the gap.</p>"
                ),
                "button_label": "Support us",
            },
            {
                "key": "b",
                "heading": "No ads. No trackers. Just the news.",
                "body": (
                    "<p>{newsroom} stopped running ads on {ad_free_since}. Readers now pay "
                    "for our reporting: {monthly_cost} a month. Will you chip in?</p>"
                ),
                "button_label": "Chip in",
            },
        ],
    },
    {
        "slug": "blocked-header",
        "name": "Blocked in Valdoria (header message)",
        "kind": Appeal.Kind.HEADER,
        "dismiss_days": 7,
        "variants": [
            {
                "key": "a",
                "heading": "",
                "body": (
                    "<p>Our journalism is blocked in Valdoria. We need your help to keep "
                    "providing you with the truth.</p>"
                ),
                "button_label": "Support us",
            }
        ],
    },
    {
        "slug": "editors-letter",
        "name": "A message from the newsroom (letter)",
        "kind": Appeal.Kind.LETTER,
        "dismiss_days": 0,
        "variants": [
            {
                "key": "a",
                "heading": "A Message from {newsroom}:",
                "body": (
                    "<p>Dear readers,</p>"
                    "<p>We are facing unprecedented challenges. Valdoria’s prosecutors have "
                    "declared {newsroom} an “undesirable” organisation, criminalising our work "
                    "and putting our staff at risk of prosecution. Our website is blocked at "
                    "home, and we report from exile in Vellund.</p>"
                    "<p>These actions are direct attempts to silence independent journalism. "
                    "We refuse to be silenced. But to continue our work, we need your help.</p>"
                    "<p>Your support, no matter how small, makes a world of difference. If you "
                    "can, please support us monthly starting from just $5. It’s quick to set "
                    "up, and every contribution makes a significant impact.</p>"
                    "<p>By supporting {newsroom}, you’re defending open, independent journalism "
                    "in the face of repression. Thank you for standing with us.</p>"
                ),
                "button_label": "Support us",
            }
        ],
    },
]


# The same appeals as Russian readers are asked: written in Russian, not translated word by
# word (the letter names no amount in dollars; «Щедрый вторник» is the reminders' day).
RUSSIAN = {
    "ad-free-modal": {
        "name": "Без рекламы (окно)",
        "a": {
            "heading": "Нравится читать без рекламы?",
            "body": (
                "<p>С {ad_free_since} на нашем сайте нет рекламы: так читать удобнее и "
                "безопаснее. Это стоит нам {monthly_cost} в месяц. Ваша поддержка поможет "
                "покрыть эти расходы.</p>"
            ),
            "button_label": "Поддержать нас",
        },
        "b": {
            "heading": "Без рекламы. Без слежки. Только новости.",
            "body": (
                "<p>Мы отказались от рекламы {ad_free_since}. Теперь нашу работу оплачивают "
                "читатели — {monthly_cost} в месяц. Поможете?</p>"
            ),
            "button_label": "Помочь",
        },
    },
    "blocked-header": {
        "name": "Блокировка в Вальдории (строка вверху)",
        "a": {
            "heading": "",
            "body": (
                "<p>В Вальдории наш сайт заблокирован. Помогите нам и дальше говорить вам "
                "правду.</p>"
            ),
            "button_label": "Поддержать нас",
        },
    },
    "editors-letter": {
        "name": "Письмо от редакции (под статьёй)",
        "a": {
            "heading": "Письмо от редакции",
            "body": (
                "<p>Дорогие читатели!</p>"
                "<p>Нам сейчас очень трудно. Прокуратура Вальдории признала нашу редакцию "
                "«нежелательной организацией»: теперь за нашу работу можно получить уголовное "
                "дело. Дома наш сайт заблокирован, и мы работаем в эмиграции, в Велунде.</p>"
                "<p>Всё это — попытки заставить независимую журналистику замолчать. Мы не "
                "замолчим. Но чтобы продолжать, нам нужна ваша помощь.</p>"
                "<p>Важна любая сумма. Если можете, поддерживайте нас ежемесячно — даже "
                "небольшой платёж каждый месяц помогает нам планировать работу. Оформить его "
                "можно за минуту.</p>"
                "<p>Поддерживая «{newsroom}», вы защищаете открытую, независимую журналистику "
                "там, где её пытаются задушить. Спасибо, что вы с нами.</p>"
            ),
            "button_label": "Поддержать нас",
        },
    },
}


def in_language(spec: dict, language: str) -> dict:
    """The appeal's spec with its copy in `language` where the demo has it."""
    copy = RUSSIAN.get(spec["slug"]) if language == "ru" else None
    if copy is None:
        return dict(spec)
    variants = [variant | copy[variant["key"]] for variant in spec["variants"]]
    return spec | {"name": copy["name"], "variants": variants}


@transaction.atomic
def load() -> int:
    """Create the demo appeals that are missing, one set per edition in its language (the
    default edition's under the codes above, another's with its language after them:
    `ad-free-modal-ru`); return how many were created."""
    created = 0
    for language, _name in settings.LANGUAGES:
        for spec in APPEALS:
            spec = in_language(spec, language)
            variants = spec.pop("variants")
            if language != settings.LANGUAGE_CODE:
                spec["slug"] = f"{spec['slug']}-{language}"
            if Appeal.objects.filter(slug=spec["slug"]).exists():
                continue
            appeal = Appeal(**spec, language=language)
            appeal.variants = [AppealVariant(**variant) for variant in variants]
            appeal.save()
            created += 1
    return created
