"""Keep email addresses out of logs (DESIGN.md, principle 5)."""

import logging
import re

# Deliberately loose: a false positive costs a masked word, a miss leaks an address.
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "[email]"

_SAFE_TYPES = (int, float, bool, type(None))


def redact(text: str) -> str:
    return EMAIL.sub(MASK, text)


def _redact_arg(arg):
    if isinstance(arg, str):
        return redact(arg)
    if isinstance(arg, _SAFE_TYPES):
        return arg
    # Anything else (a model, an exception) is logged through str(): check that text.
    text = str(arg)
    masked = redact(text)
    return arg if masked == text else masked


class RedactPersonalData(logging.Filter):
    """Masks email addresses in a record's message, arguments, exception and stack text.

    The message template and its arguments stay apart, so log tools still group records by
    template. The record is changed in place: every handler after this one sees it masked.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redact_arg(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redact_arg(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_redact_arg(arg) for arg in record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
