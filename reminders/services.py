"""Reminders: signing up, sending each one once on its day, unsubscribing, forgetting.

Sending and crashes. SMTP has no idempotency key: a server that has taken a message may die
(or lose its connection to us) before we hear "250 OK", and nothing can then tell whether the
message went. So a sender must choose: mark a reminder sent *before* handing it over (a crash
can lose it) or *after* (a crash can send it twice). A lost reminder is a reader who asked and
never heard; a second copy is a small annoyance. We mark it after, and make the window as small
as it can be:

- a run claims a batch (status "sending", its own random token, a timestamp) in one short
  transaction: `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent runs take
  disjoint batches; on SQLite the claim is a conditional UPDATE in an IMMEDIATE transaction;
- then, for each reminder: hand the message to the mail server, mark it sent at once (its own
  autocommit UPDATE, which also drops the address);
- a run renews its claim on the rest of its batch every REFRESH_AFTER, and learns then if
  another run took some of it over; a claim older than RECLAIM_AFTER belongs to a run that
  died (or stalled), and the next run takes it over.

A run killed mid-batch therefore leaves: reminders marked sent (never sent again), reminders
not yet handed over (sent by a later run: none lost), and at most the one message that was on
the wire when it died, which may arrive twice. Both copies carry the same Message-ID
(emails.message_id), so mail servers and clients that drop duplicates show it once. Each claim
counts as an attempt, so a reminder that kills every run that touches it stops after
MAX_ATTEMPTS instead of looping for ever.
"""

import logging
import secrets
from collections import Counter
from datetime import date, datetime, timedelta
from smtplib import SMTPException, SMTPRecipientsRefused

from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone, translation

from contributions import notices
from contributions.emails import language_of
from contributions.models import Contribution, Payment
from privacy.crypto import email_index
from reminders import emails
from reminders.models import ASK_EVERY, CONFIRM_WITHIN, ConfirmationAsked, Reminder

log = logging.getLogger(__name__)

BATCH_SIZE = 200
RECLAIM_AFTER = timedelta(minutes=10)  # far longer than EMAIL_TIMEOUT (30 s) for one message
REFRESH_AFTER = RECLAIM_AFTER / 2  # a run renews its claim this often, so it never goes stale
RETENTION = timedelta(days=30)
SEND_FROM_HOUR = 8  # a reminder goes out from 08:00 on its day, in the newsroom's time zone
RETRY_AFTER = [timedelta(minutes=10), timedelta(hours=1), timedelta(hours=6), timedelta(days=1)]
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
FINISHED = [Reminder.Status.SENT, Reminder.Status.CANCELLED, Reminder.Status.FAILED]


class MailServerUnavailable(Exception):
    """The mail server failed: the run stopped, and what it had claimed waits for the next."""


# Signing up ------------------------------------------------------------------------------------


def sign_up(data: dict, language: str = "") -> Reminder:
    """Schedule a reminder (data: ReminderForm's cleaned_data; language: the page's, which
    its emails are written in). The same email and day twice make one reminder: the first
    stands, and the caller cannot tell the two apart, so the API does not reveal whether an
    address has signed up before."""
    index = email_index(data["email"])
    choice = {key: data.get(key) or "" for key in ("frequency", "currency", "appeal", "variant")}
    choice["language"] = language
    try:
        with transaction.atomic():
            reminder, _ = Reminder.objects.get_or_create(
                email_index=index,
                remind_on=data["remind_on"],
                defaults={**choice, "email": data["email"].strip(), "amount": data.get("amount")},
            )
    except IntegrityError:  # the same signup, at the same moment, from another process
        reminder = Reminder.objects.get(email_index=index, remind_on=data["remind_on"])
    if reminder.confirmed_at is None:
        _ask_confirmation(reminder)
    return reminder


def _ask_confirmation(reminder: Reminder) -> None:
    """Email the address one request to confirm, unless it was asked in the last ASK_EVERY:
    the form cannot be used to mail an address again and again, whatever is submitted."""
    now = timezone.now()
    rows = ConfirmationAsked.objects.filter(email_index=reminder.email_index)
    asked = rows.filter(asked_at__lt=now - ASK_EVERY).update(asked_at=now)
    if not asked:
        try:
            with transaction.atomic():
                ConfirmationAsked.objects.create(email_index=reminder.email_index, asked_at=now)
            asked = 1
        except IntegrityError:  # asked within the week (or at this moment, by another process)
            return
    key = str(reminder.pk)
    transaction.on_commit(lambda: notices.send_notice.enqueue("reminder_confirmation", key))


def confirm(code: str) -> int:
    """Confirm the unconfirmed reminders of the address the confirmation was sent to (the
    link carries one reminder's code). How many; 0 for an unknown or expired code."""
    fresh = Reminder.objects.filter(
        confirmed_at__isnull=True, created_at__gte=timezone.now() - CONFIRM_WITHIN
    )
    index = fresh.filter(code=code).values_list("email_index", flat=True).first()
    if index is None:
        return 0
    return fresh.filter(email_index=index).update(confirmed_at=timezone.now())


# Unsubscribing and retention ---------------------------------------------------------------


def unsubscribe(code: str) -> int:
    """Cancel every reminder of the address the code was sent to and erase them: the rows
    are deleted. Returns how many; 0 for an unknown (or already used) code."""
    index = Reminder.objects.filter(code=code).values_list("email_index", flat=True).first()
    if index is None:
        return 0
    deleted, _ = Reminder.objects.filter(email_index=index).delete()
    return deleted


def erase_expired(now: datetime | None = None) -> int:
    """Delete reminders sent, cancelled or failed more than RETENTION ago, and those never
    confirmed within CONFIRM_WITHIN, and forget confirmation requests older than ASK_EVERY."""
    now = now or timezone.now()
    finished = Q(status__in=FINISHED, finished_at__lt=now - RETENTION)
    unconfirmed = Q(confirmed_at__isnull=True, created_at__lt=now - CONFIRM_WITHIN)
    deleted, _ = Reminder.objects.filter(finished | unconfirmed).delete()
    ConfirmationAsked.objects.filter(asked_at__lt=now - ASK_EVERY).delete()
    return deleted


# Sending ---------------------------------------------------------------------------------------


def due_day(now: datetime | None = None) -> date:
    """The latest remind_on that is due now: today from SEND_FROM_HOUR, yesterday before."""
    local = timezone.localtime(now or timezone.now())
    return (local - timedelta(hours=SEND_FROM_HOUR)).date()


def send_due(day: date | None = None, *, batch_size: int = BATCH_SIZE) -> Counter:
    """Send every reminder due on or before day (default: due_day()), once each.

    Safe to run in several processes at once and to run again. Returns counts: sent,
    cancelled (the reader gave), failed (refused, or out of attempts), taken over (another run
    took a claim of ours that had gone stale). Raises MailServerUnavailable when the server
    fails; what was not sent is retried later (see RETRY_AFTER).
    """
    day = day or due_day()
    run = secrets.token_hex(16)
    counts = Counter(sent=0, cancelled=0, failed=0)
    server = mail.get_connection()  # one SMTP connection for the whole run
    try:
        while batch := claim(day, run, batch_size):
            _open(server, batch, run)
            _send_batch(batch, run, server, counts)
    finally:
        server.close()
    return counts


def claim(day: date, run: str, size: int) -> list[Reminder]:
    """Take up to size due reminders for this run, in one short transaction."""
    now = timezone.now()
    # Two queries, not one with OR: each walks its own index in order and stops at the limit.
    stale = Q(status=Reminder.Status.SENDING, claimed_at__lt=now - RECLAIM_AFTER)
    due = Q(status=Reminder.Status.SCHEDULED, remind_on__lte=day, confirmed_at__isnull=False) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    with transaction.atomic():
        pks = _lock(stale, ["pk"], size)
        pks += _lock(due, ["remind_on", "pk"], size - len(pks))
        # Conditional: on SQLite (no row locks) a row another run took is not taken again.
        Reminder.objects.filter(stale | due, pk__in=pks).update(
            status=Reminder.Status.SENDING,
            claimed_by=run,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return list(Reminder.objects.filter(claimed_by=run, status=Reminder.Status.SENDING))


def _lock(condition: Q, order: list[str], size: int) -> list[int]:
    """The pks of up to size rows matching condition, locked (skipping rows other runs hold)
    where the database can; SQLite's IMMEDIATE transaction holds the whole database."""
    if size <= 0:
        return []
    rows = Reminder.objects.filter(condition).order_by(*order)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return list(rows.values_list("pk", flat=True)[:size])


def _open(server, batch: list[Reminder], run: str) -> None:
    try:
        server.open()
    except (SMTPException, OSError) as error:
        _release(batch, run)
        raise MailServerUnavailable(type(error).__name__) from error


def _send_batch(batch: list[Reminder], run: str, server, counts: Counter) -> None:
    gave = _gave_since(batch)
    letters = {}  # per language: what every reminder in it says, rendered once
    ours, refreshed = {r.pk for r in batch}, batch[0].claimed_at
    for position, reminder in enumerate(batch):
        if timezone.now() - refreshed > REFRESH_AFTER:  # a slow server, or a stalled run
            ours, refreshed = _refresh(batch[position:], run), timezone.now()
        if reminder.pk not in ours:
            counts["taken over"] += 1
        elif reminder.pk in gave:
            _finish(reminder, run, Reminder.Status.CANCELLED)
            counts["cancelled"] += 1
        elif reminder.attempts > MAX_ATTEMPTS:
            _finish(reminder, run, Reminder.Status.FAILED)
            counts["failed"] += 1
        else:
            language = language_of(reminder)
            try:
                with translation.override(language):
                    letter = letters.get(language) or letters.setdefault(language, emails.letter())
                    server.send_messages([emails.message(reminder, letter)])
            except SMTPRecipientsRefused:
                _finish(reminder, run, Reminder.Status.FAILED)
                counts["failed"] += 1
                continue
            except (SMTPException, OSError) as error:
                _release(batch[position:], run, retry=reminder)
                log.warning("reminders: the mail server failed (%s)", type(error).__name__)
                raise MailServerUnavailable(type(error).__name__) from error
            _finish(reminder, run, Reminder.Status.SENT)
            counts["sent"] += 1


def _gave_since(batch: list[Reminder]) -> set[int]:
    """Reminders whose reader has given since signing up: a contribution by a contributor with
    the same keyed hash, made after the reminder, whose first payment succeeded."""
    paid = Payment.objects.filter(
        contribution=OuterRef("pk"), period=0, status=Payment.Status.SUCCEEDED
    )
    gifts = (
        Contribution.objects.filter(contributor__email_index__in={r.email_index for r in batch})
        .filter(Exists(paid))
        .values_list("contributor__email_index", "created_at")
    )
    first_gift = {}
    for index, created_at in gifts:
        first_gift.setdefault(index, []).append(created_at)
    return {
        r.pk for r in batch if any(at >= r.created_at for at in first_gift.get(r.email_index, []))
    }


def _refresh(rest: list[Reminder], run: str) -> set[int]:
    """Renew this run's claim on what is left of its batch; the pks still this run's (not
    taken over by another run while this one was stalled past RECLAIM_AFTER, nor erased by
    an unsubscribe)."""
    mine = Reminder.objects.filter(
        claimed_by=run, status=Reminder.Status.SENDING, pk__in=[r.pk for r in rest]
    )
    mine.update(claimed_at=timezone.now())
    return set(mine.values_list("pk", flat=True))


def _finish(reminder: Reminder, run: str, status: str) -> None:
    """Record the outcome and drop the address, which is no longer needed."""
    Reminder.objects.filter(pk=reminder.pk, claimed_by=run).update(
        status=status, email=None, claimed_by="", finished_at=timezone.now()
    )


def _release(rest: list[Reminder], run: str, *, retry: Reminder | None = None) -> None:
    """Give back what this run claimed and did not send: due again at once (for the next
    run), except the reminder whose sending failed, which waits RETRY_AFTER its attempt."""
    mine = Reminder.objects.filter(claimed_by=run, status=Reminder.Status.SENDING)
    if retry is not None:
        delay = RETRY_AFTER[min(retry.attempts, len(RETRY_AFTER)) - 1]
        mine.filter(pk=retry.pk).update(
            status=Reminder.Status.SCHEDULED, claimed_by="", next_attempt_at=timezone.now() + delay
        )
    mine.filter(pk__in=[r.pk for r in rest]).update(
        status=Reminder.Status.SCHEDULED, claimed_by="", attempts=F("attempts") - 1
    )


def run_daily() -> dict:
    """The periodic task: erase what has expired, then send what is due."""
    erased = erase_expired()
    counts = send_due()
    return {**counts, "erased": erased}
