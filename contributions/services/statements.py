"""Bank statements imported by staff (the admin's Import statement, `readerfund
import-statement FILE`): each credit line the provider matches to a contribution is stored
once as that provider's event, keyed by the line's id, and applied like a webhook's. The
same statement imported again stores nothing new, so nothing is charged twice; the lines
no contribution matches come back for staff to match by hand (`match_by_hand`)."""

from dataclasses import dataclass, field
from datetime import date

from django.core import signing
from django.db import transaction

from contributions import providers
from contributions.money import Money
from contributions.providers.base import StatementLine
from contributions.services.facts import store_event

SIGNING_SALT = "contributions.statements.line"


@dataclass
class ImportResult:
    lines: int = 0  # credit lines read
    new: int = 0  # matched and stored now
    already: int = 0  # matched and stored by an earlier import
    unmatched: list[StatementLine] = field(default_factory=list)


def statement_providers() -> list[str]:
    """The registered providers that read statements, in the registry's order."""
    return [name for name in providers.PROVIDERS if providers.get(name).reads_statements]


def import_statement(provider_name: str, data: bytes, filename: str = "") -> ImportResult:
    """Read the file and store an event for every line the provider matches. Raises
    ValueError (with a message for staff) when the file cannot be read; then nothing is
    stored. The caller applies the stored events (tasks.apply_pending_events)."""
    provider = providers.get(provider_name)
    lines = provider.read_statement(data, filename)
    result = ImportResult(lines=len(lines))
    with transaction.atomic():  # one commit for the statement, not one per line
        _store(provider_name, provider, lines, result)
    return result


def _store(provider_name, provider, lines, result: ImportResult) -> None:
    for line in lines:
        event = provider.match_line(line)
        if event is None:
            result.unmatched.append(line)
        elif store_event(provider_name, provider.minimise(event)):
            result.new += 1
        else:
            result.already += 1


def match_by_hand(provider_name: str, line: StatementLine, code: str) -> bool | None:
    """Staff say which contribution's code an unmatched line pays. True: stored now; False:
    stored already; None: the code matches no contribution in the line's currency."""
    provider = providers.get(provider_name)
    event = provider.match_line(line, code=code)
    if event is None:
        return None
    return store_event(provider_name, provider.minimise(event))


def sign_line(line: StatementLine) -> str:
    """An unmatched line as a token for the admin's match form: staff cannot alter it."""
    value = [line.id, line.booked_on.isoformat(), line.amount.amount, line.amount.currency]
    return signing.dumps(value, salt=SIGNING_SALT)


def unsign_line(token: str) -> StatementLine:
    """Raises signing.BadSignature for a token not made by `sign_line`."""
    line_id, booked, amount, currency = signing.loads(token, salt=SIGNING_SALT)
    return StatementLine(
        id=line_id, booked_on=date.fromisoformat(booked), amount=Money(amount, currency), text=""
    )
