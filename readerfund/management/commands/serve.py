"""`readerfund serve`: the production web server (granian) with a task worker beside it."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from readerfund.lib import demo_payments, pagecache, staticfiles


class Command(BaseCommand):
    help = "Serve Readerfund with granian (static and media included) and start a task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="Web processes."
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=10,
            help="Threads per web process: at most 8 render or wait to (see PAGE_RENDER_*), "
            "the others serve kept pages.",
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not start a task worker.")
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first."
        )
        parser.add_argument(
            "--stripe-emulator",
            type=int,
            metavar="PORT",
            help="When no Stripe keys are set, run the localstripe emulator on this loopback "
            "port and take payments through it (the demo does; never in production).",
        )
        parser.add_argument(
            "--btcpay-standin",
            type=int,
            metavar="PORT",
            help="When BTCPAY_URL is not set, run the Greenfield stand-in on this loopback port "
            "and take crypto gifts through it, and offer bank transfers to the demo's "
            "fictional account (the demo does; never in production).",
        )

    def handle(self, *args, host, port, workers, threads, no_worker, no_migrate, **options):
        _check_port_free(host, port)
        env = dict(os.environ)
        children = []
        if options.get("stripe_emulator") and not settings.STRIPE_SECRET_KEY:
            emulator = demo_payments.start(options["stripe_emulator"], f"http://{host}:{port}")
            children.append(emulator.process)
            env.update(emulator.env)
            self.stdout.write(
                f"Payments go to the Stripe emulator at {emulator.base}: "
                "give with the test card 4242 4242 4242 4242."
            )
        if options.get("btcpay_standin") and not settings.BTCPAY_URL:
            standin = demo_payments.start_greenfield(
                options["btcpay_standin"], f"http://{host}:{port}"
            )
            children.append(standin.process)
            env.update(standin.env)
            if not settings.BANK_IBAN:
                env.update(demo_payments.BANK)
            self.stdout.write(
                f"Crypto gifts go to the Greenfield stand-in at {standin.base} (its Pay button "
                "settles the invoice); bank transfers to a fictional account."
            )
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        staticfiles.collect()  # only when the sources changed since the last start
        # Pages kept by the previous run may name static files or templates of older code.
        pagecache.bump()
        worker = [sys.executable, "-m", "readerfund.cli", "worker"]
        if not no_worker:
            children.append(subprocess.Popen(worker, env=env, start_new_session=True))
        server = [
            sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads),
            "--no-ws", "--log-level", "warning",
            "readerfund.wsgi:application",
        ]  # fmt: skip
        # granian's workers count requests into one folder, added up by /metrics
        # (readerfund/lib/metrics.py); emptied here, as the counts restart with the server.
        metrics_dir = settings.DATA_DIR / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(mode=0o700)
        self.stdout.write(f"Readerfund is serving at http://{host}:{port}/")
        # Each child leads a process group of its own, so that stopping it reaches everything
        # it forked (granian's workers) and a terminal's Ctrl-C reaches only us: we stop them.
        server_env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        children.append(subprocess.Popen(server, env=server_env, start_new_session=True))
        self._wait(children)

    @staticmethod
    def _wait(children):
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)
            if len(stopping) > 1:
                return  # one SIGTERM each: a second reaching granian mid-shutdown can hang it
            for child in children:
                # The child alone, not its group: granian passes it on to its workers, which
                # would otherwise get two at once (theirs and ours) and may never exit.
                with contextlib.suppress(ProcessLookupError):
                    if child.poll() is None:
                        child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            # When one child exits (the server crashed, say), stop the other too.
            while all(child.poll() is None for child in children):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    children[-1].wait(timeout=1)
        finally:
            crashed = [child.returncode for child in children if child.returncode]
            stop(None, None)
            for child in children:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.wait(timeout=10)
                _signal(child, signal.SIGKILL)  # whatever of its group is still there
                child.wait()
        if crashed and not stopping[:-1]:
            raise CommandError(f"a server process exited unexpectedly (code {crashed[0]})")


def _signal(child: subprocess.Popen, signum: int) -> None:
    """Signal the child's whole process group when it leads one, else the child."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(child.pid) == child.pid:
            os.killpg(child.pid, signum)
        elif child.poll() is None:
            child.send_signal(signum)


def _check_port_free(host: str, port: int) -> None:
    """A second server on a busy port would share it with the first (SO_REUSEPORT): refuse."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # A listener still refuses the bind; connections left in TIME_WAIT do not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"{host}:{port} is already in use ({exc.strerror}): is another Readerfund "
                "running? Stop it, or choose another port with --port (make demo PORT=…)."
            ) from None
