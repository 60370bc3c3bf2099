"""The footer's subscribe form, on every page of a portal."""

from __future__ import annotations

from django import template
from django.db import connection
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import SafeString

from core.abuse import with_fresh_stamp
from core.process_memo import ProcessMemo
from newsletter.forms import SubscribeForm
from newsletter.subscriptions import consent_wording as wording_for

register = template.Library()

# The footer's form by portal and language, the least recently used dropped first.
_footer_forms: ProcessMemo[str] = ProcessMemo(2048)


@register.simple_tag(takes_context=True)
def consent_wording(context: template.Context) -> str:
    """The consent sentence shown under every subscribe form (and recorded with it)."""
    portal = context.get("portal")
    return wording_for(portal.name if portal else "")


@register.simple_tag(takes_context=True)
def newsletter_footer_form(context: template.Context) -> SafeString:
    """The address field and button; no database query, no cookie (see views.subscribe).

    Its HTML is the same for every visitor of a portal in a language: made of the portal's
    name and kind, the language and the subscribe view's address, and of nothing a row
    says. It is written once a process under these (rendering the form was a fifteenth of
    a cold home page: issue 25 §2), its time stamp left out: each showing gets a fresh one
    (``core.abuse.with_fresh_stamp``), as when the form was rendered each time."""
    request = context.get("request")
    portal = context.get("portal")
    key = (
        connection.schema_name,
        getattr(portal, "pk", None),
        getattr(portal, "name", ""),
        getattr(portal, "kind", ""),
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
    )

    def write() -> str:
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

    html = _footer_forms.made(key, write)
    return with_fresh_stamp(html, SubscribeForm.stamp_name())
