from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations and questionnaires built with Wagtail's form builder."""

    name = "consultations"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"
