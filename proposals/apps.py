from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    """Residents' proposals of subjects and events."""

    name = "proposals"
    verbose_name = "Propositions des habitants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Wagtail's publish signal tells the proposer their page is online.
        from proposals import signals

        signals.connect()
