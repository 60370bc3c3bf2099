"""The fediverse in the Wagtail admin (followers, failed deliveries: animators of the
portal only) and in the platform's registers (caching, roles)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.extension_points import NOT_SHOWN_ON_PAGES, SHOWN_ON_PAGES
from fediverse.models import AgendaFollower, DeliveryFailure, Follower
from tenants.extension_points import ROLE_PERMISSIONS
from tenants.group_names import ANIMATORS


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Rows the fediverse writes: an animator reads them and may remove one, never adds
    nor edits one."""

    def user_has_permission(self, user, action: str) -> bool:
        return action in ("view", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        allowed = [action for action in actions if action in ("view", "delete")]
        return super().user_has_any_permission(user, allowed)


register_permission_policy(Follower, ReadOnlyPolicy(Follower))
register_permission_policy(DeliveryFailure, ReadOnlyPolicy(DeliveryFailure))
register_permission_policy(AgendaFollower, ReadOnlyPolicy(AgendaFollower))


class FollowerViewSet(ModelViewSet):
    """Who follows the portal from Mastodon and elsewhere."""

    model = Follower
    icon = "group"
    menu_label = _("Abonnés")
    url_prefix = "fediverse/abonnes"
    url_namespace = "fediverse_follower"
    list_display = ["__str__", "actor_id", DateColumn("created_at", label=_("Abonné depuis"))]
    search_fields = ["handle", "actor_id"]
    search_backend_name = None
    form_fields = ["handle"]
    inspect_view_enabled = True


class AgendaFollowerViewSet(FollowerViewSet):
    """Who follows the portal's agenda: Mobilizon instances' relays, which list its events."""

    model = AgendaFollower
    icon = "date"
    menu_label = _("Abonnés de l'agenda")
    url_prefix = "fediverse/abonnes-agenda"
    url_namespace = "fediverse_agendafollower"


class DeliveryFailureViewSet(ModelViewSet):
    """What could not be sent to a remote server after every attempt, and why."""

    model = DeliveryFailure
    icon = "warning"
    menu_label = _("Envois en échec")
    url_prefix = "fediverse/echecs"
    url_namespace = "fediverse_deliveryfailure"
    list_display = [
        Column("activity_label", label=_("Activité")),
        "inbox",
        "error",
        "attempts",
        DateColumn("failed_at", label=_("Date")),
    ]
    form_fields = ["error"]
    inspect_view_enabled = True


class FediverseGroup(ViewSetGroup):
    """The "Fédiverse" menu."""

    menu_label = _("Fédiverse")
    menu_icon = "globe"
    menu_order = 280
    items = (
        FollowerViewSet("fediverse_follower"),
        AgendaFollowerViewSet("fediverse_agendafollower"),
        DeliveryFailureViewSet("fediverse_deliveryfailure"),
    )


@hooks.register("register_admin_viewset")
def register_fediverse_viewsets() -> FediverseGroup:
    return FediverseGroup()


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators see who follows the portal and what failed to go out."""
    return {
        ANIMATORS: [
            ("fediverse", "view_follower"),
            ("fediverse", "delete_follower"),
            ("fediverse", "view_deliveryfailure"),
            ("fediverse", "delete_deliveryfailure"),
            ("fediverse", "view_agendafollower"),
            ("fediverse", "delete_agendafollower"),
        ]
    }


@hooks.register(SHOWN_ON_PAGES)
def fediverse_shown_on_pages() -> Iterable[str]:
    """Followers (the portal's, its agenda's): their number is the followers collection's
    (cached like a page)."""
    return ["fediverse.Follower", "fediverse.AgendaFollower"]


@hooks.register(NOT_SHOWN_ON_PAGES)
def fediverse_not_shown_on_pages() -> Iterable[str]:
    """The key pair and the failed deliveries show on no public address."""
    return ["fediverse.ActorKey", "fediverse.AgendaKey", "fediverse.DeliveryFailure"]
