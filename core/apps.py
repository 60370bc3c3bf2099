from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class CoreConfig(AppConfig):
    """The project's shared pieces: base templates, static assets, template tags."""

    name = "core"
    verbose_name = "Quartiers"

    def ready(self) -> None:
        from core import page_cache, security, tenant_state

        security.connect_signals()
        page_cache.connect_signals()
        tenant_state.connect_signals()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with each role handed out only by who may grant it.

    Replaces ``wagtail.users`` in the settings (the way Wagtail documents for a custom
    user viewset): the screens stay Wagtail's, their forms and checks ask ``core.roles``.
    """

    user_viewset = "core.user_admin.UserViewSet"
    group_viewset = "core.user_admin.GroupViewSet"

    def ready(self) -> None:
        super().ready()
        from core import user_admin

        user_admin.register_bulk_actions()
