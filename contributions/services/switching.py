"""Staff switch a payment provider off (or on again), at once.

Off: the form and checkout stop offering it (`providers.enabled`, `providers.takes`; every
page the server kept is forgotten, though a browser may keep /support/ until its max-age),
its renewals pause (`renewals.charge_due` claims none of its periods; they resume, from the next
period not yet past, when it is switched on again), and each of its active recurring donors
gets one email inviting them to continue another way (their choice: nothing moves by
itself). The funding dashboard shows what those contributions bring in a month: the revenue
at risk (`at_risk`).
"""

from django.db import transaction
from django.utils import timezone

from contributions import notices, providers
from contributions.models import Contribution, Frequency, ProviderSwitch
from contributions.money import Money
from privacy import audit
from readerfund.lib import pagegen


@transaction.atomic
def switch(name: str, *, enabled: bool, staff_user) -> int:
    """Switch `name` on or off. Returns how many recurring donors are told (off only)."""
    if name not in providers.PROVIDERS:
        raise KeyError(name)
    ProviderSwitch.objects.update_or_create(name=name, defaults={"enabled": enabled})
    audit.record(
        audit.Action.PROVIDER_SWITCH,
        via=audit.Via.ADMIN,
        actor=staff_user,
        target=f"provider:{name}:{'on' if enabled else 'off'}",
    )
    transaction.on_commit(pagegen.bump)  # kept pages show the ways to give: forget them all
    if enabled:
        recurring(name).skip_past_periods(timezone.localdate())
        return 0
    donors = [str(pk) for pk in recurring(name).values_list("pk", flat=True)]
    if donors:
        transaction.on_commit(lambda: notices.send_way_closed_notices.enqueue(donors))
    return len(donors)


def recurring(name: str):
    """The provider's active recurring contributions."""
    return Contribution.objects.filter(provider=name, status=Contribution.Status.ACTIVE).exclude(
        frequency=Frequency.ONCE
    )


def at_risk() -> dict[str, list[Money]]:
    """Per switched-off provider, what its active recurring contributions bring in a month,
    per currency (an annual gift counts a twelfth, rounded down)."""
    risk = {}
    for name in sorted(providers.switched_off()):
        totals: dict[str, int] = {}
        for contribution in recurring(name):
            monthly = contribution.per_period.amount
            if contribution.frequency == Frequency.ANNUAL:
                monthly //= 12
            totals[contribution.currency] = totals.get(contribution.currency, 0) + monthly
        risk[name] = [Money(amount, code) for code, amount in sorted(totals.items())]
    return risk
