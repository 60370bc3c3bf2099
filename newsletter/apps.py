from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    """Each portal's newsletter ("infolettre"): subscribers, issues, sending."""

    name = "newsletter"
    verbose_name = "Infolettre"
    default_auto_field = "django.db.models.BigAutoField"
