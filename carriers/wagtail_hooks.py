"""Carriers in the admin (the partners' snippet) and at the platform's extension points:
two sections for every portal, the footer's strip of partners, the demo."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from carriers.demo import seed_carriers
from carriers.models import FreePage, Partner, ScicPage
from carriers.public import partners, partners_reading
from core.extension_points import FOOTER_PARTS, PAGE_READINGS, SHOWN_ON_PAGES
from core.latest import Reading
from core.read_ahead import read_ahead
from core.reading_memo import built_once
from tenants.extension_points import DEMO_CONTENT, PORTAL_SECTIONS, ROLE_PERMISSIONS, PortalSection
from tenants.group_names import ANIMATORS

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tenants.models import Neighbourhood


class PartnerViewSet(SnippetViewSet):
    """Partners and funders: each portal keeps its own list."""

    model = Partner
    icon = "group"
    menu_label = _("Partenaires")
    menu_order = 280
    add_to_admin_menu = True
    list_display = ["name", "kind", "in_footer", "sort_order"]
    list_filter = ["kind", "in_footer"]
    search_fields = ["name"]
    search_backend_name = None


register_snippet(PartnerViewSet)


@hooks.register(PORTAL_SECTIONS)
def sections() -> Iterable[PortalSection]:
    """ "À propos" (a free page, the animators write it) and the cooperative, last."""
    return [
        PortalSection(
            FreePage,
            "À propos",
            "a-propos",
            "Qui fait ce média, et comment.",
            order=95,
        ),
        PortalSection(
            ScicPage,
            "La coopérative",
            "cooperative",
            "La SCIC qui porte le média : ses collèges, ses assemblées, comment y entrer.",
            order=96,
        ),
    ]


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators keep the partners' list."""
    return {
        ANIMATORS: [
            ("carriers", "add_partner"),
            ("carriers", "change_partner"),
            ("carriers", "delete_partner"),
        ]
    }


# The key of the footer's partners among what a page reads ahead (``core.read_ahead``).
FOOTER_PARTNERS = "carriers:footer"


@hooks.register(PAGE_READINGS)
def footer_partners_ahead(page, request: HttpRequest | None) -> dict[str, Reading] | None:
    """The footer's partners, read with the page's other lists, when the fragment cache
    is off: on, the footer comes whole from it and asks nothing."""
    if settings.FRAGMENT_CACHE_ENABLED:
        return None
    # Built once per portal state and second (``core.reading_memo``).
    return {
        FOOTER_PARTNERS: built_once(FOOTER_PARTNERS, (), lambda: partners_reading(in_footer=True))
    }


@hooks.register(FOOTER_PARTS)
def partners_strip(request: HttpRequest | None) -> str:
    """The logos of the partners marked for the footer, on every page of the portal."""
    shown = read_ahead(request, FOOTER_PARTNERS)
    if shown is None:
        shown = list(partners(in_footer=True))
    if not shown:
        return ""
    return render_to_string("carriers/includes/footer_strip.html", {"partners": shown})


@hooks.register(SHOWN_ON_PAGES)
def carriers_models_shown_on_pages() -> Iterable[str]:
    """Partners show in every page's footer."""
    return ["carriers.Partner"]


@hooks.register(DEMO_CONTENT, order=80)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """Partners, the free pages and the cooperative's page."""
    seed_carriers(neighbourhood)
