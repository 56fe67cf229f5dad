"""Donors manage their giving without an account: a signed link by email, the contributions
it opens, stopping one, and erasing what we hold about the donor.

The link carries one signed token naming the contributor (its id and the number of the link,
nothing else) and works for 24 hours. Opening it moves the authority out of the URL at once:
the page answers with a redirect that sets a cookie (MANAGE_COOKIE: scoped to
/support/manage/, HttpOnly, SameSite=Strict, Secure on https) holding a session signed for
one hour, so the address bar, the history and any Referer carry no token. Each new link
counts up `Contributor.manage_links`; a link or a session naming an older number stops
working, so asking for a new link revokes every older one. Forms carry a CSRF token derived
from the session (`csrf_token`): the cookie alone never changes anything.

Whoever holds a link can change, stop or resume contributions and erase the donor's data,
which is what the person at that address may do anyway; it can never move money to anyone
but the newsroom.
"""

import logging
import secrets
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from contributions import providers
from contributions.models import ERASED_PREFIX, Contribution, Contributor, Payment
from contributions.providers.base import ProviderError

log = logging.getLogger(__name__)

MANAGE_SALT = "readerfund.manage"
MANAGE_MAX_AGE = timedelta(hours=24)
SESSION_SALT = "readerfund.manage.session"
SESSION_MAX_AGE = timedelta(hours=1)
MANAGE_COOKIE = "manage"
MANAGE_COOKIE_PATH = "/support/manage/"  # the default edition's; cookie_path() for any


def cookie_path() -> str:
    """Where the manage cookie goes: the active edition's /support/manage/ (/ru/support/manage/
    in the Russian one, which the emailed link opens in the donor's language)."""
    return reverse("contributions:manage")


RECENT_PAYMENTS = 12  # per contribution, on the page


class InvalidLink(Exception):
    """A token that was changed, has expired, or names no contributor."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "not valid")
        self.expired = expired


def manage_token(contributor: Contributor) -> str:
    """The token of the contributor's newest link (see issue_link)."""
    return _sign(contributor, MANAGE_SALT)


def issue_link(contributor: Contributor) -> str:
    """A new link's token: every older link, and every page opened with one, stops working."""
    Contributor.objects.filter(pk=contributor.pk).update(manage_links=F("manage_links") + 1)
    contributor.refresh_from_db(fields=["manage_links"])
    return manage_token(contributor)


def session_value(contributor: Contributor) -> str:
    """What the cookie holds once a link was opened: good for SESSION_MAX_AGE."""
    return _sign(contributor, SESSION_SALT)


def _sign(contributor: Contributor, salt: str) -> str:
    data = {"contributor": contributor.pk, "link": contributor.manage_links}
    return signing.dumps(data, salt=salt)


def contributor_from_token(token: str, max_age: timedelta = MANAGE_MAX_AGE) -> Contributor:
    """The contributor a link's token names; InvalidLink when changed, expired, replaced by
    a newer link, or naming no one."""
    return _contributor_from(token, MANAGE_SALT, max_age)


def contributor_from_session(value: str | None) -> Contributor:
    """The contributor the manage cookie names; InvalidLink as for a link."""
    if not value:
        raise InvalidLink(expired=True)
    return _contributor_from(value, SESSION_SALT, SESSION_MAX_AGE)


def _contributor_from(value: str, salt: str, max_age: timedelta) -> Contributor:
    try:
        data = signing.loads(value, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidLink(expired=True) from None
    except signing.BadSignature:
        raise InvalidLink() from None
    pk = data.get("contributor") if isinstance(data, dict) else None
    contributor = Contributor.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if contributor is None:
        raise InvalidLink()
    if data.get("link", 0) != contributor.manage_links:
        raise InvalidLink(expired=True)  # a newer link was asked for since
    return contributor


def csrf_token(session: str) -> str:
    """The token every form of the manage pages carries, bound to the session in the cookie:
    another site can make the browser send the cookie (were SameSite ignored) but cannot
    read this."""
    return salted_hmac("readerfund.manage.csrf", session).hexdigest()


def csrf_valid(session: str, given: str | None) -> bool:
    return bool(given) and constant_time_compare(csrf_token(session), given)


def overview(contributor: Contributor) -> list[dict]:
    """The donor's contributions, newest first, each with its recent succeeded payments."""
    contributions = contributor.contributions.order_by("-created_at")
    found = []
    for contribution in contributions:
        payments = contribution.payments.filter(status=Payment.Status.SUCCEEDED).order_by(
            "-due_on"
        )[:RECENT_PAYMENTS]
        found.append(
            {
                "contribution": contribution,
                "payments": list(payments),
                "can_stop": _can_stop(contribution),
                "can_resume": _can_resume(contribution),
                "can_update_card": _can_stop(contribution) and _takes_cards(contribution),
            }
        )
    return found


def _can_stop(contribution: Contribution) -> bool:
    return contribution.is_recurring and contribution.status == Contribution.Status.ACTIVE


def _takes_cards(contribution: Contribution) -> bool:
    try:
        return providers.get(contribution.provider).browser_part() is not None
    except KeyError:
        return False


def _can_resume(contribution: Contribution) -> bool:
    stopped = [Contribution.Status.CANCELLED, Contribution.Status.LAPSED]
    erased = contribution.contributor.is_erased
    return contribution.is_recurring and contribution.status in stopped and not erased


def erase_contributors(index: str) -> dict[str, int]:
    """Erase the personal data of the contributor found by an email blind index: stop their
    recurring contributions, replace email and name (theirs and their gifts'), give them a
    random index (so the address finds them no more), drop the saved cards, and, once the
    erasure is committed, delete their customers at the provider (with the cards saved on
    them). Contributions, payments and the ledger stay: they hold amounts and dates, no
    personal data."""
    counts = {"contributors": 0, "contributions_stopped": 0}
    with transaction.atomic():
        contributor = Contributor.objects.select_for_update().filter(email_index=index).first()
        if contributor is None or contributor.is_erased:
            return counts
        customers = provider_customers(contributor)
        counts["contributions_stopped"] = contributor.contributions.stop()
        contributor.contributions.update(
            payment_method="", name=None, provider_customer="", card_brand="", card_last4=""
        )
        contributor.email = ""  # the field is not nullable; "" is encrypted like any text
        contributor.name = None
        contributor.email_index = ERASED_PREFIX + secrets.token_hex(28)
        contributor.provider_customers = {}
        contributor.save(update_fields=["email", "name", "email_index", "provider_customers"])
        counts["contributors"] = 1
        counts["provider_customers"] = len(customers)
        transaction.on_commit(lambda: forget_customers(customers))
    log.info("contributor %s erased: %s", contributor.pk, counts)
    return counts


def provider_customers(contributor: Contributor) -> list[tuple[str, str]]:
    """(provider, customer id) for every customer a provider keeps for this contributor:
    one per gift, and the donor's own from before gifts had theirs."""
    found = set(
        contributor.contributions.exclude(provider_customer="").values_list(
            "provider", "provider_customer"
        )
    )
    found |= set((contributor.provider_customers or {}).items())
    return sorted(found)


def forget_customers(customers: list[tuple[str, str]]) -> int:
    """Ask each provider to delete these customers (and their saved cards), through the
    provider contract; how many are gone. One that fails is logged by code and left: the
    provider keeps an opaque customer that names no one, with its card, until staff delete
    it in the provider's dashboard."""
    gone = 0
    for name, customer in customers:
        try:
            providers.get(name).forget_customer(customer)
            gone += 1
        except (KeyError, ProviderError) as error:
            code = getattr(error, "code", "unknown_provider")
            log.warning("a %s customer of an erased donor was not deleted: %s", name, code)
    return gone


ABANDONED_AFTER = timedelta(days=7)


def erase_abandoned(now=None) -> int:
    """Erase contributors who never paid: no succeeded payment, and no checkout in the last
    7 days (ABANDONED_AFTER). Their pending or failed contributions stay, without a name or
    an address. Safe to run twice; how many were erased."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    paid = Payment.objects.filter(
        contribution__contributor=OuterRef("pk"), status=Payment.Status.SUCCEEDED
    )
    recent = Contribution.objects.filter(contributor=OuterRef("pk"), created_at__gte=cutoff)
    abandoned = (
        Contributor.objects.exclude(email_index__startswith=ERASED_PREFIX)
        .filter(created_at__lt=cutoff)
        .exclude(Exists(paid))
        .exclude(Exists(recent))
        .values_list("email_index", flat=True)
    )
    erased = sum(erase_contributors(index)["contributors"] for index in list(abandoned[:1000]))
    if erased:
        log.info("%s contributors who never paid erased", erased)
    return erased
