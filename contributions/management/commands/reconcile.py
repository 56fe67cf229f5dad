from django.core.management.base import BaseCommand

from contributions import tasks
from contributions.models import ProviderEvent
from contributions.services import reconcile


class Command(BaseCommand):
    help = (
        "Ask payment providers about payments still waiting and repair what webhooks missed; "
        "apply stored events a drain left behind."
    )

    def handle(self, *args, **options):
        counts = reconcile.reconcile()
        self.stdout.write(f"checked {counts['checked']} payments, repaired {counts['repaired']}")
        refunds = reconcile.reconcile_refunds()
        self.stdout.write(
            f"refunds left unfinished: {refunds['refunds_finished']} finished, "
            f"{refunds['refunds_released']} released"
        )
        applied = tasks.apply_pending_events.call()
        stuck = ProviderEvent.objects.filter(applied_at__isnull=True).exclude(error="")
        self.stdout.write(f"applied {applied} stored events")
        for event in stuck.order_by("pk")[:20]:
            self.stderr.write(
                f"event {event.event_id} ({event.type}) cannot be applied: "
                f"{event.error.splitlines()[0][:200]}"
            )
        if stuck.exists():
            self.stderr.write(f"{stuck.count()} stored events cannot be applied (see above)")
