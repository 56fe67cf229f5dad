"""Why an email was not sent, as an opaque reason code: never the exception's text, which
names the recipient (`SMTPRecipientsRefused: {'someone@example.org': (550, …)}`) and would
end up in task results, logs and the admin.

`classify` also says whether the failure is for good (the recipient's server refused the
address or the message: asking again changes nothing) or for now (the server is down, busy,
or answered 4xx: try again later).
"""

import smtplib
from enum import StrEnum


class Reason(StrEnum):
    RECIPIENT_REFUSED = "recipient_refused"  # 5xx for the address: for good
    MESSAGE_REFUSED = "message_refused"  # 5xx for the message: for good
    SENDER_REFUSED = "sender_refused"  # our From: address refused (configuration): for now
    SERVER_UNAVAILABLE = "server_unavailable"  # no connection, dropped, timed out, 4xx
    ERROR = "error"  # anything else (a bug, a backend's own error): for now
    GAVE_UP = "gave_up"  # for now, too many times


PERMANENT = {Reason.RECIPIENT_REFUSED, Reason.MESSAGE_REFUSED, Reason.GAVE_UP}


def classify(error: BaseException) -> Reason:
    """The reason code for an exception raised while sending."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [answer[0] for answer in error.recipients.values() if answer]
        permanent = codes and all(500 <= code < 600 for code in codes)
        return Reason.RECIPIENT_REFUSED if permanent else Reason.SERVER_UNAVAILABLE
    if isinstance(error, smtplib.SMTPSenderRefused):
        return Reason.SENDER_REFUSED
    if isinstance(error, smtplib.SMTPDataError):
        permanent = 500 <= error.smtp_code < 600
        return Reason.MESSAGE_REFUSED if permanent else Reason.SERVER_UNAVAILABLE
    if isinstance(error, smtplib.SMTPException | OSError):
        return Reason.SERVER_UNAVAILABLE
    if type(error).__name__ == "AnymailRecipientsRefused":  # django-anymail, not imported
        return Reason.RECIPIENT_REFUSED
    return Reason.ERROR


def is_permanent(reason: Reason) -> bool:
    return reason in PERMANENT
