"""Links to ads from any template, with one query for the section page per render."""

from __future__ import annotations

from django import template

from classifieds.addresses import classifieds_section, page_path_of, section_path
from classifieds.models import Classified, ClassifiedsPage

register = template.Library()

_SECTION = "classifieds_section"
_SECTION_PATH = "classifieds_section_path"


def _section(context: template.Context):
    # On the section's own pages the page is at hand; elsewhere it is looked up once per
    # template rendering: a list of ads costs one query, not one per ad.
    page = context.get("page")
    if isinstance(page, ClassifiedsPage):
        return page
    if _SECTION not in context.render_context:
        context.render_context[_SECTION] = classifieds_section()
    return context.render_context[_SECTION]


def _section_page_path(context: template.Context, page: ClassifiedsPage) -> str:
    # The section's own path, worked out once per template rendering too: a list of ads
    # asked Wagtail for it (the site's root paths, a URL reversed) for each ad.
    key = (_SECTION_PATH, page.pk)
    if key not in context.render_context:
        context.render_context[key] = page_path_of(page)
    return context.render_context[key]


@register.simple_tag(takes_context=True)
def classified_url(context: template.Context, classified: Classified) -> str:
    """The public path of an ad ("" when the portal has no live classifieds page)."""
    page = _section(context)
    if not page:
        return ""
    return section_path(page, "detail", classified.pk, page_path=_section_page_path(context, page))


@register.simple_tag(takes_context=True)
def classifieds_section_url(context: template.Context) -> str:
    """The path of the classifieds section ("" when it is not live)."""
    page = _section(context)
    if not page:
        return ""
    return section_path(page, "listing", page_path=_section_page_path(context, page))
