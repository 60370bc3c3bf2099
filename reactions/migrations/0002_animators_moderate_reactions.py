"""Portals opened before reactions existed: their animators get the rights new portals get
(``ROLE_PERMISSIONS`` in reactions/wagtail_hooks.py is read only when a portal is furnished)."""

from django.db import migrations

GROUP = "Animateurs"
CODENAMES = ["view_reaction", "change_reaction", "change_reactionsettings"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions  # noqa: PLC0415

    # Django creates permissions after the whole migration run: create them now.
    app_config = apps.get_app_config("reactions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="reactions", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reactions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
