"""No email address reaches the logs."""

import io
import logging

import pytest

from privacy.logging import RedactPersonalData


@pytest.fixture
def log():
    """A real logger whose handler writes, through the filter, into a buffer."""
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.addFilter(RedactPersonalData())
    logger = logging.getLogger("tests.privacy.donors")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, output
    logger.removeHandler(handler)
    logger.propagate = True


class Donor:
    def __str__(self):
        return "Donor anna@example.org"


def test_an_address_in_the_message_is_masked(log):
    logger, output = log
    logger.warning("receipt bounced for anna.petrova+news@mail.example.co.uk")
    assert output.getvalue() == "receipt bounced for [email]\n"


def test_addresses_in_arguments_are_masked_and_numbers_kept(log):
    logger, output = log
    logger.warning("receipt %d for %s bounced (%s)", 42, "Anna@Example.org", Donor())
    assert output.getvalue() == "receipt 42 for [email] bounced (Donor [email])\n"


def test_addresses_in_named_arguments_are_masked(log):
    logger, output = log
    logger.warning("signup from %(email)s", {"email": "boris@example.net"})
    assert output.getvalue() == "signup from [email]\n"


def test_an_address_in_an_exception_is_masked(log):
    logger, output = log
    try:
        raise ValueError("duplicate contributor anna@example.org")
    except ValueError:
        logger.exception("saving failed")
    assert "anna@example.org" not in output.getvalue()
    assert "ValueError: duplicate contributor [email]" in output.getvalue()


def test_text_without_an_address_is_left_alone(log):
    logger, output = log
    logger.warning("gap is %s of %s at @newsroom", "1200 EUR", "5000 EUR")
    assert output.getvalue() == "gap is 1200 EUR of 5000 EUR at @newsroom\n"


def test_the_console_handler_of_the_settings_masks_addresses():
    handlers = logging.getLogger().handlers
    assert any(isinstance(f, RedactPersonalData) for h in handlers for f in h.filters)
