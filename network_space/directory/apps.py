from django.apps import AppConfig


class NetworkDirectoryConfig(AppConfig):
    """The animators' directory entries, in ``public``: a shared app of its own, since the
    space's pages (``network_space``) live in the federation's schema and an app's tables
    are either shared or per portal, never both (DESIGN.md)."""

    name = "network_space.directory"
    label = "network_directory"
    verbose_name = "Annuaire des animateurs"
    default_auto_field = "django.db.models.BigAutoField"
