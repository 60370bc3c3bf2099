from django.apps import AppConfig


class NetworkSpaceConfig(AppConfig):
    """The animators' space at the federation: reserved pages opened with a network
    account, and the directory of the network's animators (docs/federation.md)."""

    name = "network_space"
    verbose_name = "Espace des animateurs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from network_space import signals

        signals.connect()
