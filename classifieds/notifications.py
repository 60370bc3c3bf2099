"""The e-mails of the classifieds, each linking to the portal's own host."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from classifieds.addresses import absolute_url, classifieds_section, current_portal, section_path
from classifieds.models import Classified
from classifieds.tokens import confirmation_token, management_token
from core.abuse import one_line


def _links(classified: Classified) -> dict[str, str]:
    page = classifieds_section()
    if page is None:
        return {}
    return {
        "ad_url": absolute_url(section_path(page, "detail", classified.pk)),
        "manage_url": absolute_url(section_path(page, "manage", management_token(classified.pk))),
        "confirm_url": absolute_url(
            section_path(page, "confirm", confirmation_token(classified.pk))
        ),
        "section_url": absolute_url(section_path(page, "listing")),
    }


def send(
    template: str,
    subject: str,
    to: Sequence[str],
    context: dict[str, object],
    reply_to: Sequence[str] = (),
) -> None:
    """Send one plain-text e-mail rendered from ``classifieds/emails/<template>.txt``."""
    portal = current_portal()
    context = {"portal": portal, "network_name": settings.NETWORK_NAME, **context}
    body = render_to_string(f"classifieds/emails/{template}.txt", context)
    EmailMessage(
        # Folded: an ad written before titles had to hold on one line may hold a break.
        subject=one_line(f"[{portal.name}] {subject}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
    ).send()


def to_author(
    classified: Classified,
    template: str,
    subject: str,
    reply_to: Sequence[str] = (),
    **context: object,
) -> None:
    """An e-mail to an ad's author, with the links to the ad and to their private page."""
    send(
        template,
        subject,
        [classified.author_email],
        {"classified": classified, **_links(classified), **context},
        reply_to=reply_to,
    )
