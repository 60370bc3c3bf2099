from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What residents read: news, agenda, blogs, methodology."""

    name = "portal"
    verbose_name = "Portail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import signal_handlers

        signal_handlers.connect()
