"""The link that confirms an answer: signed, bound to one answer and one portal.

The answer's id is signed with the project's secret and a salt naming the portal's schema
and its own secret (``tenants.portal_secrets.portal_salt``): a link sent by portal A
opens nothing at portal B, nor at a portal opened later under A's name.
"""

from __future__ import annotations

from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from tenants.portal_secrets import portal_salt

# An unconfirmed answer is deleted after seven days: its link dies with it.
CONFIRMATION_MAX_AGE = 7 * 24 * 3600


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=portal_salt("consultations.confirm"))


def confirmation_token(answer_id: int) -> str:
    """The token of the link that makes an answer count (base64: Wagtail routes take no ":")."""
    return urlsafe_base64_encode(force_bytes(_signer().sign(str(answer_id))))


def confirmed_id(token: str) -> int | None:
    """The answer a token stands for, or None if forged, too old or from another portal."""
    try:
        value = _signer().unsign(
            urlsafe_base64_decode(token).decode(), max_age=CONFIRMATION_MAX_AGE
        )
    except (ValueError, signing.BadSignature):
        return None
    return int(value) if value.isdigit() and len(value) < 19 else None
