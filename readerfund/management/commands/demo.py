"""`readerfund demo`: the demo newsroom and an editor login. Running it twice changes nothing."""

import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from readerfund.lib.env import generated_secret
from readerfund.staff import RECOVERY_NAME, secret_of

EDITOR = "editor"
DEMO_TOTP_KEY = "demo_editor_totp_key"
DEMO_RECOVERY_CODES = "demo_editor_recovery_codes"


class Command(BaseCommand):
    help = "Load the demo newsroom (idempotent) and create an editor login for the admin."

    def handle(self, *args, **options):
        from appeals import demo as appeals_demo
        from contributions import demo as giving_demo
        from funding import demo as funding_demo
        from newsroom import demo
        from reminders import demo as reminders_demo

        # Wagtail logs every page it creates; the demo's summary says what matters.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        result = demo.load()
        giving_demo.load()
        funding_demo.load()  # two years of reader revenue, after the newsroom
        appeals_demo.load()  # the modal, header message and letter; the ticker reads funding
        reminders_demo.load()  # Giving Tuesday as a day readers can pick
        password = self._editor()
        device = demo_second_factor(get_user_model().objects.get(username=EDITOR))
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(
            f"Demo newsroom ready: {result['articles']} articles "
            f"({result['articles_created']} new).\n"
            f"Admin: {settings.SITE_URL}/admin/  user: {EDITOR}  password: {password}\n"
            f"(the password is kept in {settings.DATA_DIR / 'demo_editor_password'})\n"
            "Every staff account needs a second factor. The demo editor's authenticator key "
            f"is {secret_of(device)}: add it to an authenticator app, or run\n"
            f"  oathtool --totp -b {secret_of(device).replace(' ', '')}\n"
            f"for the 6-digit code (right now: {code:06d}). Single-use recovery codes are in "
            f"{settings.DATA_DIR / DEMO_RECOVERY_CODES}."
        )

    @staticmethod
    def _editor() -> str:
        password = generated_secret(
            settings.DATA_DIR, "demo_editor_password", make=lambda: secrets.token_urlsafe(12)
        )
        user, created = get_user_model().objects.get_or_create(
            username=EDITOR, defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        return password


def demo_second_factor(user) -> TOTPDevice:
    """The demo editor's authenticator (its key kept in the data dir, so running the demo
    twice changes nothing) and recovery codes (in the data dir too, one a line)."""
    key = generated_secret(settings.DATA_DIR, DEMO_TOTP_KEY, make=lambda: secrets.token_hex(20))
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name="Demo authenticator", defaults={"key": key, "confirmed": True}
    )
    codes = generated_secret(
        settings.DATA_DIR,
        DEMO_RECOVERY_CODES,
        make=lambda: "\n".join(secrets.token_hex(5) for _ in range(10)),
    )
    recovery, created = StaticDevice.objects.get_or_create(
        user=user, name=str(RECOVERY_NAME), defaults={"confirmed": True}
    )
    if created:
        StaticToken.objects.bulk_create(
            StaticToken(device=recovery, token=code) for code in codes.split()
        )
    return device
