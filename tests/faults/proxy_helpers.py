"""A small TCP proxy for fault drills: it sits between Readerfund and a real server
(localstripe, the SMTP server) and can delay, drop or cut what the server answers, answer
500 itself, or refuse connections, as a bad network or a failing provider would.

Threads only (no subprocess), so nothing can outlive a test: `close()` shuts every socket
and joins every thread.

    with FaultProxy(("127.0.0.1", port)) as proxy:
        proxy.fail("drop", times=1)   # the next answer is swallowed and the connection cut
        ...                           # the request itself did reach the server

Faults, applied to each answer (or, for `refuse`, each new connection) while set:
- `delay`: the answer is held `seconds` before it is passed on;
- `hang`: the request reaches the server, the answer never comes back (a timeout);
- `drop`: the request reaches the server, the connection is closed instead of the answer;
- `cut`: half of the answer's first chunk is passed on, then the connection is closed;
- `http500`: the request never reaches the server; the proxy answers 500 itself;
- `refuse`: new connections are closed at once (the server is down).
"""

import contextlib
import select
import socket
import threading
import time
import urllib.parse

import pytest

_BODY = b'{"error": {"type": "api_error", "message": "injected by the fault proxy"}}'
HTTP_500 = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
    + f"Content-Length: {len(_BODY)}\r\nConnection: close\r\n\r\n".encode()
    + _BODY
)


class FaultProxy:
    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self._lock = threading.Lock()
        self._fault: str | None = None
        self._times: int | None = None
        self._seconds = 0.0
        self._when = b""
        self._after = 0
        self._closing = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self.faults_applied = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._start(self._accept_loop)

    # Control -------------------------------------------------------------------------------

    def fail(
        self,
        fault: str,
        *,
        times: int | None = None,
        seconds: float = 0.0,
        when: bytes = b"",
        after: int = 0,
    ) -> None:
        """Apply `fault` to the next `times` answers (every one when None), only to those
        whose request starts with `when` (e.g. b"POST /v1/payment_intents") when given,
        once `after` of them have passed untouched."""
        assert fault in ("delay", "hang", "drop", "cut", "http500", "refuse"), fault
        with self._lock:
            self._fault, self._times, self._seconds = fault, times, seconds
            self._when, self._after = when, after

    def heal(self) -> None:
        with self._lock:
            self._fault, self._times = None, None

    def _take(self, kinds: tuple[str, ...], request: bytes = b"") -> tuple[str | None, float]:
        """The fault to apply now, if one of `kinds` is set for this request; counts it down."""
        with self._lock:
            if self._fault not in kinds or not request.startswith(self._when):
                return None, 0.0
            if self._after > 0:
                self._after -= 1
                return None, 0.0
            fault, seconds = self._fault, self._seconds
            if self._times is not None:
                self._times -= 1
                if self._times <= 0:
                    self._fault, self._times = None, None
            self.faults_applied += 1
            return fault, seconds

    # Plumbing ------------------------------------------------------------------------------

    def _start(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="fault-proxy")
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            fault, _ = self._take(("refuse",))
            if fault:
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, server}
            self._start(self._pump, client, server)

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        """Pass bytes both ways; each answer's fault is decided on its first chunk."""
        asked, fault, hold, request = False, None, 0.0, b""
        try:
            while not self._closing.is_set():
                ready, _, _ = select.select([client, server], [], [], 0.2)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        request = data if not asked else request
                        if self._take(("http500",), request)[0]:
                            client.sendall(HTTP_500)
                            return
                        server.sendall(data)
                        asked = True
                        continue
                    if asked:  # the first chunk of an answer
                        asked = False
                        fault, hold = self._take(("delay", "hang", "drop", "cut"), request)
                    if fault == "hang":
                        continue  # swallowed: the client waits until it times out
                    if fault == "drop":
                        return
                    if fault == "cut":
                        client.sendall(data[: max(1, len(data) // 2)])
                        return
                    if fault == "delay" and hold:
                        time.sleep(hold)
                        hold = 0.0
                    client.sendall(data)
        except OSError:
            return
        finally:
            for sock in (client, server):
                with self._lock:
                    self._sockets.discard(sock)
                _close(sock)

    def close(self) -> None:
        self._closing.set()
        _close(self._listener)
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            _close(sock)
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


# Fixtures (a pytest plugin, loaded from tests/conftest.py) -----------------------------------


@pytest.fixture
def faulty_stripe(stripe_settings, stripe_emulator):
    """The Stripe provider talks to localstripe through a FaultProxy, with a 1-second
    timeout (a timeout is then quick to provoke). Yields the proxy."""
    from contributions import providers

    host, port = urllib.parse.urlsplit(stripe_emulator).netloc.split(":")
    with FaultProxy((host, int(port))) as proxy:
        stripe_settings.STRIPE_API_BASE = f"http://127.0.0.1:{proxy.port}"
        stripe_settings.READERFUND_PROVIDER_TIMEOUT = 1
        try:
            yield proxy
        finally:
            providers.get("stripe").close()


@pytest.fixture
def faulty_smtp(mailbox, settings):
    """Django's SMTP backend reaches the test's SMTP server through a FaultProxy. Yields
    (proxy, mailbox)."""
    with FaultProxy((settings.EMAIL_HOST, settings.EMAIL_PORT)) as proxy:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", proxy.port
        settings.EMAIL_TIMEOUT = 2
        yield proxy, mailbox
