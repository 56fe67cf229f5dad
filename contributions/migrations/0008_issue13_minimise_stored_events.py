"""Webhook events stored before they were minimised on arrival kept Stripe's whole payload
(the card's fingerprint, last digits, expiry, country, postal code): cut each down as new
events are, and delete the stored events of types Readerfund ignores."""

from django.db import migrations

BATCH = 500


def minimise_stored_events(apps, schema_editor):
    from contributions import providers
    from contributions.providers.base import Event, Unsupported

    ProviderEvent = apps.get_model("contributions", "ProviderEvent")  # noqa: N806
    last = 0
    while rows := list(ProviderEvent.objects.filter(pk__gt=last).order_by("pk")[:BATCH]):
        last = rows[-1].pk
        for row in rows:
            try:
                kept = providers.get(row.provider).minimise(
                    Event(id=row.event_id, type=row.type, payload=row.payload)
                )
            except (KeyError, Unsupported):
                continue  # a provider no longer registered, or without webhooks
            if kept is None:
                row.delete()
            elif kept.payload != row.payload:
                row.payload = kept.payload
                row.save(update_fields=["payload"])


class Migration(migrations.Migration):
    dependencies = [("contributions", "0007_issue13_gift_name_and_customer")]

    operations = [migrations.RunPython(minimise_stored_events, migrations.RunPython.noop)]
