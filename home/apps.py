from django.apps import AppConfig


class HomeConfig(AppConfig):
    """A portal's front page and its settings."""

    name = "home"
    verbose_name = "Accueil"
    default_auto_field = "django.db.models.BigAutoField"
