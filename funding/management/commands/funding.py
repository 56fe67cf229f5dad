from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contributions.models import Frequency
from contributions.money import Money
from funding import services


class Command(BaseCommand):
    help = "Print a month's funding figures: revenue, MRR, supporters, cost, gap, percent."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: this month)")

    def handle(self, *args, month=None, **options):
        today = timezone.localdate()
        try:
            first = services.parse_month(month) if month else services.month_start(today)
        except ValueError as error:
            raise CommandError(str(error)) from None
        figures = services.month_figures(first, today=today)
        self.stdout.write("\n".join(report(figures)))
        for missing in figures.unconverted.values():
            self.stderr.write(
                f"warning: {missing.money} paid between {missing.first_day} and "
                f"{missing.last_day} has no {missing.currency} rate on or before those days: "
                "it is left out of the figures above"
            )


def report(f: services.MonthFigures) -> list[str]:
    money = lambda amount: str(Money(amount or 0, f.currency))  # noqa: E731
    frequencies = dict(Frequency.choices)
    lines = [
        f"month          {f.month:%Y-%m}",
        f"currency       {f.currency}",
        f"revenue        {money(f.revenue)}",
        f"  charges      {money(f.charges)} ({f.charge_count})",
        f"  refunds      {money(f.refunds)}",
        f"  disputes     {money(f.disputes)}",
        f"fees           {money(f.fees)}",
        f"mrr            {money(f.mrr)}",
        f"supporters     {f.supporters}",
        f"new recurring  {f.new_recurring}",
        f"lapsed         {f.lapsed}",
        f"cost           {money(f.cost)}",
        f"gap            {money(f.gap)}",
        f"percent        {'-' if f.percent is None else f'{f.percent}%'}",
    ]
    lines += [
        f"  {frequencies.get(code, code)!s:<12} {money(amount)}"
        for code, amount in sorted(f.by_frequency.items())
    ]
    lines += [
        f"  in {code:<9}  {Money(amount, code)}" for code, amount in sorted(f.by_currency.items())
    ]
    return lines
