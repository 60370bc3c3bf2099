"""The private links sent to a proposer: unguessable, bound to one proposal and one portal.

Each token is the proposal's id signed with the project's secret and a salt that names
the portal (``tenants.portal_secrets.portal_salt``: its schema and its own secret) and the
token's purpose: a token opens only its own proposal, only at the portal that issued it,
and a confirmation token does not withdraw.
"""

from __future__ import annotations

from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from tenants.portal_secrets import portal_salt

# An unconfirmed proposal is deleted after 48 hours: its confirmation link dies with it.
CONFIRMATION_MAX_AGE = 48 * 3600


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=portal_salt(f"proposals.{purpose}"))


def _make(purpose: str, proposal_id: int) -> str:
    # Wagtail serves only paths of letters, digits, "_" and "-": base64 wraps the ":".
    return urlsafe_base64_encode(force_bytes(_signer(purpose).sign(str(proposal_id))))


def _read(purpose: str, token: str, max_age: int | None) -> int | None:
    try:
        value = _signer(purpose).unsign(urlsafe_base64_decode(token).decode(), max_age=max_age)
    except (ValueError, signing.BadSignature):  # not base64, not UTF-8, forged or expired
        return None
    return int(value) if value.isdigit() else None


def confirmation_token(proposal_id: int) -> str:
    """The token of the link that confirms a new proposal."""
    return _make("confirm", proposal_id)


def withdrawal_token(proposal_id: int) -> str:
    """The token of the proposer's link to withdraw their proposal."""
    return _make("withdraw", proposal_id)


def confirmed_id(token: str) -> int | None:
    """The proposal a confirmation token stands for, or None (forged, too old, elsewhere)."""
    return _read("confirm", token, CONFIRMATION_MAX_AGE)


def withdrawn_id(token: str) -> int | None:
    """The proposal a withdrawal token stands for, or None if forged or from elsewhere."""
    return _read("withdraw", token, None)
