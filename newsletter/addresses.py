"""Absolute links of the newsletter, on the current portal's own host."""

from __future__ import annotations

from django.urls import reverse

from newsletter import tokens
from tenants.addresses import current_portal, portal_base_url


def absolute_url(path: str) -> str:
    """``path`` on the current portal's host (inside a request or a command alike)."""
    return portal_base_url(current_portal()) + path


def confirm_url(subscriber_id: int) -> str:
    token = tokens.make_token(tokens.CONFIRM, subscriber_id)
    return absolute_url(reverse("newsletter-confirm", args=[token]))


def manage_url(subscriber_id: int) -> str:
    token = tokens.make_token(tokens.MANAGE, subscriber_id)
    return absolute_url(reverse("newsletter-manage", args=[token]))


def unsubscribe_url(subscriber_id: int) -> str:
    token = tokens.make_token(tokens.UNSUBSCRIBE, subscriber_id)
    return absolute_url(reverse("newsletter-unsubscribe", args=[token]))


def newsletter_section():
    """The portal's live "Infolettre" page, if any."""
    from newsletter.models import NewsletterIndexPage

    return NewsletterIndexPage.objects.live().filter(locale__language_code="fr").first()
