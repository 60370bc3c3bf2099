from django.apps import AppConfig


class AudienceConfig(AppConfig):
    """Each portal's audience: page views per day and kind of referrer, with no cookie and
    nothing personal (docs/audience.md)."""

    name = "audience"
    verbose_name = "Audience"
    default_auto_field = "django.db.models.BigAutoField"
