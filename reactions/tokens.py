"""The signed values of reactions: the confirmation link of a reaction, and the cookie
that remembers a confirmed address on the browser that opened that link.

Both are signed with the project's secret and a salt naming the portal (its schema and its
own secret, ``tenants.portal_secrets``) and the value's purpose: a link or a cookie of
portal A means nothing at portal B, and a confirmation token is not a cookie.
"""

from __future__ import annotations

from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from tenants.portal_secrets import portal_salt

# The confirmation link is kept by the resident: it confirms the reaction, and opened
# again within this time on another browser, it remembers the address there too.
LINK_MAX_AGE = 30 * 24 * 3600
# How long a browser is remembered for an address.
COOKIE_MAX_AGE = 365 * 24 * 3600
COOKIE_NAME = "reactions_adresse"


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=portal_salt(f"reactions.{purpose}"))


def confirmation_token(reaction_id: int) -> str:
    """The token of the link that confirms one reaction (base64: Wagtail routes take no ":")."""
    return urlsafe_base64_encode(force_bytes(_signer("confirm").sign(str(reaction_id))))


def confirmed_id(token: str) -> int | None:
    """The reaction a confirmation token stands for, or None if forged, foreign or too old."""
    try:
        value = _signer("confirm").unsign(urlsafe_base64_decode(token).decode(), LINK_MAX_AGE)
    except (ValueError, signing.BadSignature):
        return None
    return int(value) if value.isdigit() and len(value) < 19 else None


def address_cookie(email: str) -> str:
    """The value of the cookie that remembers ``email`` on this browser, at this portal."""
    return _signer("address").sign(email)


def remembered_address(value: str | None) -> str | None:
    """The address a cookie remembers, or None if absent, forged, foreign or too old."""
    if not value:
        return None
    try:
        return _signer("address").unsign(value, COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None
