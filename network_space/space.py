"""The animators' space at the federation's portal: made once, and kept private.

``ensure_space`` runs when a federation portal opens and on every ``migrate_network``
(the ``FIT_PORTAL_KIND`` extension point); ``keep_reserved`` puts back the view
restriction on the space's root whenever it goes (an editor's privacy dialog), so that
the subtree never enters a listing, a feed, the sitemap or the search.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction, Site

from network_space.documents import space_collection
from network_space.models import AnimatorsSpacePage
from tenants.group_names import FEDERATION_STAFF

SPACE_SLUG = "espace-animateurs"
SPACE_INTRO = (
    "<p>Les fiches internes, le calendrier des formations et les enregistrements du réseau, "
    "et l'annuaire pour vous joindre entre animateurs et animatrices.</p>"
)


def ensure_space() -> AnimatorsSpacePage | None:
    """The federation's space, published under its home page if missing, always private
    to Wagtail's listings. None on a schema without a site."""
    space = AnimatorsSpacePage.objects.first()
    if space is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return None
        space = AnimatorsSpacePage(
            title="Espace des animateurs",
            slug=SPACE_SLUG,
            intro=SPACE_INTRO,
            show_in_menus=False,
        )
        site.root_page.add_child(instance=space)
        space.save_revision().publish()
    keep_reserved(space)
    space_collection()
    return space


def keep_reserved(space: Page) -> None:
    """Give the space's root its view restriction (federation staff only, for Wagtail)
    if it has none: what leaves private pages out then leaves the whole space out."""
    if PageViewRestriction.objects.filter(page=space).exists():
        return
    restriction = PageViewRestriction.objects.create(
        page=space, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name=FEDERATION_STAFF))
