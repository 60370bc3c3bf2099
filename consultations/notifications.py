"""The e-mail that confirms an answer, linking to the portal's own host."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from consultations.models import ConsultationAnswer, ConsultationPage
from consultations.tokens import confirmation_token
from core.abuse import one_line
from tenants.addresses import current_portal, portal_base_url


def route_path(page: ConsultationPage, route: str, *args: object) -> str:
    """The path of one of the consultation's sub-views, e.g. ``/consultations/place/resultats/``."""
    _site_id, _root_url, page_path = page.get_url_parts()
    return page_path + page.reverse_subpage(route, args=args)


def send_confirmation(page: ConsultationPage, answer: ConsultationAnswer) -> None:
    """Ask the address given with ``answer`` to confirm it (the answer counts only then)."""
    portal = current_portal()
    base = portal_base_url(portal)
    context = {
        "portal": portal,
        "network_name": settings.NETWORK_NAME,
        "page": page,
        "confirm_url": base + route_path(page, "confirm", confirmation_token(answer.pk)),
        "page_url": base + route_path(page, "form"),
    }
    EmailMessage(
        subject=one_line(
            f"[{portal.name}] " + _("Confirmez votre réponse : %(title)s") % {"title": page.title}
        ),
        body=render_to_string("consultations/emails/confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[answer.email],
    ).send()
