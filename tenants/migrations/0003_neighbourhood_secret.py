"""Each portal gets a secret of its own, mixed into the private links it sends."""

from django.db import migrations, models

import tenants.models


def give_each_portal_its_own_secret(apps, schema_editor):
    # AddField's callable default is computed once for every existing row: draw again.
    Neighbourhood = apps.get_model("tenants", "Neighbourhood")
    for portal in Neighbourhood.objects.only("pk"):
        Neighbourhood.objects.filter(pk=portal.pk).update(
            secret=tenants.models.new_portal_secret()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0002_template_dump"),
    ]

    operations = [
        migrations.AddField(
            model_name="neighbourhood",
            name="secret",
            field=models.CharField(
                default=tenants.models.new_portal_secret,
                editable=False,
                max_length=64,
                verbose_name="secret des liens privés",
            ),
        ),
        migrations.RunPython(give_each_portal_its_own_secret, migrations.RunPython.noop),
    ]
