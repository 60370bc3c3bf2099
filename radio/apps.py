from django.apps import AppConfig


class RadioConfig(AppConfig):
    """The webradio and the webTV."""

    name = "radio"
    verbose_name = "Radio & TV"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from radio import network

        network.connect()
