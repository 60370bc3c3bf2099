from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class CoreConfig(AppConfig):
    """The project's shared pieces: base templates, static assets, template tags."""

    name = "core"
    verbose_name = "Quartiers"
    # This module holds two configs (and imports Wagtail's): without this flag Django
    # would fall back to a bare AppConfig for "core" and never connect its signals.
    default = True

    def ready(self) -> None:
        from anymail.signals import pre_send
        from django.db.models.signals import post_delete

        from core import (
            caching,
            checks,
            embeds,
            mail,
            page_creation,
            publication,
            tag_slugs,
            tenant_state,
        )

        embeds.connect_signals()
        caching.connect_signals()
        tenant_state.connect_signals()
        publication.connect_signals()
        page_creation.connect_signals()
        tag_slugs.connect_signals()
        checks.register()
        pre_send.connect(mail.tag_before_sending, dispatch_uid="mail-portal-tag")
        post_delete.connect(
            _forget_portal_counters,
            sender="tenants.Neighbourhood",
            dispatch_uid="rate-limits-portal-deleted",
        )
        _close_caches_only_if_one_closes_something()


def _close_caches_only_if_one_closes_something() -> None:
    # Django closes every cache at the end of each request (``close_caches``, connected to
    # ``request_finished``). The project's backends (Redis, files, local memory) close
    # nothing (``BaseCache.close``), and looking each of them up in asgiref's ``Local`` to
    # say so was some 20 µs of a page-cache hit of 300 (issue 25 §1). Disconnected (the
    # signal's public API) only when no configured backend has a ``close`` of its own.
    from django.conf import settings
    from django.core.cache import close_caches
    from django.core.cache.backends.base import BaseCache
    from django.core.signals import request_finished
    from django.utils.module_loading import import_string

    backends = {import_string(cache["BACKEND"]) for cache in settings.CACHES.values()}
    if all(backend.close is BaseCache.close for backend in backends):
        request_finished.disconnect(close_caches)


def _forget_portal_counters(sender, instance, **kwargs) -> None:
    # A portal deleted takes its anti-abuse counts with it: a new portal may take its name.
    from core import rate_limits

    rate_limits.forget_portal(instance.schema_name)


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
