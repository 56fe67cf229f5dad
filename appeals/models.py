"""What readers are asked: appeals (the modal, the header message, the end-of-article letter),
their variants for A/B tests, their targeting, and aggregate daily counts.

Nothing here knows a reader. Which appeal and variant a reader sees is decided in their
browser (static/appeals/appeals.js) from the public config (services.reader_config); the
server only counts, per day, how often each variant was shown, clicked, closed or postponed.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PreviewableMixin

from readerfund.lib.sql import insert_or_add

# What staff may write in the copy; replaced with this month's figures (services.placeholders).
PLACEHOLDERS = (
    "newsroom",
    "monthly_cost",
    "ad_free_since",
    "percent",
    "raised",
    "gap",
    "supporters",
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
COPY_FEATURES = ["bold", "italic", "link"]
COUNTRY_LIST = RegexValidator(
    r"^\s*([A-Za-z]{2}\s*(,\s*[A-Za-z]{2}\s*)*)?$",
    _("Two-letter country codes separated by commas, such as RU, BY."),
)


class Appeal(PreviewableMixin, ClusterableModel):
    class Kind(models.TextChoices):
        MODAL = "modal", _("Modal")
        HEADER = "header", _("Header message")
        LETTER = "letter", _("End-of-article letter")

    # When `every_days` is left empty: the modal at most once a week, the others on every page.
    DEFAULT_EVERY_DAYS = {Kind.MODAL: 7, Kind.HEADER: 0, Kind.LETTER: 0}

    # "name" of a thing, not of a person (Russian: название, not имя).
    name = models.CharField(
        pgettext_lazy("of an appeal", "name"), max_length=120, help_text=_("For staff only.")
    )
    slug = models.SlugField(
        _("tracking code"),
        max_length=64,
        unique=True,
        help_text=_(
            "Identifies this appeal in support links, counts and contributions. Changing it "
            "starts its statistics again."
        ),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Each edition asks its readers in its own words (services.current_appeals).
    language = models.CharField(
        _("edition"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The edition whose readers see it; empty: every edition."),
    )
    live = models.BooleanField(_("active"), default=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=0,
        help_text=_("When several appeals of a kind fit a reader, the lowest number is shown."),
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    show_ticker = models.BooleanField(
        _("show the gap ticker"),
        default=False,
        help_text=_("A bar of this month's support against the monthly cost."),
    )
    include_sections = ParentalManyToManyField(
        "newsroom.SectionPage",
        verbose_name=_("only in sections"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every section. Pages other than articles belong to no section."),
    )
    exclude_sections = ParentalManyToManyField(
        "newsroom.SectionPage", verbose_name=_("not in sections"), blank=True, related_name="+"
    )
    include_tags = ParentalManyToManyField(
        "taggit.Tag",
        verbose_name=_("only on articles tagged"),
        blank=True,
        related_name="+",
        help_text=_("Empty: any article, tagged or not."),
    )
    exclude_tags = ParentalManyToManyField(
        "taggit.Tag", verbose_name=_("not on articles tagged"), blank=True, related_name="+"
    )
    min_articles = models.PositiveSmallIntegerField(
        _("articles read first"),
        default=0,
        help_text=_("Show only to readers who read at least this many articles in 30 days."),
    )
    every_days = models.PositiveSmallIntegerField(
        _("at most once every (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: once every 7 days for the modal, on every page for the header message "
            "and the letter. 0: on every page."
        ),
    )
    dismiss_days = models.PositiveSmallIntegerField(_("after closing, hide for (days)"), default=30)
    gave_days = models.PositiveSmallIntegerField(
        _("hide from readers who gave in the last (days)"),
        default=180,
        help_text=_("0: show to donors too. Known only to the reader's browser."),
    )
    countries = models.CharField(
        _("only in countries"),
        max_length=300,
        blank=True,
        validators=[COUNTRY_LIST],
        help_text=_(
            "Two-letter codes, comma-separated; empty: everywhere. Used only when the site "
            "sits behind a CDN that names the reader's country (READERFUND_COUNTRY_HEADER); "
            "otherwise ignored."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("language"), FieldPanel("priority")]),
                FieldPanel("live"),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("show_ticker"),
            ],
            heading=_("Appeal"),
        ),
        InlinePanel("variants", heading=_("Variants"), label=_("Variant"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("include_sections"), FieldPanel("exclude_sections")]),
                FieldRowPanel([FieldPanel("include_tags"), FieldPanel("exclude_tags")]),
                FieldPanel("min_articles"),
                FieldRowPanel(
                    [
                        FieldPanel("every_days"),
                        FieldPanel("dismiss_days"),
                        FieldPanel("gave_days"),
                    ]
                ),
                FieldPanel("countries"),
            ],
            heading=_("Who sees it"),
        ),
    ]

    class Meta:
        ordering = ["kind", "priority", "pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})
        self.countries = ",".join(self.country_codes)

    @property
    def country_codes(self) -> list[str]:
        return [code.strip().upper() for code in self.countries.split(",") if code.strip()]

    @property
    def cap_days(self) -> int:
        if self.every_days is not None:
            return self.every_days
        return self.DEFAULT_EVERY_DAYS.get(self.kind, 0)

    # Preview: each variant as readers see it ---------------------------------------------

    @property
    def preview_modes(self):
        modes = [
            (variant.key, _("Variant %(key)s") % {"key": variant.key})
            for variant in self.variants.all()
            if variant.key
        ]
        return modes or [("", _("Default"))]

    @property
    def default_preview_mode(self):
        return self.preview_modes[0][0]

    def get_preview_template(self, request, mode_name):
        return "appeals/preview.html"

    # The preview's context (figures, copy, links) is made by appeals.services, which
    # depends on these models: AppealsConfig.ready() plugs it in, so no model imports it.
    preview_context = None

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        variants = list(self.variants.all())
        variant = next(
            (v for v in variants if v.key == mode_name), variants[0] if variants else None
        )
        context.update(self.preview_context(variant))
        return context


class AppealVariant(Orderable):
    appeal = ParentalKey(Appeal, on_delete=models.CASCADE, related_name="variants")
    key = models.SlugField(
        _("code"),
        max_length=20,
        help_text=_("A short code for this variant in links and statistics: a, b, short…"),
    )
    heading = models.CharField(
        _("heading"), max_length=200, blank=True, help_text=_("Not shown by the header message.")
    )
    body = RichTextField(
        _("copy"),
        features=COPY_FEATURES,
        help_text=_(
            "May use {newsroom}, {monthly_cost}, {ad_free_since}, {percent}, {raised}, {gap} "
            "and {supporters}: this month's figures. With 'percent only' public figures, "
            "only {newsroom}, {ad_free_since} and {percent} are filled in."
        ),
    )
    button_label = models.CharField(
        _("button label"), max_length=60, blank=True, help_text=_("Empty: “Support us”.")
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        help_text=_("Share of readers who get this variant, against the others; 0 pauses it."),
    )

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("weight")]),
        FieldPanel("heading"),
        FieldPanel("body"),
        FieldPanel("button_label"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "key"], name="one_variant_per_code")
        ]

    def __str__(self):
        return f"{self.appeal_id}:{self.key}"

    def clean(self):
        super().clean()
        unknown = sorted(
            {name for text in (self.heading, self.body) for name in PLACEHOLDER.findall(text or "")}
            - set(PLACEHOLDERS)
        )
        if unknown:
            raise ValidationError(
                _("Unknown placeholder: %(names)s. Known: %(known)s.")
                % {
                    "names": ", ".join(f"{{{name}}}" for name in unknown),
                    "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                }
            )


class AppealCount(models.Model):
    """How often one variant was shown, clicked, closed and postponed on one day, in total.

    Counted in each web process's memory and added here every few seconds (appeals/counting.py),
    so no request waits for this row; no reader, address or cookie is stored."""

    COUNTERS = ("impressions", "clicks", "dismissals", "reminders")

    day = models.DateField()
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="counts")
    variant = models.CharField(max_length=20)
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    dismissals = models.PositiveIntegerField(default=0)
    reminders = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("appeal count")
        verbose_name_plural = _("appeal counts")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "variant", "day"], name="one_count_per_day")
        ]

    def __str__(self):
        return f"{self.day} {self.appeal_id}:{self.variant}"

    @classmethod
    def add(cls, counts: dict) -> None:
        """Add {(appeal id, variant, day): {counter: n}} to the daily rows, creating those
        missing, in one statement: two processes adding at once lose nothing. Counts of an
        appeal deleted meanwhile are dropped with it."""
        appeal_ids = {appeal_id for appeal_id, _, _ in counts}
        existing = set(Appeal.objects.filter(pk__in=appeal_ids).values_list("pk", flat=True))
        rows = [
            {"appeal": appeal_id, "variant": variant, "day": day}
            | {counter: added.get(counter, 0) for counter in cls.COUNTERS}
            for (appeal_id, variant, day), added in counts.items()
            if appeal_id in existing
        ]
        insert_or_add(cls, rows, unique=["appeal", "variant", "day"], add=list(cls.COUNTERS))
