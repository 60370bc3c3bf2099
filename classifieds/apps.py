from django.apps import AppConfig


class ClassifiedsConfig(AppConfig):
    """Residents' classifieds."""

    name = "classifieds"
    verbose_name = "Petites annonces"
    default_auto_field = "django.db.models.BigAutoField"
