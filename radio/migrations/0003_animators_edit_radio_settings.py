"""Animators of portals that already exist may edit the "Radio & TV" settings.

New portals get the permission from tenants.default_portal (the template schema's
groups); this migration gives it to the portals cloned before it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ANIMATORS = "Animateurs"


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations: create radio's now (the
    # migration state's app config has no models module; Django's own helper needs one).
    app_config = apps.get_app_config("radio")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="radio", codename="change_radiosettings")
    for group in Group.objects.filter(name=ANIMATORS):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("radio", "0002_stations_shows_episodes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
