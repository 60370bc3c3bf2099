from django.apps import AppConfig


class ReactionsConfig(AppConfig):
    """Residents' reactions under articles, blog posts and episodes, moderated."""

    name = "reactions"
    verbose_name = "Réactions"
    default_auto_field = "django.db.models.BigAutoField"
