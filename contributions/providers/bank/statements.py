"""Reading bank statements: CSV with configurable columns, and ISO 20022 CAMT.053 XML.

Only credit lines are read (money in); amounts become integer minor units through Decimal,
never a float. Each line gets an id that is the same however often the statement is
imported: the bank's own (a CSV column, CAMT's AcctSvcrRef), else a hash of the line's
contents and of how many identical lines came before it in the same file.
"""

import csv
import hashlib
import io
import xml.etree.ElementTree as ET  # noqa: S405 — expat refuses entity expansion bombs
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings

from contributions.money import Money, exponent
from contributions.providers.base import StatementLine

MAX_ID = 64  # the ledger's reference holds 100 characters; ids are kept shorter


class StatementError(ValueError):
    """The file is not a statement this reader understands: the message says why."""


def read(data: bytes, filename: str) -> list[StatementLine]:
    """The credit lines of a CSV or CAMT.053 file (told apart by their first bytes)."""
    head = data.lstrip()[:200]
    if head.startswith(b"<?xml") or head.startswith(b"<Document"):
        return read_camt053(data)
    return read_csv(data)


# CSV --------------------------------------------------------------------------------------------


def columns(spec: str | None = None) -> dict[str, str]:
    """READERFUND_BANK_CSV_COLUMNS ("date=Date,amount=Amount,…") as {field: heading}."""
    pairs = [item.split("=", 1) for item in (spec or settings.BANK_CSV_COLUMNS).split(",")]
    found = {key.strip(): value.strip() for key, value in pairs if value.strip()}
    missing = {"date", "amount", "text"} - found.keys()
    if missing:
        raise StatementError(f"READERFUND_BANK_CSV_COLUMNS names no column for {sorted(missing)}")
    return found


def read_csv(data: bytes, *, spec: str | None = None) -> list[StatementLine]:
    wanted = columns(spec)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementError("The CSV file is not UTF-8 text.") from None
    rows = csv.DictReader(io.StringIO(text), delimiter=settings.BANK_CSV_DELIMITER)
    # date, amount and text must be there; without currency or id, see _csv_line.
    absent = [
        wanted[f] for f in ("date", "amount", "text") if wanted[f] not in (rows.fieldnames or [])
    ]
    if absent:
        raise StatementError(f"The CSV file has no column {', '.join(absent)}.")
    lines, seen = [], {}
    for number, row in enumerate(rows, start=2):
        line = _csv_line(row, wanted, number, seen)
        if line is not None:
            lines.append(line)
    return lines


def _csv_line(row: dict, wanted: dict, number: int, seen: dict) -> StatementLine | None:
    currency = (row.get(wanted.get("currency", "")) or "").strip().upper()
    currency = currency or settings.BANK_CURRENCIES[0]
    amount = _minor(row.get(wanted["amount"]), currency, number)
    if amount <= 0:
        return None  # money out, or nothing
    try:
        booked = datetime.strptime(row[wanted["date"]].strip(), settings.BANK_CSV_DATE_FORMAT)
    except (ValueError, AttributeError):
        raise StatementError(
            f"Line {number}: {row.get(wanted['date'])!r} is not a date "
            f"like {settings.BANK_CSV_DATE_FORMAT}."
        ) from None
    text = (row.get(wanted["text"]) or "").strip()
    own = (row.get(wanted.get("id", "")) or "").strip()
    money = Money(amount, currency)
    return StatementLine(
        id=_line_id(own, (booked.date().isoformat(), str(amount), currency, text), seen),
        booked_on=booked.date(),
        amount=money,
        text=text,
    )


def _minor(value, currency: str, number: int) -> int:
    """'1,234.56', '1234,56', '-15.00' → minor units (negative for money out)."""
    text = (value or "").strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:  # thousands separators: the last mark is the decimal one
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "")
    text = text.replace(",", ".")
    try:
        minor = Decimal(text).scaleb(exponent(currency))
    except InvalidOperation:
        raise StatementError(f"Line {number}: {value!r} is not an amount.") from None
    if not minor.is_finite() or minor != minor.to_integral_value():
        raise StatementError(f"Line {number}: {value!r} is not an amount in {currency}.")
    return int(minor)


def _line_id(own: str, contents: tuple, seen: dict) -> str:
    if own:
        key = "id:" + own
    else:
        digest = hashlib.sha256("\x1f".join(contents).encode()).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        key = f"h:{digest}:{seen[digest]}"
    if len(key) > MAX_ID:
        key = "id:" + hashlib.sha256(key.encode()).hexdigest()[:40]
    return key


# CAMT.053 ---------------------------------------------------------------------------------------


def read_camt053(data: bytes) -> list[StatementLine]:
    """The credit entries (CdtDbtInd CRDT, status booked) of every statement in the file."""
    if b"<!DOCTYPE" in data[:2000] or b"<!ENTITY" in data:
        raise StatementError("The XML file declares a DOCTYPE: not a CAMT.053 statement.")
    try:
        root = ET.fromstring(data)  # noqa: S314 — no DTD allowed (checked above)
    except ET.ParseError as error:
        raise StatementError(f"The XML file cannot be read: {error}.") from None
    if _local(root.tag) != "Document" or _find(root, "BkToCstmrStmt") is None:
        raise StatementError("The XML file is not a CAMT.053 statement (no BkToCstmrStmt).")
    lines, seen = [], {}
    for entry in _iter(root, "Ntry"):
        line = _camt_entry(entry, seen)
        if line is not None:
            lines.append(line)
    return lines


def _camt_entry(entry, seen: dict) -> StatementLine | None:
    if _text(entry, "CdtDbtInd") != "CRDT":
        return None
    status = _find(entry, "Sts")
    if status is not None and (_text(status, "Cd") or status.text or "").strip() not in (
        "BOOK",
        "",
    ):
        return None  # pending or informational: counted when booked
    amount = _find(entry, "Amt")
    if amount is None or not amount.get("Ccy"):
        raise StatementError("A CAMT.053 entry has no amount with a currency.")
    currency = amount.get("Ccy").upper()
    minor = _minor(amount.text, currency, 0)
    booked = _text(_find(entry, "BookgDt"), "Dt") or _text(_find(entry, "BookgDt"), "DtTm")
    try:
        booked_on = date.fromisoformat(booked[:10])
    except (TypeError, ValueError):
        raise StatementError("A CAMT.053 entry has no booking date.") from None
    text = " ".join(t.text.strip() for t in _iter(entry, "Ustrd") if t.text)
    text = " ".join([text, *(t.text.strip() for t in _iter(entry, "Ref") if t.text)]).strip()
    own = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    contents = (booked_on.isoformat(), str(minor), currency, text)
    return StatementLine(
        id=_line_id(own, contents, seen),
        booked_on=booked_on,
        amount=Money(minor, currency),
        text=text,
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _iter(element, name: str):
    return (child for child in element.iter() if _local(child.tag) == name)


def _find(element, name: str):
    if element is None:
        return None
    return next(_iter(element, name), None)


def _text(element, name: str) -> str:
    found = _find(element, name)
    return (found.text or "").strip() if found is not None else ""
