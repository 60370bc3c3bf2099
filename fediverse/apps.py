from django.apps import AppConfig


class FediverseConfig(AppConfig):
    """Each portal as an ActivityPub actor: followed from Mastodon (docs/fediverse.md)."""

    name = "fediverse"
    verbose_name = "Fédiverse"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fediverse import event_publication, publication

        publication.connect()
        event_publication.connect()
