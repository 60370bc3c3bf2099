"""Where proposals live: the section's paths, and absolute links for e-mails.

Links sent by e-mail are built from the portal's own primary domain
(``tenants.addresses.portal_base_url``), inside a request or in a command alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tenants.addresses import current_portal, portal_base_url

if TYPE_CHECKING:
    from wagtail.models import Page

    from proposals.models import ProposalsPage


def proposals_section() -> ProposalsPage | None:
    """The portal's "Participer" page (one per portal), if it is live."""
    from proposals.models import ProposalsPage

    return ProposalsPage.objects.live().first()


def section_path(page: ProposalsPage, route: str, *args: object) -> str:
    """The path of one of the section's sub-views, e.g. ``/participer/sujet/``."""
    _site_id, _root_url, page_path = page.get_url_parts()
    return page_path + page.reverse_subpage(route, args=args)


def page_path(page: Page) -> str:
    """The public path of a page of this portal."""
    parts = page.get_url_parts()
    return parts[2] if parts else ""


def absolute_url(path: str) -> str:
    """``path`` on the current portal's own host."""
    return portal_base_url(current_portal()) + path
