"""`readerfund demo`: the demo newsroom and an editor login. Running it twice changes nothing."""

import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from readerfund.lib.env import generated_secret

EDITOR = "editor"


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
        self.stdout.write(
            f"Demo newsroom ready: {result['articles']} articles "
            f"({result['articles_created']} new).\n"
            f"Admin: {settings.SITE_URL}/admin/  user: {EDITOR}  password: {password}\n"
            f"(the password is kept in {settings.DATA_DIR / 'demo_editor_password'})"
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
