"""The portal's main menu: the home page's sections shown in menus."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("core/includes/navigation.html", takes_context=True)
def portal_navigation(context: template.Context) -> dict[str, object]:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    root = site.root_page if site else None
    sections = root.get_children().live().in_menu() if root else Page.objects.none()
    return {"sections": sections, "current": context.get("page")}
