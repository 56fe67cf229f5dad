"""A real SMTP server on loopback (aiosmtpd) and the `mailbox` fixture that reads it.

Messages go through Django's own SMTP backend and a real SMTP conversation, so what a test
reads is what a mail server would have received: headers, encodings, both parts.
"""

import email
import email.policy
import logging
import threading
import time
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.processes import free_port


class _Recorder:
    """aiosmtpd handler: keeps every message received, in order; refuses recipients at
    refused.example, and any address in `refused` (which a test may set)."""

    def __init__(self):
        self.received: list[bytes] = []
        self.refused: set[str] = set()
        self.arrived = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A mailbox that does not exist, as a real server answers for one.
        if address.endswith("@refused.example") or address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.received.append(envelope.original_content)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class Mailbox:
    """What the SMTP server received since the test began."""

    def __init__(self, recorder: _Recorder):
        self._recorder = recorder

    @property
    def messages(self) -> list[EmailMessage]:
        with self._recorder.arrived:
            raw = list(self._recorder.received)
        return [email.message_from_bytes(data, policy=email.policy.default) for data in raw]

    def wait_for(self, count: int, timeout: float = 5) -> list[EmailMessage]:
        """Block until at least count messages arrived (AssertionError after timeout)."""
        deadline = time.monotonic() + timeout
        with self._recorder.arrived:
            while len(self._recorder.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    got = len(self._recorder.received)
                    raise AssertionError(f"expected {count} messages, got {got} in {timeout}s")
                self._recorder.arrived.wait(left)
        return self.messages

    def clear(self) -> None:
        with self._recorder.arrived:
            self._recorder.received.clear()


@pytest.fixture(scope="session")
def smtp_server():
    """One SMTP server for the whole run; yields (controller, recorder)."""
    recorder = _Recorder()
    # server_hostname: without it aiosmtpd asks DNS for this machine's name (socket.getfqdn),
    # which takes seconds where no resolver answers. A free port, not port=0: Controller
    # checks that it is up by connecting to the port it was given.
    controller = Controller(
        recorder, hostname="127.0.0.1", port=free_port(), server_hostname="localhost"
    )
    # aiosmtpd logs every SMTP command at INFO (to the root logger, so into test output).
    server_log = logging.getLogger("mail.log")
    level = server_log.level
    server_log.setLevel(logging.WARNING)
    controller.start()
    yield controller, recorder
    controller.stop()
    server_log.setLevel(level)


@pytest.fixture
def mailbox(smtp_server, settings):
    """Django sends through the loopback SMTP server; yields a Mailbox, empty at the start."""
    controller, recorder = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    box = Mailbox(recorder)
    box.clear()
    yield box
    box.clear()
