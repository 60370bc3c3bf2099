"""The network's word on one of this portal's sheets: the federation's marks and the
portals that adopted it, with what worked for them."""

from __future__ import annotations

from django import template

from portal.methodology.models import MethodologyPage
from portal.methodology.toolkit import sheet_in_toolkit

register = template.Library()


@register.inclusion_tag("portal/methodology/includes/sheet_in_network.html")
def sheet_in_network(page: MethodologyPage) -> dict:
    """Marks and adoptions of ``page`` (read from the public schema); empty if none."""
    sheet, adoptions = sheet_in_toolkit(page)
    return {
        "validated": bool(sheet and sheet.validated),
        "featured": bool(sheet and sheet.featured),
        "adoptions": adoptions,
    }
