from django.apps import AppConfig


class FediverseServersConfig(AppConfig):
    """The health of each remote fediverse server, in ``public``: a shared app of its own,
    since what the fediverse keeps per portal (keys, followers) lives in each portal's
    schema and an app's tables are either shared or per portal, never both (DESIGN.md).
    Every portal's deliveries read and write the same row for a server, so a server that
    keeps failing is paused for the whole network at once."""

    name = "fediverse.servers"
    label = "fediverse_servers"
    verbose_name = "Serveurs du fédiverse"
    default_auto_field = "django.db.models.BigAutoField"
