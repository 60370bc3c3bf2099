from django.apps import AppConfig


class CarriersConfig(AppConfig):
    """Who carries the media: the animators' free pages, the SCIC, partners and funders."""

    name = "carriers"
    verbose_name = "Porteurs du média"
    default_auto_field = "django.db.models.BigAutoField"
