"""Charts drawn on the server as SVG: no scripts, no fonts or files from anywhere.

Each chart has a <title> and a <desc> that say what it shows, labelled axes, and its values
written as text, so it reads without colour and through a screen reader. Coordinates are
integers worked out with integer arithmetic from the amounts (minor units).
"""

from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from contributions.money import Money
from readerfund.lib import l10n

WIDTH = 960
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 28, 44
REVENUE, COST, MRR, GAP, AXIS = "#1f6f5c", "#b0413e", "#2b5fa8", "#e9ecef", "#555"
_ids = count(1)


def compact(amount: int, currency: str) -> str:
    """A short label for an axis or a bar, in the page's language (CLDR's short forms):
    '$12K', '€950', '−£40'; '12 тыс. $' in Russian."""
    return l10n.compact_money(Money(amount, currency).major, currency)


def _nice_top(value: int) -> int:
    """A round number at or above value for the top of an axis (1, 2 or 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    scale = 1
    while scale * 10 <= value:
        scale *= 10
    for step in (1, 2, 5, 10):
        if step * scale >= value:
            return step * scale
    return 10 * scale


def _svg(*parts):
    """The parts (each already safe: built with format_html) closed by </svg>."""
    return format_html("{}" * len(parts) + "</svg>", *parts)


def _open(height: int, title: str, desc: str):
    number = next(_ids)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="chart-{n}-title chart-{n}-desc" class="funding-chart" '
        'font-family="system-ui, sans-serif" font-size="12">'
        '<title id="chart-{n}-title">{title}</title><desc id="chart-{n}-desc">{desc}</desc>',
        w=WIDTH,
        h=height,
        n=number,
        title=title,
        desc=desc,
    )


def _y_axis(top: int, currency: str, height: int, label: str):
    plot = height - TOP - BOTTOM
    ticks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"/>'
        '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, y, y, LEFT - 6, y + 4, AXIS, compact(top * i // 4, currency))
            for i, y in ((i, TOP + plot - plot * i // 4) for i in range(5))
        ),
    )
    return format_html(
        '{}<text x="14" y="{}" transform="rotate(-90 14 {})" text-anchor="middle" '
        'fill="{}">{}</text>',
        ticks,
        TOP + plot // 2,
        TOP + plot // 2,
        AXIS,
        label,
    )


def _x_labels(months, height: int):
    slot = (WIDTH - LEFT - RIGHT) // max(len(months), 1)
    every = 1 if len(months) <= 12 else 2
    return format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
        (
            (LEFT + slot * i + slot // 2, height - BOTTOM + 16, AXIS,
             l10n.short_month(month))
            for i, month in enumerate(months)
            if (len(months) - 1 - i) % every == 0
        ),
    )  # fmt: skip


def revenue_against_cost(figures, height: int = 320):
    """Bars of each month's revenue, with the month's cost drawn across each bar."""
    currency = figures[0].currency if figures else "USD"
    top = _nice_top(max([max(f.revenue, f.cost) for f in figures] + [1]))
    plot = height - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) // max(len(figures), 1)
    parts = [
        _open(
            height,
            _("Revenue against cost, by month"),
            _(
                "Bars: revenue each month (charges minus refunds and disputes). Red lines: "
                "the month's cost. Values are written above the bars; the table below has "
                "every figure."
            ),
        ),
        _y_axis(top, currency, height, _("Amount (%(currency)s)") % {"currency": currency}),
    ]
    for i, month in enumerate(figures):
        x = LEFT + slot * i + slot // 8
        bar = max(month.revenue, 0) * plot // top
        cost_y = TOP + plot - month.cost * plot // top
        parts.append(
            format_html(
                "<g><title>{label}</title>"
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>'
                '<text x="{cx}" y="{ty}" text-anchor="middle" font-size="10" fill="#222">'
                "{value}</text>{cost}</g>",
                label=_("%(month)s: revenue %(revenue)s, cost %(cost)s")
                % {
                    "month": l10n.month(month.month),
                    "revenue": Money(month.revenue, currency),
                    "cost": Money(month.cost, currency),
                },
                x=x,
                y=TOP + plot - bar,
                w=slot * 3 // 4,
                h=bar,
                fill=REVENUE,
                cx=x + slot * 3 // 8,
                ty=TOP + plot - bar - 4,
                value=compact(month.revenue, currency),
                cost=format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="3"/>',
                    x - slot // 16,
                    x + slot * 3 // 4 + slot // 16,
                    cost_y,
                    cost_y,
                    COST,
                )
                if month.cost
                else "",
            )
        )
    parts += [_x_labels([f.month for f in figures], height), _legend(height)]
    return _svg(*parts)


def _legend(height: int):
    return format_html(
        '<rect x="{}" y="6" width="12" height="12" fill="{}"/><text x="{}" y="16">{}</text>'
        '<line x1="{}" x2="{}" y1="12" y2="12" stroke="{}" stroke-width="3"/>'
        '<text x="{}" y="16">{}</text>',
        LEFT,
        REVENUE,
        LEFT + 18,
        _("Revenue"),
        LEFT + 110,
        LEFT + 124,
        COST,
        LEFT + 130,
        _("Cost"),
    )


def mrr_trend(figures, height: int = 260):
    """A line of monthly recurring revenue, month by month, each point labelled."""
    currency = figures[0].currency if figures else "USD"
    values = [f.mrr or 0 for f in figures]
    top = _nice_top(max(values + [1]))
    plot = height - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) // max(len(figures), 1)
    points = [
        (LEFT + slot * i + slot // 2, TOP + plot - max(value, 0) * plot // top)
        for i, value in enumerate(values)
    ]
    return _svg(
        _open(
            height,
            _("Monthly recurring revenue"),
            _("Monthly contributions plus a twelfth of annual ones, month by month."),
        ),
        _y_axis(top, currency, height, _("MRR (%(currency)s)") % {"currency": currency}),
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
            " ".join(f"{x},{y}" for x, y in points),
            MRR,
        ),
        format_html_join(
            "",
            '<g><title>{}</title><circle cx="{}" cy="{}" r="3" fill="{}"/>'
            '<text x="{}" y="{}" text-anchor="middle" font-size="10">{}</text></g>',
            (
                (
                    f"{l10n.month(f.month)}: {Money(v, currency)}",
                    x,
                    y,
                    MRR,
                    x,
                    y - 7,
                    compact(v, currency)
                    if i % 2 == len(values) % 2 or i == len(values) - 1
                    else "",
                )
                for i, (f, v, (x, y)) in enumerate(zip(figures, values, points, strict=True))
            ),
        ),  # fmt: skip
        _x_labels([f.month for f in figures], height),
    )


def shares(title: str, desc: str, rows: list[tuple[str, Money]]):
    """Horizontal bars, one per row (label, amount), with the amount written beside each."""
    height = TOP + 30 * len(rows) + 12
    top = max([money.amount for _label, money in rows] + [1])
    width = WIDTH - 200 - 160
    bars = format_html_join(
        "",
        '<g><text x="190" y="{ty}" text-anchor="end">{label}</text>'
        '<rect x="200" y="{y}" width="{w}" height="18" fill="{fill}"/>'
        '<text x="{vx}" y="{ty}">{value}</text></g>',
        (
            {
                "label": label,
                "y": TOP + 30 * i,
                "ty": TOP + 30 * i + 14,
                "w": max(money.amount, 0) * width // top,
                "fill": REVENUE,
                "vx": 206 + max(money.amount, 0) * width // top,
                "value": money.format(),
            }
            for i, (label, money) in enumerate(rows)
        ),
    )
    return _svg(_open(height, title, desc), bars)


def ticker(raised: int, cost: int, currency: str, percent: int | None, height: int = 56):
    """This month's bar: how much of the cost is raised, as readers' ticker shows it."""
    width = WIDTH - 2 * LEFT
    filled = 0 if not cost else min(max(raised, 0) * width // cost, width)
    label = (
        _("%(percent)s%% of %(cost)s raised this month")
        % {"percent": percent, "cost": Money(cost, currency)}
        if percent is not None
        else _("No monthly cost is set for this month")
    )
    return _svg(
        _open(height, _("This month's funding"), label),
        format_html(
            '<rect x="{x}" y="8" width="{w}" height="24" fill="{gap}" stroke="#999"/>'
            '<rect x="{x}" y="8" width="{f}" height="24" fill="{fill}"/>'
            '<text x="{x}" y="50">{raised}</text>'
            '<text x="{end}" y="50" text-anchor="end">{label}</text>',
            x=LEFT,
            w=width,
            gap=GAP,
            f=filled,
            fill=REVENUE,
            raised=Money(raised, currency).format(),
            end=LEFT + width,
            label=label,
        ),
    )
