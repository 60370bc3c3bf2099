"""Joining a project seed: a resident's request, relayed by e-mail to the action group.

The group's address is never shown: the resident writes through the portal, and the group
answers to the resident's address (``Reply-To``). A seed without an address of its own
sends the request to the animators, who pass it on.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.abuse import one_line
from portal.actors.proposals import animator_addresses
from portal.workshops.models import ProjectSeed
from tenants.addresses import current_portal, portal_base_url


def ask_to_join(seed: ProjectSeed, name: str, email: str, message: str = "") -> bool:
    """Send a resident's request to join ``seed`` to its group; False if nobody can get it."""
    recipients = [seed.contact_email] if seed.contact_email else animator_addresses()
    portal = current_portal()
    if not recipients or portal is None:
        return False
    body = render_to_string(
        "portal/workshops/emails/seed_join.txt",
        {
            "seed": seed,
            "name": name,
            "email": email,
            "message": message,
            "portal": portal,
            "workshop_url": portal_base_url(portal) + _page_path(seed.workshop),
        },
    )
    EmailMessage(
        subject=one_line(
            f"[{portal.name}] "
            + _("%(name)s veut rejoindre « %(seed)s »") % {"name": name, "seed": seed.title[:80]}
        ),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[email],
    ).send()
    return True


def _page_path(page) -> str:
    """The page's path on its site (no host: the portal's own host goes before it)."""
    parts = page.get_url_parts()
    return parts[2] if parts else "/"
