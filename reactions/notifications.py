"""The e-mail of a reaction: the link that confirms it, on the portal's own host."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.abuse import one_line
from reactions.models import Reaction
from reactions.pages import page_address
from reactions.tokens import confirmation_token
from tenants.addresses import current_portal, portal_base_url


def confirm_url(reaction: Reaction, base_url: str | None = None) -> str:
    """The absolute link that confirms a reaction (and remembers its address)."""
    base_url = base_url or portal_base_url(current_portal())
    page = reaction.page.specific
    route = page.reverse_subpage("reaction_confirm", args=[confirmation_token(reaction.pk)])
    return base_url + (page_address(page) or "/") + route


def send_confirmation(reaction: Reaction) -> None:
    """Ask the address to confirm a reaction; its owner may ignore it if it is not theirs."""
    portal = current_portal()
    base_url = portal_base_url(portal)
    page = reaction.page.specific
    body = render_to_string(
        "reactions/emails/confirm.txt",
        {
            "reaction": reaction,
            "page": page,
            "portal": portal,
            "network_name": settings.NETWORK_NAME,
            "page_url": base_url + (page_address(page) or "/"),
            "confirm_url": confirm_url(reaction, base_url),
        },
    )
    subject = _("Confirmez votre réaction : %(page)s") % {"page": page.title[:80]}
    EmailMessage(
        subject=one_line(f"[{portal.name}] {subject}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reaction.email],
        reply_to=[portal.contact_email] if portal.contact_email else [],
    ).send()
