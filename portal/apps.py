from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What residents read: news, agenda, blogs, methodology."""

    name = "portal"
    verbose_name = "Portail"
    default_auto_field = "django.db.models.BigAutoField"
