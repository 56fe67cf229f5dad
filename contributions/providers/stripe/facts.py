"""What Stripe tells us, in the ledger's terms: a PaymentIntent as a ChargeResult, and each
webhook event type as the facts it reports (djangoproject.com's WebhookHandler table). Pure
functions of Stripe's JSON: no network, so a stored event can be applied again at any time."""

from datetime import UTC, datetime

from contributions.money import Money
from contributions.providers.base import ChargeResult, Fact

# PaymentIntent.status → ChargeResult.status
INTENT_STATUS = {
    "succeeded": "succeeded",
    "requires_action": "requires_action",
    "processing": "processing",
    "requires_capture": "processing",
    "requires_confirmation": "processing",
    "requires_payment_method": "failed",  # declined, or authentication failed
    "canceled": "failed",
}


def _result(intent: dict) -> ChargeResult:
    status = INTENT_STATUS.get(intent["status"], "processing")
    charge = intent.get("latest_charge")
    return ChargeResult(
        status=status,
        reference=intent["id"],
        amount=_amount(intent),
        fee=_fee(intent),
        client_secret=intent.get("client_secret") if status == "requires_action" else None,
        failure_code=_failure_code(intent.get("last_payment_error"))
        if status == "failed"
        else None,
        occurred_at=_when((charge if isinstance(charge, dict) else intent).get("created")),
    )


def _id(value) -> str:
    return value if isinstance(value, str) else value["id"]


def _header(headers: dict, name: str) -> str | None:
    wanted = {name.lower(), "http_" + name.lower().replace("-", "_")}  # request.META style
    return next((v for k, v in headers.items() if k.lower() in wanted), None)


def _when(timestamp) -> datetime | None:
    return datetime.fromtimestamp(int(timestamp), tz=UTC) if timestamp else None


def _money(amount, currency: str) -> Money:
    return Money(int(amount), currency.upper())


def _amount(intent: dict) -> Money:
    return _money(intent.get("amount_received") or intent["amount"], intent["currency"])


def _failure_code(error) -> str:
    if not error:
        return "failed"
    return error.get("decline_code") or error.get("code") or "failed"


def _fee(intent: dict) -> Money | None:
    """Stripe's fee, when the charge's balance transaction was expanded and is in the
    charge's own currency (a fee settled in another currency cannot go in this ledger)."""
    charge = intent.get("latest_charge")
    transaction = charge.get("balance_transaction") if isinstance(charge, dict) else None
    if not isinstance(transaction, dict) or transaction.get("fee") is None:
        return None
    if transaction.get("currency", "").upper() != intent["currency"].upper():
        return None
    return _money(transaction["fee"], intent["currency"])


def _ours(obj: dict) -> dict:
    metadata = obj.get("metadata") or {}
    return {"contribution": metadata.get("contribution"), "payment": metadata.get("payment")}


def _intent_facts(intent: dict, when: datetime | None = None) -> list[Fact]:
    """What a PaymentIntent's state says, whichever event (or fetch) brought it."""
    kind = {
        "succeeded": "charge",
        "requires_action": "requires_action",
        "requires_payment_method": "charge_failed",
    }.get(intent.get("status"))
    if kind == "charge_failed" and not intent.get("last_payment_error"):
        return []  # not tried yet: nothing happened
    return _intent_fact(kind, intent, when) if kind else []


def _intent_fact(kind: str, intent: dict, when: datetime | None) -> list[Fact]:
    fee = _fee(intent) if kind == "charge" else None
    return [
        Fact(
            kind=kind,
            reference=intent["id"],
            **_ours(intent),
            amount=_amount(intent),
            occurred_at=when or _when(intent.get("created")),
            failure_code=(
                _failure_code(intent.get("last_payment_error")) if kind == "charge_failed" else None
            ),
            payment_method=intent.get("payment_method")
            if isinstance(intent.get("payment_method"), str)
            else None,
            details={"fee": fee.amount} if fee else {},
        )
    ]


def _succeeded(intent: dict, when) -> list[Fact]:
    return _intent_fact("charge", intent, when)


def _payment_failed(intent: dict, when) -> list[Fact]:
    return _intent_fact("charge_failed", intent, when)


def _requires_action(intent: dict, when) -> list[Fact]:
    return _intent_fact("requires_action", intent, when)


def _card_saved(intent: dict, when) -> list[Fact]:
    method = intent.get("payment_method")
    return [
        Fact(
            kind="card_saved",
            reference=intent["id"],
            contribution=(intent.get("metadata") or {}).get("contribution"),
            payment_method=_id(method) if method else None,
            occurred_at=when,
        )
    ]


def _charge_refunded(charge: dict, when) -> list[Fact]:
    """The charge itself (repairing a missed payment_intent.succeeded) and its refunds, when
    the payload lists them (API versions from 2022-11-15 leave them out: refund.* events,
    or `fetch`, report those)."""
    intent = charge.get("payment_intent") or charge["id"]
    facts = [
        Fact(
            kind="charge",
            reference=_id(intent),
            **_ours(charge),
            amount=_money(charge["amount"], charge["currency"]),
            occurred_at=_when(charge.get("created")),
        )
    ]
    for refund in (charge.get("refunds") or {}).get("data") or []:
        facts += _refund_facts({"payment_intent": intent, **refund}, charge)
    return facts


def _refund_facts(refund: dict, charge: dict | None = None) -> list[Fact]:
    if refund.get("status") not in ("succeeded", None):
        return []  # pending, failed or canceled: no money has gone back yet
    metadata = refund.get("metadata") or (charge or {}).get("metadata") or {}
    intent = refund.get("payment_intent") or (charge or {}).get("payment_intent")
    return [
        Fact(
            kind="refund",
            reference=refund["id"],
            contribution=metadata.get("contribution"),
            payment=metadata.get("payment"),
            charge_reference=_id(intent) if intent else refund.get("charge"),
            amount=_money(refund["amount"], refund["currency"]),
            occurred_at=_when(refund.get("created")),
        )
    ]


def _refund(refund: dict, when) -> list[Fact]:
    return _refund_facts(refund)


def _dispute(dispute: dict, when) -> list[Fact]:
    intent = dispute.get("payment_intent")
    return [
        Fact(
            kind="dispute",
            reference=dispute["id"],
            contribution=(dispute.get("metadata") or {}).get("contribution"),
            charge_reference=_id(intent or dispute.get("charge") or ""),
            amount=_money(dispute["amount"], dispute["currency"]),
            occurred_at=_when(dispute.get("created")) or when,
            details={"reason": dispute.get("reason") or ""},
        )
    ]


def _dispute_closed(dispute: dict, when) -> list[Fact]:
    """A closed dispute reports the dispute itself too (so its loss is booked whatever the
    order the events arrive in), then its outcome: won (or an inquiry closed without a
    charge-back), the money came back; lost, it stays gone."""
    outcome = "dispute_lost" if dispute.get("status") == "lost" else "dispute_won"
    (opened,) = _dispute(dispute, when)
    closed = Fact(**{**opened.__dict__, "kind": outcome, "details": {**opened.details}})
    closed.details["status"] = dispute.get("status") or ""
    return [opened, closed]


# What is kept of a stored event's object: the keys the facts above read, and no other.
KEPT = {
    "id", "object", "status", "amount", "amount_received", "currency", "created",
    "payment_intent", "charge", "payment_method", "customer", "reason", "metadata",
    "last_payment_error", "latest_charge", "balance_transaction", "fee", "refunds", "data",
}  # fmt: skip
KEPT_METADATA = {"contribution", "payment", "period", "idempotency_key"}  # ours: opaque ids
KEPT_ERROR = {"code", "decline_code"}  # never the message, which may name the card


def minimal_event(event: dict) -> dict | None:
    """The event as stored: its id, type and time, and its object cut down to KEPT (the
    card's brand, last4, expiry, fingerprint, country, postal code and the billing details
    all go). None for a type that reports nothing Readerfund applies."""
    obj = (event.get("data") or {}).get("object")
    if event.get("type") not in FACTS or not isinstance(obj, dict):
        return None
    kept = {key: event[key] for key in ("id", "object", "type", "created") if key in event}
    return {**kept, "data": {"object": _minimal(obj)}}


def _minimal(value):
    if isinstance(value, list):
        return [_minimal(item) for item in value]
    if not isinstance(value, dict):
        return value
    kept = {}
    for key, item in value.items():
        if key == "metadata" and isinstance(item, dict):
            kept[key] = {k: v for k, v in item.items() if k in KEPT_METADATA}
        elif key == "last_payment_error" and isinstance(item, dict):
            kept[key] = {k: v for k, v in item.items() if k in KEPT_ERROR}
        elif key == "payment_method" and isinstance(item, dict):
            kept[key] = item.get("id")  # an expanded card: its id is all we keep
        elif key in KEPT:
            kept[key] = _minimal(item)
    return kept


# Stripe event type → the facts it reports (djangoproject.com's WebhookHandler table).
FACTS = {
    "payment_intent.succeeded": _succeeded,
    "payment_intent.payment_failed": _payment_failed,
    "payment_intent.requires_action": _requires_action,
    "setup_intent.succeeded": _card_saved,
    "charge.refunded": _charge_refunded,
    "refund.created": _refund,
    "refund.updated": _refund,
    "charge.refund.updated": _refund,
    "charge.dispute.created": _dispute,
    "charge.dispute.closed": _dispute_closed,
}
