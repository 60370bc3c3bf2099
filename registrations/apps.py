from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    """Registrations to the agenda's events, with a waiting list."""

    name = "registrations"
    verbose_name = "Inscriptions aux événements"
    default_auto_field = "django.db.models.BigAutoField"
