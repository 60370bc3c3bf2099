from django.apps import AppConfig


class PinboardConfig(AppConfig):
    """A feature that exists only for the tests: it plugs into the platform through the
    extension points alone, as any new feature should."""

    name = "tests.pinboard"
    label = "pinboard"
    verbose_name = "Tableau d'affichage"
    default_auto_field = "django.db.models.BigAutoField"
