"""The portal's navigation: the home page's sections shown in menus, and the other
languages a page is published in."""

from django import template
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from wagtail.models import Page, Site

from core import tenant_state
from core.caching import fragment
from core.page_addresses import address_context
from core.pages import live_translations_of
from core.process_memo import ProcessMemo

register = template.Library()

MENU_SECONDS = 300


def menu_sections(request) -> list[Page]:
    """The live sections of the portal's menu: from the portal's state when it is at hand,
    else remembered until the portal changes (``core.caching.portal_key``: schema,
    release, generations, the site)."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    # Read with the rest of the portal's state (``core.tenant_state``), for this site.
    remembered = tenant_state.remembered("menu")
    if remembered is not None and remembered[0] == site.pk:
        return remembered[1]
    return fragment(
        "menu",
        (site.pk,),
        MENU_SECONDS,
        lambda: list(Page.objects.child_of(site.root_page).live().in_menu()),
    )


@register.simple_tag(takes_context=True)
def portal_navigation(context: template.Context) -> SafeString:
    """The menu, its section of the page shown marked: ``aria-current="page"`` on the
    section itself, ``"true"`` on the section a page lives under (an article under
    "Actualités"), worked out per request from the page's tree path.

    Its HTML is kept in each process for each portal, site, language, set of sections and
    marked section (a dozen versions a portal at most): building it asks Wagtail each
    section's address, the most expensive part of a page whose blocks come from the
    cache."""
    request = context.get("request")
    sections = menu_sections(request)
    page = context.get("page")
    path = getattr(page, "path", "") or ""
    marked = [
        (section, "page" if section.pk == getattr(page, "pk", None) else "true")
        if path.startswith(section.path)
        else (section, "")
        for section in sections
    ]

    def build() -> SafeString:
        # With the request, Wagtail reads the sites' root paths once for every section
        # (an inclusion tag's context has no request: each section read them again).
        return render_to_string(
            "core/includes/navigation.html", {"sections": marked, "request": request}
        )

    site = Site.find_for_request(request) if request else None
    if site is None:
        return build()
    # What the menu is written from: its sections' titles and addresses (worked out from
    # their paths and ``address_context``), the marks, the language. Kept per process
    # under these (issue 25 §2): written once a process, never read from the fragment
    # cache, which could only hold the same HTML or an older one.
    key = (
        address_context(sections[0], request) if sections else None,
        connection.schema_name,
        site.pk,
        translation.get_language(),
        tuple((section.pk, section.url_path, section.title, mark) for section, mark in marked),
    )
    return _menus.made(key, build)


# Menus by portal, language, sections and marks, the least recently used dropped first.
_menus: ProcessMemo[SafeString] = ProcessMemo(2048)


TRANSLATIONS_SECONDS = 300


@register.simple_tag
def live_translations(page: Page) -> list[Page]:
    """The page's published translations in the portal's other languages, with their
    locales; nothing is asked of the database when the portal has a single language, and
    with the fragment cache on, once per page until the portal changes (a translation
    published or unpublished bumps its generation: ``core.caching``).

    Aliases are left out: a parent made for a translation (core.translation) is the French
    page under another language's address, not a translation a reader would ask for."""
    locale_ids = tenant_state.remembered("locale_ids")
    if locale_ids is not None and len(locale_ids) < 2:
        return []
    # Read with the page's other lists when the fragment cache is off (PortalPage.readings).
    ahead = getattr(page, "read_items", {}).get("translations")
    return fragment(
        "translations",
        (page.pk,),
        TRANSLATIONS_SECONDS,
        lambda: list(live_translations_of(page)) if ahead is None else ahead,
    )
