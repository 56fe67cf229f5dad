"""Helpers for the funding tests."""

from funding.models import DailyRevenue, Supporter, SupporterCount


def snapshot():
    """Every rollup row, comparable: what incremental updates and a rebuild must agree on."""
    return (
        sorted(
            DailyRevenue.objects.values_list(
                "day",
                "currency",
                "frequency",
                "charges",
                "charge_count",
                "refunds",
                "disputes",
                "fees",
                "new_recurring",
            )
        ),  # fmt: skip
        sorted(Supporter.objects.values_list("month", "contributor_id")),
        sorted(SupporterCount.objects.values_list("month", "count")),
    )
