from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    """Each portal's newsletter ("infolettre"): subscribers, issues, sending."""

    name = "newsletter"
    verbose_name = "Infolettre"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anymail.signals import tracking

        from newsletter import bounces

        # The sending provider's bounces and complaints (core/mail.py, newsletter/bounces.py).
        tracking.connect(bounces.on_tracking_event, dispatch_uid="newsletter-bounces")
