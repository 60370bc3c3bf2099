from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The project's shared pieces: base templates, static assets, template tags."""

    name = "core"
    verbose_name = "Quartiers"
