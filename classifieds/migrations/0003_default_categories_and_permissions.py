"""The six categories every portal starts with, and the animators' right to moderate.

A data migration, so that portals cloned before this change (and the template schema)
get them at the next ``migrate_network``; ``tenants.default_portal.ensure_groups`` grants
the same permissions when the template is furnished.
"""

from django.db import migrations

from classifieds.defaults import ANIMATOR_PERMISSIONS, DEFAULT_CATEGORIES


def seed(apps, schema_editor):
    Category = apps.get_model("classifieds", "ClassifiedCategory")
    for order, (slug, name) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})

    Group = apps.get_model("auth", "Group")
    animators = Group.objects.filter(name="Animateurs").first()
    if animators is None:
        return  # a fresh schema: ensure_groups grants them once the group exists
    # Permissions are created after migrations run; create ours now to grant them.
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("classifieds")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    animators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="classifieds", codename__in=ANIMATOR_PERMISSIONS
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ("classifieds", "0002_classifieds"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
