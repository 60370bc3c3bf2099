"""The footer's subscribe form, on every page of a portal."""

from __future__ import annotations

from django import template

from newsletter.forms import SubscribeForm
from newsletter.subscriptions import consent_wording as wording_for

register = template.Library()


@register.simple_tag(takes_context=True)
def consent_wording(context: template.Context) -> str:
    """The consent sentence shown under every subscribe form (and recorded with it)."""
    portal = context.get("portal")
    return wording_for(portal.name if portal else "")


@register.inclusion_tag("newsletter/includes/footer_form.html", takes_context=True)
def newsletter_footer_form(context: template.Context) -> dict:
    """The address field and button; no database query, no cookie (see views.subscribe)."""
    request = context.get("request")
    portal = context.get("portal")
    return {
        "form": SubscribeForm(request=request, auto_id="pied_%s"),
        "consent_wording": wording_for(portal.name if portal else ""),
        "portal": portal,
    }
