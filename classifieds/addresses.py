"""Where an ad lives: paths on the portal, and absolute links for e-mails.

Links sent by e-mail are built from the portal's own primary domain
(``tenants.addresses.portal_base_url``), inside a request or in a command alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import tenant_state
from tenants.addresses import current_portal, portal_base_url

if TYPE_CHECKING:
    from classifieds.models import Classified, ClassifiedsPage


def classifieds_section() -> ClassifiedsPage | None:
    """The portal's classifieds page (one per portal), if it is live."""
    from classifieds.models import ClassifiedsPage

    # Most portals show it in their menu, which the request's state already holds.
    for section in tenant_state.remembered_menu() or ():
        if section.specific_class is ClassifiedsPage:
            return section.specific_deferred
    return ClassifiedsPage.objects.live().first()


def page_path_of(page: ClassifiedsPage) -> str:
    """The section page's own path on its portal (``/petites-annonces/``)."""
    _site_id, _root_url, page_path = page.get_url_parts()
    return page_path


def section_path(
    page: ClassifiedsPage, route: str, *args: object, page_path: str | None = None
) -> str:
    """The path of one of the section's sub-views, e.g. ``/petites-annonces/annonce/3/``;
    ``page_path``: the page's own path (``page_path_of``), when the caller has it already."""
    if page_path is None:
        page_path = page_path_of(page)
    return page_path + page.reverse_subpage(route, args=args)


def classified_path(classified: Classified, page: ClassifiedsPage | None = None) -> str:
    """The public path of an ad, or "" when the portal has no classifieds page."""
    page = page or classifieds_section()
    return section_path(page, "detail", classified.pk) if page else ""


def absolute_url(path: str) -> str:
    """``path`` on the current portal's own host."""
    return portal_base_url(current_portal()) + path
