"""The private links of a subscriber: signed, bound to one subscriber, one purpose, one portal.

The salt names the portal's schema and its own secret: a link issued by one portal opens
nothing on another, even where both have a subscriber with the same id, nor on a portal
opened later under the same slug.
"""

from __future__ import annotations

from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from tenants.portal_secrets import portal_salt

# A confirmation link older than a week is refused: subscribing again sends a new one.
CONFIRMATION_MAX_AGE = 7 * 24 * 3600

CONFIRM = "confirm"
MANAGE = "manage"  # the page to change topics, leave, get or erase one's data
UNSUBSCRIBE = "unsubscribe"  # the one-click link of the List-Unsubscribe header


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=portal_salt(f"newsletter.{purpose}"))


def make_token(purpose: str, subscriber_id: int) -> str:
    """A token for ``purpose`` standing for one subscriber of the current portal."""
    signed = _signer(purpose).sign(str(subscriber_id))
    return urlsafe_base64_encode(force_bytes(signed))


def read_token(purpose: str, token: str) -> int | None:
    """The subscriber id a token stands for, or None if forged, foreign or too old."""
    max_age = CONFIRMATION_MAX_AGE if purpose == CONFIRM else None
    try:
        signed = urlsafe_base64_decode(token).decode()
        value = _signer(purpose).unsign(signed, max_age=max_age)
    except (ValueError, signing.BadSignature):  # not base64, not UTF-8, forged or expired
        return None
    return int(value) if value.isdigit() and len(value) < 19 else None
