"""The public figures (/funding.json), the staff dashboard, its CSV and the rates import."""

import csv

from django import forms
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.admin.auth import permission_required

from contributions import providers
from contributions.models import Frequency
from contributions.money import Money
from contributions.services import switching
from funding import charts, rates, services
from funding.models import FundingSettings
from readerfund.lib.http import make_public
from readerfund.lib.spreadsheet import safe_row

MONTHS_SHOWN = 24
PUBLIC_MAX_AGE = 60


@require_GET
def funding_json(request):
    """This month's figures for readers' ticker: the same for every reader, cacheable."""
    return make_public(JsonResponse(services.public_figures()), PUBLIC_MAX_AGE)


def _recent_months(today):
    last = services.month_start(today)
    first = services.add_months(last, -(MONTHS_SHOWN - 1))
    return services.monthly_figures(first, last, today=today)


@permission_required("funding.view_dashboard")
def dashboard(request):
    today = timezone.localdate()
    figures = _recent_months(today)
    current = figures[-1]
    last_year = figures[-12:]
    currency = current.currency
    frequency_names = dict(Frequency.choices)
    by_frequency = [
        (str(frequency_names[code]), Money(amount, currency))
        for code, amount in sorted(services.by_frequency(last_year).items())
    ]
    by_currency = [
        (code, Money(amount, code))
        for code, amount in sorted(services.by_currency(last_year).items())
    ]
    context = {
        "page_title": _("Funding"),
        "today": today,
        "current": current,
        "months": list(reversed(figures)),
        "settings": FundingSettings.load(request_or_site=request),
        "unconverted": services.unconverted(figures),
        "at_risk": [
            {"way": providers.get(name).verbose_name, "amounts": amounts}
            for name, amounts in switching.at_risk().items()
        ],
        "ticker_chart": charts.ticker(current.revenue, current.cost, currency, current.percent),
        "revenue_chart": charts.revenue_against_cost(figures),
        "mrr_chart": charts.mrr_trend(figures),
        "frequency_chart": charts.shares(
            _("Revenue by frequency, last 12 months"),
            _("Revenue in the base currency from one-off, monthly and annual contributions."),
            by_frequency,
        ),
        "currency_chart": charts.shares(
            _("Revenue by currency, last 12 months"),
            _("Revenue in each currency contributions were paid in, before conversion."),
            by_currency,
        ),
        "shares": by_frequency + by_currency,  # on a phone, in place of the two charts
    }
    return TemplateResponse(request, "funding/admin/dashboard.html", context)


CSV_COLUMNS = [
    "month", "currency", "revenue", "charges", "refunds", "disputes", "fees", "mrr",
    "supporters", "new_recurring", "lapsed", "cost", "gap", "percent", "unconverted",
]  # fmt: skip


def write_csv(out, figures) -> None:
    """Monthly figures as CSV, amounts in major units (exact decimals, never floats)."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for month in figures:
        major = {
            name: Money(getattr(month, name) or 0, month.currency).major
            for name in ("revenue", "charges", "refunds", "disputes", "fees", "mrr", "cost", "gap")
        }
        writer.writerow(
            safe_row(
                [month.month.strftime("%Y-%m"), month.currency]
                + [major[name] for name in ("revenue", "charges", "refunds", "disputes", "fees")]
                + [major["mrr"], month.supporters, month.new_recurring, month.lapsed]
                + [major["cost"], major["gap"], "" if month.percent is None else month.percent]
                + [" ".join(m.money.format() for m in month.unconverted.values())]
            )
        )


@permission_required("funding.view_dashboard")
def export_csv(request):
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="readerfund-funding-{today:%Y-%m}.csv"'
    write_csv(response, _recent_months(today))
    return response


class RatesImportForm(forms.Form):
    file = forms.FileField(
        label=_("Rates file (CSV)"),
        help_text=_(
            "The European Central Bank's reference rates (eurofxref.csv or eurofxref-hist.csv, "
            "rates per euro). Days already stored are replaced."
        ),
    )
    currencies = forms.CharField(
        label=_("Currencies"),
        required=False,
        help_text=_("Comma-separated codes to import; empty imports every currency."),
    )

    def clean_currencies(self):
        codes = [c.strip().upper() for c in self.cleaned_data["currencies"].split(",")]
        return [code for code in codes if code] or None


@permission_required("funding.add_exchangerate")
def import_rates(request):
    form = RatesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            counts = rates.import_ecb_csv(text, currencies=form.cleaned_data["currencies"])
        except (UnicodeDecodeError, rates.RateError) as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _("Imported %(rates)s rates for %(days)s days.") % counts,
            )
            return redirect("funding_import_rates")
    return TemplateResponse(
        request,
        "funding/admin/import_rates.html",
        {"form": form, "page_title": _("Import exchange rates")},
        status=400 if form.errors else 200,
    )
