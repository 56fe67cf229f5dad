"""Bank transfers: the reader sees the bank details and the contribution's own reference
code; staff import statements (CSV with configurable columns, CAMT.053) from the admin and
the command line, and each line quoting a code is one ledger charge, however often the
statement is imported."""

import re
from datetime import datetime, time

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from contributions.models import Contribution, LedgerEntry, Payment, ProviderEvent
from contributions.providers.bank.provider import codes_in
from contributions.services import statements
from contributions.services.renewals import charge_due
from tests.contributions.btcpay_helpers import give_form

HEADER = "Date,Amount,Currency,Reference,Transaction ID\n"


@pytest.fixture
def bank(settings):
    settings.BANK_ACCOUNT_HOLDER = "Northern Ledger Media Foundation"
    settings.BANK_IBAN = "XX00 0000 0000 0000 0000 00"
    settings.BANK_BIC = "XXXXXX00"
    settings.BANK_NAME = "Demo Bank"
    settings.BANK_CURRENCIES = ["EUR", "USD"]
    settings.BANK_CSV_COLUMNS = (
        "date=Date,amount=Amount,currency=Currency,text=Reference,id=Transaction ID"
    )
    settings.BANK_CSV_DELIMITER = ","
    settings.BANK_CSV_DATE_FORMAT = "%Y-%m-%d"


def give_by_bank(client, frequency="monthly", amount=1500, currency="EUR") -> Contribution:
    response = give_form(
        client,
        provider="bank",
        frequency=frequency,
        amount=amount,
        currency=currency,
        email="reader@example.org",
    )
    assert response.status_code == 303, response.content
    return Contribution.objects.get(pk=response["Location"].split("/")[-2])


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def imported(data: bytes, capture) -> statements.ImportResult:
    from contributions import tasks

    with capture(execute=True):
        result = statements.import_statement("bank", data, "statement.csv")
        tasks.apply_pending_events.call()
    return result


def camt(*entries: tuple[str, str, str, str, str]) -> bytes:
    """A CAMT.053.001.02 statement; each entry (ref, date, amount, currency, text)."""
    body = "".join(
        f"""<Ntry><NtryRef>{ref}</NtryRef><Amt Ccy="{ccy}">{amount}</Amt>
        <CdtDbtInd>{"DBIT" if amount.startswith("-") else "CRDT"}</CdtDbtInd>
        <Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt>
        <AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>{text}</Ustrd>
        </RmtInf></TxDtls></NtryDtls></Ntry>""".replace('Ccy="', 'Ccy="').replace(
            f">{amount}<", f">{amount.lstrip('-')}<"
        )
        for ref, day, amount, ccy, text in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>1</MsgId><CreDtTm>2026-12-01T10:00:00</CreDtTm></GrpHdr>
<Stmt><Id>1</Id><Acct><Id><IBAN>XX0000000000000000000000</IBAN></Id></Acct>{body}</Stmt>
</BkToCstmrStmt></Document>""".encode()


def test_the_thank_you_page_shows_the_bank_details_and_a_reference_of_its_own(client, db, bank):
    first, second = give_by_bank(client), give_by_bank(client)
    page = client.get(f"/support/thanks/{first.pk}/").content.decode()
    assert "XX00 0000 0000 0000 0000 00" in page
    assert "standing order" in page
    code = re.search(r"data-reference>(RF-[A-Z0-9]{4}-[A-Z0-9]{4})<", page).group(1)
    assert code == first.payment_method != second.payment_method
    assert first.status == Contribution.Status.PENDING
    assert not LedgerEntry.objects.exists()


def test_a_statement_imported_twice_makes_one_charge_per_line(
    client, db, bank, mailbox, django_capture_on_commit_callbacks
):
    contribution = give_by_bank(client)
    code = contribution.payment_method
    data = csv(f"2026-12-03,15.00,EUR,Gift {code.lower()} thanks,T1")
    first = imported(data, django_capture_on_commit_callbacks)
    second = imported(data, django_capture_on_commit_callbacks)
    assert (first.new, first.already, second.new, second.already) == (1, 0, 0, 1)
    [charge] = LedgerEntry.objects.all()
    assert (charge.source, charge.amount, charge.payment.period) == ("bank", 1500, 0)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACTIVE
    assert contribution.next_charge_on is not None
    [receipt] = mailbox.wait_for(1)
    assert receipt["To"] == "reader@example.org"
    # The payer's text is not kept anywhere: it may name them.
    assert "thanks" not in str(ProviderEvent.objects.get().payload)


def test_monthly_by_standing_order_one_charge_per_period(
    client, db, bank, django_capture_on_commit_callbacks
):
    contribution = give_by_bank(client)
    code = contribution.payment_method
    month_one = f"2026-12-03,15.00,EUR,{code},T1"
    imported(csv(month_one), django_capture_on_commit_callbacks)
    contribution.refresh_from_db()
    due = contribution.next_charge_on
    with time_machine.travel(timezone.make_aware(datetime.combine(due, time(9))), tick=False):
        assert charge_due()["claimed"] == 1  # the period waits for the standing order
        month_two = f"{due.isoformat()},15.00,EUR,{code},T2"
        for _ in range(2):  # the second month's statement repeats the first month's line
            imported(csv(month_one, month_two), django_capture_on_commit_callbacks)
    charges = LedgerEntry.objects.filter(kind="charge").order_by("payment__period")
    assert [c.payment.period for c in charges] == [0, 1]
    assert set(Payment.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_camt053_statement_matches_like_a_csv_one_and_skips_debits(
    client, db, bank, django_capture_on_commit_callbacks
):
    contribution = give_by_bank(client, frequency="once", amount=2500)
    code = contribution.payment_method
    data = camt(
        ("E1", "2026-12-03", "25.00", "EUR", f"Spende {code.replace('-', ' ')}"),
        ("E2", "2026-12-03", "-25.00", "EUR", f"refund {code}"),
        ("E3", "2026-12-04", "9.99", "EUR", "no code here"),
    )
    for _ in range(2):
        from contributions import tasks

        with django_capture_on_commit_callbacks(execute=True):
            result = statements.import_statement("bank", data, "statement.xml")
            tasks.apply_pending_events.call()
    assert result.lines == 2
    assert [line.text for line in result.unmatched] == ["no code here"]
    [charge] = LedgerEntry.objects.all()
    assert charge.amount == 2500
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PAID


def test_a_line_in_another_currency_or_with_an_unknown_code_is_left_for_staff(
    client, db, bank, django_capture_on_commit_callbacks
):
    contribution = give_by_bank(client)
    code = contribution.payment_method
    result = imported(
        csv(f"2026-12-03,15.00,USD,{code},T1", "2026-12-03,15.00,EUR,RF-AAAA-AAAA,T2"),
        django_capture_on_commit_callbacks,
    )
    assert (result.new, len(result.unmatched)) == (0, 2)
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"When,How much\n2026-12-03,15.00\n", "no column"),
        (HEADER.encode() + b"2026-12-03,fifteen,EUR,x,T1\n", "is not an amount"),
        (HEADER.encode() + b"2026-12-03,15.001,EUR,x,T1\n", "is not an amount"),
        (HEADER.encode() + b"03/12/2026,15.00,EUR,x,T1\n", "is not a date"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document/>', "DOCTYPE"),
        (b"<?xml version='1.0'?><Document><Nope/></Document>", "not a CAMT.053"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_statement_is_refused_and_changes_nothing(
    client, db, bank, data, message
):
    give_by_bank(client)
    with pytest.raises(ValueError, match=message):
        statements.import_statement("bank", data, "statement")
    assert not ProviderEvent.objects.exists()


def test_csv_columns_delimiter_and_decimal_comma_are_configurable(db, bank, settings):
    settings.BANK_CSV_COLUMNS = "date=Buchungstag,amount=Betrag,text=Verwendungszweck"
    settings.BANK_CSV_DELIMITER = ";"
    settings.BANK_CSV_DATE_FORMAT = "%d.%m.%Y"
    data = b"Buchungstag;Betrag;Verwendungszweck\n03.12.2026;1.234,50;RF-ACDE-FGHJ\n"
    [line] = statements.import_statement("bank", data, "konto.csv").unmatched
    assert (line.amount.amount, line.amount.currency, str(line.booked_on)) == (
        123450,
        "EUR",
        "2026-12-03",
    )


def test_codes_are_found_in_any_case_with_or_without_dashes():
    assert codes_in("Gift rf-acde-fghj, thanks") == ["RF-ACDE-FGHJ"]
    assert codes_in("RF ACDE FGHJ") == ["RF-ACDE-FGHJ"]
    assert codes_in("RF-0000-0001") == []


def test_the_command_imports_a_statement_and_lists_unmatched_lines(
    client, db, bank, tmp_path, capsys, django_capture_on_commit_callbacks
):
    contribution = give_by_bank(client)
    path = tmp_path / "statement.csv"
    path.write_bytes(
        csv(
            f"2026-12-03,15.00,EUR,{contribution.payment_method},T1",
            "2026-12-03,7.00,EUR,who knows,T2",
        )
    )
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import-statement", str(path))
    out = capsys.readouterr().out
    assert "1 recorded now" in out and "1 recorded by an earlier import" in out
    assert "not matched: 2026-12-03" in out
    assert LedgerEntry.objects.count() == 1


def test_staff_import_from_the_admin_and_match_a_line_by_hand(
    client, admin_client, db, bank, django_capture_on_commit_callbacks
):
    contribution = give_by_bank(client)
    upload = SimpleUploadedFile("s.csv", csv("2026-12-03,15.00,EUR,from grandma,T9"))
    page = admin_client.post("/admin/giving/statements/", {"provider": "bank", "file": upload})
    assert page.status_code == 200
    token = re.search(r'name="line" value="([^"]+)"', page.content.decode()).group(1)
    tampered = token.replace(token[5], "A" if token[5] != "A" else "B", 1)
    admin_client.post(
        "/admin/giving/statements/match/",
        {"line": tampered, "provider": "bank", "code": contribution.payment_method},
    )
    assert not LedgerEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            admin_client.post(
                "/admin/giving/statements/match/",
                {"line": token, "provider": "bank", "code": contribution.payment_method},
            )
    [charge] = LedgerEntry.objects.all()
    assert (charge.amount, charge.payment.period) == (1500, 0)
