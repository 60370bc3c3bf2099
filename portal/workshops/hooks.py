"""The workshop cycle's place in Wagtail and in the platform's extension points: the
follow-up screen of a workshop, the groups' news queue (and its place in the moderation
inbox), the "latest" sources, the models shown or not, the animators' rights.

Imported by ``portal/wagtail_hooks.py`` (Wagtail reads hooks from an app's top module).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from core.extension_points import (
    LATEST_SOURCES,
    MODERATION_SOURCES,
    NOT_SHOWN_ON_PAGES,
    SHOWN_ON_PAGES,
)
from core.latest import LatestSource
from core.moderation import ModerationItem, ModerationSource
from portal.workshops import latest
from portal.workshops.admin_views import (
    UPDATES_PERMISSION,
    SeedUpdatesView,
    WorkshopFollowUpView,
    can_follow_workshops,
)
from portal.workshops.group_models import SeedUpdate
from portal.workshops.models import WorkshopPage
from tenants.extension_points import ROLE_PERMISSIONS
from tenants.group_names import ANIMATORS


@hooks.register("register_admin_urls")
def workshop_admin_urls() -> list:
    return [
        path(
            "ateliers/<int:pk>/suivi/",
            WorkshopFollowUpView.as_view(),
            name="portal_workshop_follow_up",
        ),
        path("ateliers/nouvelles/", SeedUpdatesView.as_view(), name="portal_seed_updates"),
    ]


class SeedUpdatesMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_follow_workshops(request.user)


@hooks.register("register_admin_menu_item")
def seed_updates_menu_item() -> MenuItem:
    return SeedUpdatesMenuItem(
        _("Nouvelles des groupes"), reverse("portal_seed_updates"), icon_name="doc-full", order=920
    )


@hooks.register("register_page_header_buttons")
def follow_up_button(page, user, view_name, next_url=None) -> Iterable[PageMenuItem]:
    """ "Suivi de l'atelier" in the header menu of a workshop's admin screens."""
    if isinstance(page.specific_deferred, WorkshopPage) and can_follow_workshops(user):
        yield PageMenuItem(
            _("Suivi de l'atelier"),
            reverse("portal_workshop_follow_up", args=[page.pk]),
            icon_name="group",
            priority=5,
            page=page,
        )


def _pending_items(limit: int) -> list[ModerationItem]:
    updates = SeedUpdate.objects.pending().select_related("seed").order_by("created_at")[:limit]
    url = reverse("portal_seed_updates")
    return [
        ModerationItem(
            title=update.seed.title,
            summary=Truncator(update.text).chars(200),
            received=update.created_at,
            url=url,
        )
        for update in updates
    ]


@hooks.register(MODERATION_SOURCES)
def seed_updates_to_moderate() -> list[ModerationSource]:
    """The action groups' news waiting for an animator (groups not marked trusted)."""
    return [
        ModerationSource(
            key="seed-updates",
            label=str(_("Nouvelles des groupes d'action")),
            queue_url=reverse("portal_seed_updates"),
            waiting_count=lambda: SeedUpdate.objects.pending().count(),
            waiting=_pending_items,
            permission=UPDATES_PERMISSION,
        )
    ]


@hooks.register(LATEST_SOURCES)
def workshop_latest_sources() -> Iterable[LatestSource]:
    """The groups' news, the next workshops, the new actors."""
    return latest.SOURCES


@hooks.register(SHOWN_ON_PAGES)
def workshop_models_shown_on_pages() -> Iterable[str]:
    """An approved update shows on its seed's page, the listing and the home page."""
    return ["portal.SeedUpdate"]


@hooks.register(NOT_SHOWN_ON_PAGES)
def workshop_models_not_shown_on_pages() -> Iterable[str]:
    """Participants and members are private: the admin, the group's page and the address
    book (signed links) only."""
    return ["portal.WorkshopAttendee", "portal.SeedMember"]


@hooks.register(ROLE_PERMISSIONS)
def workshop_role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators moderate the groups' news (which also opens the workshops' follow-up)."""
    return {
        ANIMATORS: [
            ("portal", "view_seedupdate"),
            ("portal", "change_seedupdate"),
            ("portal", "view_seedmember"),
        ]
    }


@hooks.register("register_event_page_sections")
def event_workshops(event, request) -> tuple[str, dict] | None:
    """An agenda event names the workshop it is (the workshop links to the event)."""
    workshops = list(event.workshops.live().public())
    if not workshops:
        return None
    return "portal/workshops/includes/event_workshops.html", {"event_workshops": workshops}
