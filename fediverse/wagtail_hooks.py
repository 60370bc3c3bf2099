"""The fediverse in the Wagtail admin (followers, failed deliveries: animators of the
portal only; the remote servers' health: the federation's staff only) and in the
platform's registers (caching, roles, the portal's life: host change, import, deletion)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.extension_points import NOT_SHOWN_ON_PAGES, SHOWN_ON_PAGES
from fediverse import copies, farewell, moves
from fediverse.delivery import paused_message
from fediverse.models import AgendaFollower, DeliveryFailure, Follower
from fediverse.servers import health
from fediverse.servers.models import RemoteServer
from tenants.extension_points import (
    AFTER_IMPORT,
    AFTER_PRIMARY_HOST_CHANGE,
    BEFORE_PORTAL_DELETION,
    ROLE_PERMISSIONS,
)
from tenants.group_names import ANIMATORS, FEDERATION_STAFF


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Rows the fediverse writes: an animator reads them and may remove one, never adds
    nor edits one."""

    def user_has_permission(self, user, action: str) -> bool:
        return action in ("view", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        allowed = [action for action in actions if action in ("view", "delete")]
        return super().user_has_any_permission(user, allowed)


class NetworkStaffPolicy(ModelPermissionPolicy):
    """The remote servers' health is the network's: only the federation's staff, at the
    federation's portal, read it, and may lift a pause (delete the record)."""

    def _is_network_staff(self, user) -> bool:
        tenant = getattr(connection, "tenant", None)
        if getattr(tenant, "kind", "") != "federation":
            return False
        if not (user.is_authenticated and user.is_active):
            return False
        return user.is_superuser or user.groups.filter(name=FEDERATION_STAFF).exists()

    def user_has_permission(self, user, action: str) -> bool:
        return action in ("view", "delete") and self._is_network_staff(user)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return self.model.objects.all()
        return self.model.objects.none()


register_permission_policy(Follower, ReadOnlyPolicy(Follower))
register_permission_policy(DeliveryFailure, ReadOnlyPolicy(DeliveryFailure))
register_permission_policy(RemoteServer, NetworkStaffPolicy(RemoteServer))
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


class DeliveryFailureIndexView(IndexView):
    """The failed deliveries, each saying whether its server is paused for the network
    (one query for the paused servers, whatever the number of rows)."""

    def get_table(self, object_list):
        paused = {server.host: server.paused_until for server in health.paused_servers()}
        rows = list(object_list)
        for failure in rows:
            server = health.server_of(failure.inbox)
            until = paused.get(server)
            failure.server_state = paused_message(server, until) if until else ""
        return super().get_table(rows)


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
    index_view_class = DeliveryFailureIndexView
    list_display = [
        Column("activity_label", label=_("Activité")),
        "inbox",
        "error",
        Column("server_state", label=_("Serveur")),
        "attempts",
        DateColumn("failed_at", label=_("Date")),
    ]
    form_fields = ["error"]
    inspect_view_enabled = True


class RemoteServerIndexView(IndexView):
    """The paused servers first, the soonest back last among them, unless a column's
    ordering is asked for (a plain ``-paused_until`` would put PostgreSQL's NULLs first)."""

    def order_queryset(self, queryset):
        if self.request.GET.get("ordering"):
            return super().order_queryset(queryset)
        return queryset.order_by(F("paused_until").desc(nulls_last=True), "host")


class RemoteServerViewSet(ModelViewSet):
    """The remote servers that failed deliveries lately, the paused ones first; deleting
    a record lifts its pause (the next delivery tries at once)."""

    model = RemoteServer
    icon = "warning"
    menu_label = _("Serveurs distants")
    url_prefix = "fediverse/serveurs"
    url_namespace = "fediverse_remoteserver"
    list_display = [
        "host",
        "consecutive_failures",
        DateColumn("paused_until", label=_("En pause jusqu'au")),
        "last_error",
        DateColumn("last_failure_at", label=_("Dernier échec")),
    ]
    index_view_class = RemoteServerIndexView
    form_fields = ["last_error"]
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
        RemoteServerViewSet("fediverse_remoteserver"),
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
    """The key pair and the failed deliveries show on no public address; a tombstone
    only makes an object's address answer 410, an answer the page cache never keeps."""
    return [
        "fediverse.ActorKey",
        "fediverse.AgendaKey",
        "fediverse.DeliveryFailure",
        "fediverse.Tombstone",
        # The actor document, the only place they show, is never cached.
        "fediverse.FormerAddress",
        "fediverse_servers.RemoteServer",
    ]


@hooks.register(AFTER_PRIMARY_HOST_CHANGE)
def move_the_actor(neighbourhood, old_host: str, new_host: str) -> None:
    """The actor's address follows the primary host: its followers are told (``Move``)."""
    moves.announce_move(neighbourhood, old_host, new_host)


@hooks.register(AFTER_IMPORT)
def imported_portal_is_a_new_actor(neighbourhood, source_slug: str) -> None:
    """An imported copy signs with its own key and has no followers yet."""
    copies.start_as_new_actor(neighbourhood, source_slug)


@hooks.register(BEFORE_PORTAL_DELETION)
def deleted_portal_says_goodbye(neighbourhood) -> None:
    """The followers' servers learn that the actor is gone (``Delete``)."""
    farewell.delete_actor(neighbourhood)
