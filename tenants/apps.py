from django.apps import AppConfig


class TenantsConfig(AppConfig):
    """The network's registry: portals, their domains, the federation index."""

    name = "tenants"
    verbose_name = "Réseau"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tenants import federation_signals, host_cache, network_login, support_access

        host_cache.connect_signals()
        federation_signals.connect()
        network_login.connect_signals()
        support_access.connect_signals()
