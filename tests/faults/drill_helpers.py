"""What the fault tests compare: the emulator's own lists of charges and refunds (read over
the wire, as Stripe's dashboard would be), and a staff member who may refund."""

from django.contrib.auth import get_user_model

from tests.contributions.stripe_helpers import stripe_client


def emulator_intents(contribution=None) -> list[dict]:
    """Every PaymentIntent the emulator holds (for `contribution` when given)."""
    with stripe_client() as client:
        listed = client.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()
        intents = [intent.to_dict() for intent in listed]
    if contribution is None:
        return intents
    ours = str(contribution.pk)
    return [i for i in intents if (i.get("metadata") or {}).get("contribution") == ours]


def emulator_refunds(contribution) -> list[dict]:
    """The emulator's refunds of the contribution's charges."""
    found = []
    with stripe_client() as client:
        for intent in emulator_intents(contribution):
            listed = client.v1.refunds.list(params={"payment_intent": intent["id"], "limit": 100})
            found += [refund.to_dict() for refund in listed.data]
    return found


def staff_user(username="finance"):
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, "email": "finance@newsroom.example"}
    )
    return user


def books_agree(contributions) -> int:
    """Our ledger's charges are exactly the emulator's successful charges for these
    contributions (compared by listing both), and no period was charged twice at the
    emulator. The number of charges."""
    from contributions.models import LedgerEntry

    ids = {str(c.pk) for c in contributions}
    theirs = [
        intent
        for intent in emulator_intents()
        if (intent.get("metadata") or {}).get("contribution") in ids
        and intent["status"] == "succeeded"
    ]
    periods = [(i["metadata"]["contribution"], i["metadata"]["period"]) for i in theirs]
    assert len(periods) == len(set(periods)), "a period was charged twice at the provider"
    ours = LedgerEntry.objects.filter(contribution__in=list(contributions), kind="charge")
    assert sorted(ours.values_list("reference", flat=True)) == sorted(i["id"] for i in theirs)
    return len(theirs)


def receipts_to(mailbox) -> dict[str, int]:
    """How many receipts each address got."""
    counts: dict[str, int] = {}
    for message in mailbox.messages:
        if "receipt" in str(message["Subject"]).lower():
            counts[str(message["To"])] = counts.get(str(message["To"]), 0) + 1
    return counts
