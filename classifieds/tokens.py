"""The private links sent to an ad's author: unguessable, bound to one ad and one portal.

Each token is the ad's id signed with the project's secret and a salt that names the
portal's schema, the portal's own secret and the token's purpose: a token opens only its
own ad, only on the portal that issued it (not on a portal opened later under the same
slug), and a confirmation token is not a management token.
"""

from __future__ import annotations

from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from tenants.portal_secrets import portal_salt

# An unconfirmed ad is deleted after 48 hours: its confirmation link dies with it.
CONFIRMATION_MAX_AGE = 48 * 3600


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=portal_salt(f"classifieds.{purpose}"))


def _make(purpose: str, classified_id: int) -> str:
    # Wagtail serves only paths made of letters, digits, "_" and "-": the signer's ":"
    # separators are wrapped in URL-safe base64.
    signed = _signer(purpose).sign(str(classified_id))
    return urlsafe_base64_encode(force_bytes(signed))


def confirmation_token(classified_id: int) -> str:
    """The token of the link that confirms a new ad."""
    return _make("confirm", classified_id)


def management_token(classified_id: int) -> str:
    """The token of the author's private link to edit, extend or withdraw their ad."""
    return _make("manage", classified_id)


def _read(purpose: str, token: str, max_age: int | None) -> int | None:
    try:
        signed = urlsafe_base64_decode(token).decode()
        value = _signer(purpose).unsign(signed, max_age=max_age)
    except (ValueError, signing.BadSignature):  # not base64, not UTF-8, forged or expired
        return None
    return int(value) if value.isdigit() else None


def confirmed_id(token: str) -> int | None:
    """The ad id a confirmation token stands for, or None if it is forged or too old."""
    return _read("confirm", token, CONFIRMATION_MAX_AGE)


def managed_id(token: str) -> int | None:
    """The ad id a management token stands for, or None if it is forged."""
    return _read("manage", token, None)
