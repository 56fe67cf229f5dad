from django.core.management.base import BaseCommand

from contributions import services


class Command(BaseCommand):
    help = "Ask payment providers about payments still waiting and repair what webhooks missed."

    def handle(self, *args, **options):
        counts = services.reconcile()
        self.stdout.write(f"checked {counts['checked']} payments, repaired {counts['repaired']}")
