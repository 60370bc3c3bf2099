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


def manage_url(subscriber_id: int, base_url: str | None = None) -> str:
    """The subscriber's private page (``base_url``: the portal's, when already known)."""
    token = tokens.make_token(tokens.MANAGE, subscriber_id)
    path = reverse("newsletter-manage", args=[token])
    return (base_url + path) if base_url else absolute_url(path)


def unsubscribe_url(subscriber_id: int, base_url: str | None = None) -> str:
    """The one-click unsubscribe link of the List-Unsubscribe header."""
    token = tokens.make_token(tokens.UNSUBSCRIBE, subscriber_id)
    path = reverse("newsletter-unsubscribe", args=[token])
    return (base_url + path) if base_url else absolute_url(path)


def newsletter_section():
    """The portal's live "Infolettre" page, if any."""
    from newsletter.models import NewsletterIndexPage

    return NewsletterIndexPage.objects.live().filter(locale__language_code="fr").first()
