"""The e-mails to a proposer, each linking to the portal's own host."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from core.abuse import one_line
from proposals.addresses import absolute_url, current_portal, proposals_section, section_path
from proposals.models import Proposal
from proposals.tokens import confirmation_token, withdrawal_token


def _links(proposal: Proposal) -> dict[str, str]:
    page = proposals_section()
    if page is None:
        return {}
    return {
        "confirm_url": absolute_url(section_path(page, "confirm", confirmation_token(proposal.pk))),
        "withdraw_url": absolute_url(section_path(page, "withdraw", withdrawal_token(proposal.pk))),
    }


def to_proposer(proposal: Proposal, template: str, subject: str, **context: object) -> None:
    """One plain-text e-mail to a proposer, from ``proposals/emails/<template>.txt``, with
    the links to confirm and to withdraw their proposal."""
    portal = current_portal()
    context = {
        "portal": portal,
        "network_name": settings.NETWORK_NAME,
        "proposal": proposal,
        **_links(proposal),
        **context,
    }
    body = render_to_string(f"proposals/emails/{template}.txt", context)
    EmailMessage(
        subject=one_line(f"[{portal.name}] {subject}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[proposal.email],
    ).send()
