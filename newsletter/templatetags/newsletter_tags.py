"""The footer's subscribe form, on every page of a portal."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from core.abuse import with_fresh_stamp
from core.caching import fragment
from newsletter.forms import SubscribeForm
from newsletter.subscriptions import consent_wording as wording_for

register = template.Library()

FOOTER_SECONDS = 300


@register.simple_tag(takes_context=True)
def consent_wording(context: template.Context) -> str:
    """The consent sentence shown under every subscribe form (and recorded with it)."""
    portal = context.get("portal")
    return wording_for(portal.name if portal else "")


@register.simple_tag(takes_context=True)
def newsletter_footer_form(context: template.Context) -> SafeString:
    """The address field and button; no database query, no cookie (see views.subscribe).

    Its HTML (the same for every visitor of a portal in a language) is kept in the fragment
    cache until the portal changes, its time stamp left out: each showing gets a fresh
    one (``core.abuse.with_fresh_stamp``), as when the form was rendered each time."""
    request = context.get("request")
    portal = context.get("portal")

    def build() -> str:
        form = SubscribeForm(request=request, auto_id="pied_%s")
        form.stamp_placeholder()
        return render_to_string(
            "newsletter/includes/footer_form.html",
            {
                "form": form,
                "consent_wording": wording_for(portal.name if portal else ""),
                "portal": portal,
            },
        )

    html = (
        fragment("newsletter-footer", (translation.get_language() or "",), FOOTER_SECONDS, build)
        if portal is not None
        else build()
    )
    return with_fresh_stamp(html, SubscribeForm.stamp_name())
