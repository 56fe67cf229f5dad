"""`readerfund serve`: the production web server (granian) with a task worker beside it."""

import contextlib
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from readerfund.lib import demo_payments, pagecache


class Command(BaseCommand):
    help = "Serve Readerfund with granian (static and media included) and start a task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="Web processes."
        )
        parser.add_argument("--threads", type=int, default=4, help="Threads per web process.")
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

    def handle(self, *args, host, port, workers, threads, no_worker, no_migrate, **options):
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
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Pages kept by the previous run may name static files or templates of older code.
        pagecache.bump()
        worker = [sys.executable, "-m", "readerfund.cli", "worker"]
        if not no_worker:
            children.append(subprocess.Popen(worker, env=env))
        server = [
            sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads),
            "--no-ws", "--log-level", "warning",
            "readerfund.wsgi:application",
        ]  # fmt: skip
        self.stdout.write(f"Readerfund is serving at http://{host}:{port}/")
        children.append(subprocess.Popen(server, env=env))
        self._wait(children)

    @staticmethod
    def _wait(children):
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)
            for child in children:
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
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        if crashed and not stopping[:-1]:
            raise CommandError(f"a server process exited unexpectedly (code {crashed[0]})")
