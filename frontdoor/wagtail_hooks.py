"""What the front door registers: its federation-only section, the launch requests in the
admin, its demo text and its models' display status."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.extension_points import NOT_SHOWN_ON_PAGES
from frontdoor.demo import seed_launch_page
from frontdoor.models import LaunchPage, LaunchRequest
from tenants.extension_points import (
    DEMO_CONTENT,
    FEDERATION_ONLY,
    FIT_PORTAL_KIND,
    PORTAL_SECTIONS,
    PortalSection,
)
from tenants.group_names import FEDERATION_STAFF

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

STAFF_PERMISSIONS = ["view_launchrequest", "change_launchrequest", "delete_launchrequest"]


class LaunchRequestViewSet(SnippetViewSet):
    """The requests to launch a media, newest first, for the federation's staff."""

    model = LaunchRequest
    icon = "mail"
    menu_label = _("Demandes de lancement")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "place", "structure", "email", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "place", "structure", "email", "message"]
    panels = [
        FieldPanel("status"),
        FieldPanel("name", read_only=True),
        FieldPanel("structure", read_only=True),
        FieldPanel("place", read_only=True),
        FieldPanel("email", read_only=True),
        FieldPanel("message", read_only=True),
    ]


register_snippet(LaunchRequestViewSet)


@hooks.register(PORTAL_SECTIONS)
def sections() -> Iterable[PortalSection]:
    """ "Lancer un média", the federation's last section."""
    return [
        PortalSection(
            LaunchPage,
            "Lancer un média",
            "lancer-un-media",
            "Vous voulez un média citoyen dans votre quartier ? Voici ce qu'il faut, et à "
            "qui écrire.",
            order=95,
            kinds=FEDERATION_ONLY,
        )
    ]


@hooks.register(FIT_PORTAL_KIND)
def staff_read_requests(kind: str) -> None:
    """The federation's staff read and answer the launch requests (a neighbourhood's
    animators never see them)."""
    if kind != "federation":
        return
    group, _created = Group.objects.get_or_create(name=FEDERATION_STAFF)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="frontdoor", codename__in=STAFF_PERMISSIONS
        )
    )


@hooks.register(DEMO_CONTENT, order=15)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """What it takes to launch a media, on the federation's page."""
    seed_launch_page(neighbourhood)


@hooks.register(NOT_SHOWN_ON_PAGES)
def frontdoor_models_not_shown() -> Iterable[str]:
    """Launch requests are read in the admin only."""
    return ["frontdoor.LaunchRequest"]
