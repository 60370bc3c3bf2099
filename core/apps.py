from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The project's shared pieces: base templates, static assets, template tags."""

    name = "core"
    verbose_name = "Quartiers"

    def ready(self) -> None:
        from core import embeds, page_cache, security, tenant_state

        embeds.connect_signals()
        security.connect_signals()
        page_cache.connect_signals()
        tenant_state.connect_signals()
