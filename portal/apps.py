from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What residents read: news, agenda, blogs, methodology."""

    name = "portal"
    verbose_name = "Portail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A deleted map story takes its private photo with it.
        from portal.actors import story_signals

        story_signals.connect()
