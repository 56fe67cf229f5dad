"""USD, EUR and GBP with the default presets; staff change them in the admin."""

from django.db import migrations

PRESETS = {
    "once": ([1000, 2500, 5000, 10000], 2500),
    "monthly": ([500, 1000, 2000, 5000], 1000),
    "annual": ([5000, 10000, 20000, 50000], 10000),
}


def seed(apps, schema_editor):
    CurrencyOption = apps.get_model("contributions", "CurrencyOption")
    AmountPreset = apps.get_model("contributions", "AmountPreset")
    for position, code in enumerate(["USD", "EUR", "GBP"]):
        option, _ = CurrencyOption.objects.get_or_create(
            code=code, defaults={"minimum": 200, "maximum": 1_000_000, "position": position}
        )
        for frequency, (amounts, default) in PRESETS.items():
            AmountPreset.objects.get_or_create(
                currency=option,
                frequency=frequency,
                defaults={"amounts": amounts, "default_amount": default},
            )


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
