"""Sending actors the link to their own entry ("Mettez à jour votre fiche").

The animator sends it from the admin, to one actor or many at once (a bulk action of the
actors' list): each actor with an e-mail address (its private contact address, else its
public one) gets its own signed link (``portal/actors/tokens.py``), built on the portal's
own host.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.abuse import one_line
from portal.actors.directory import subpage_path
from portal.actors.models import Actor
from portal.actors.tokens import actor_token
from tenants.addresses import current_portal, portal_base_url


@dataclass
class SentLinks:
    """What a sending did: how many links went, and the actors without an address."""

    sent: int = 0
    without_email: list[str] | None = None


def entry_url(actor: Actor, directory) -> str:
    """The absolute address of ``actor``'s own link, on this portal's host."""
    path = subpage_path(directory, "entry", actor_token(actor))
    return portal_base_url(current_portal()) + path


def send_entry_links(actors: Iterable[Actor], directory) -> SentLinks:
    """E-mail each actor of ``actors`` that has an address its link to update its entry
    (one message each: no actor sees another's address)."""
    portal = current_portal()
    result = SentLinks(without_email=[])
    if portal is None or directory is None:
        return result
    messages = []
    for actor in actors:
        if not actor.update_email:
            result.without_email.append(actor.name)
            continue
        body = render_to_string(
            "portal/actors/emails/actor_update_link.txt",
            {"actor": actor, "portal": portal, "entry_url": entry_url(actor, directory)},
        )
        subject = _("Mettez à jour votre fiche « %(name)s »") % {"name": actor.name[:80]}
        messages.append(
            EmailMessage(
                subject=one_line(f"[{portal.name}] {subject}"),
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[actor.update_email],
            )
        )
    if messages:
        result.sent = get_connection().send_messages(messages) or 0
    return result
