"""Bank transfers: the newsroom's bank details and a reference code per contribution.

`begin` makes the contribution's code (RF-XXXX-XXXX, random, from letters and digits that
are not mistaken for one another); the checkout keeps it as the contribution's payment
method and claims the first period, which waits ("processing") until a statement shows the
money. Renewals claim each period the same way: the donor's standing order pays it.

A statement line that quotes a code (anywhere in its text, with or without the dashes and
in any case) is a charge of that contribution: of its oldest period not paid yet, else of
the contribution alone (money that came early or twice still goes in the ledger). The
amount is what arrived. A line in another currency than the contribution's, or whose code
matches none, is left for staff to match by hand.
"""

import re
import secrets
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.models import Contribution, Payment
from contributions.money import Money
from contributions.providers.bank import statements
from contributions.providers.base import (
    BasePaymentProvider,
    ChargeResult,
    Event,
    Fact,
    Mark,
    Session,
    StatementLine,
    Unsupported,
)

ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B
CODE_LENGTH = 8
CODE_IN_TEXT = re.compile(rf"RF([{ALPHABET}]{{{CODE_LENGTH}}})")
MARK = Mark(
    label=str(_("Bank transfer")),
    svg='<svg class="mark" viewBox="0 0 56 32" width="56" height="32" role="img" '
    'aria-label="{label}"><rect x="0.5" y="0.5" width="55" height="31" rx="4" fill="#fff" '
    'stroke="#d0cdc5"/><path d="M28 5 14 12h28z" fill="#3d5a80"/><rect x="16" y="13" '
    'width="3" height="10" fill="#3d5a80"/><rect x="22" y="13" width="3" height="10" '
    'fill="#3d5a80"/><rect x="31" y="13" width="3" height="10" fill="#3d5a80"/><rect '
    'x="37" y="13" width="3" height="10" fill="#3d5a80"/><rect x="13" y="24" width="30" '
    'height="3" fill="#3d5a80"/></svg>',
)


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"RF-{body[:4]}-{body[4:]}"


def codes_in(text: str) -> list[str]:
    """The reference codes a line's text quotes, as RF-XXXX-XXXX."""
    squeezed = re.sub(r"[^A-Z0-9]", "", text.upper())
    return [f"RF-{m[:4]}-{m[4:]}" for m in CODE_IN_TEXT.findall(squeezed)]


class BankTransferProvider(BasePaymentProvider):
    name = "bank"
    pays_elsewhere = True
    verbose_name = _("Bank transfer")
    instructions_template = "contributions/providers/bank/instructions.html"
    reads_statements = True

    def is_configured(self) -> bool:
        return bool(settings.BANK_IBAN)

    def accepts(self, currency: str) -> bool:
        return currency.upper() in settings.BANK_CURRENCIES

    def marks(self) -> list[Mark]:
        label = str(_("Bank transfer"))
        return [Mark(label=label, svg=MARK.svg.replace("{label}", label))]

    def begin(self, contribution) -> Session:
        return Session(
            action="pay_elsewhere", client_secret=None, publishable_key=None, reference=new_code()
        )

    def saved_payment_method(self, contribution, reference: str) -> str:
        """The reference code: what the donor's transfers quote."""
        return reference

    def charge(self, payment, *, off_session: bool, idempotency_key: str) -> ChargeResult:
        """Nothing to ask anyone: the period waits for the transfer to show in a statement."""
        return ChargeResult(status="processing", reference=None)

    def find_charge(self, payment) -> ChargeResult | None:
        return None

    def refund(self, payment, amount=None, *, idempotency_key=None):
        raise Unsupported("refund the donor by bank, then record it in the admin")

    def instructions(self, contribution) -> dict | None:
        if not contribution.payment_method:
            return None
        return {
            "holder": settings.BANK_ACCOUNT_HOLDER,
            "iban": settings.BANK_IBAN,
            "bic": settings.BANK_BIC,
            "bank": settings.BANK_NAME,
            "reference": contribution.payment_method,
            "amount": contribution.per_period,
            "standing_order": contribution.is_recurring,
        }

    # Statements -------------------------------------------------------------------------------

    def read_statement(self, data: bytes, filename: str) -> list[StatementLine]:
        return statements.read(data, filename)

    def match_line(self, line: StatementLine, code: str | None = None) -> Event | None:
        contribution = self._contribution(line, code)
        if contribution is None:
            return None
        payment = (
            Payment.objects.filter(contribution=contribution)
            .exclude(status=Payment.Status.SUCCEEDED)
            .order_by("period")
            .values_list("pk", flat=True)
            .first()
        )
        payload = {
            "line": line.id,
            "booked_on": line.booked_on.isoformat(),
            "amount": line.amount.amount,
            "currency": line.amount.currency,
            "contribution": str(contribution.pk),
            "payment": str(payment) if payment else None,
        }  # the line's text is not kept: it may name the payer
        return Event(id=f"line:{line.id}", type="statement.credit", payload=payload)

    def _contribution(self, line: StatementLine, code: str | None) -> Contribution | None:
        wanted = codes_in(code) if code else codes_in(line.text)
        found = list(Contribution.objects.filter(provider=self.name, payment_method__in=wanted)[:2])
        if len(found) != 1 or found[0].currency != line.amount.currency:
            return None
        return found[0]

    def minimise(self, event: Event) -> Event | None:
        return event  # made by match_line with nothing more than the ledger needs

    def facts_from_payload(self, payload: dict) -> list[Fact]:
        booked = datetime.combine(datetime.fromisoformat(payload["booked_on"]).date(), time(12))
        return [
            Fact(
                kind="charge",
                reference=payload["line"],
                contribution=payload["contribution"],
                payment=payload["payment"],
                amount=Money(payload["amount"], payload["currency"]),
                occurred_at=timezone.make_aware(booked),
            )
        ]
