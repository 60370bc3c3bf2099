"""The private cancel link of a registration: signed, bound to one registration and portal."""

from __future__ import annotations

from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from tenants.portal_secrets import portal_salt


def _signer() -> signing.Signer:
    return signing.Signer(salt=portal_salt("registrations.cancel"))


def cancel_token(registration_id: int) -> str:
    """The token of the link that cancels a registration (base64: Wagtail routes take no ":")."""
    return urlsafe_base64_encode(force_bytes(_signer().sign(str(registration_id))))


def cancelled_id(token: str) -> int | None:
    """The registration a cancel token stands for, or None if forged or from another portal."""
    try:
        value = _signer().unsign(urlsafe_base64_decode(token).decode())
    except (ValueError, signing.BadSignature):
        return None
    return int(value) if value.isdigit() and len(value) < 19 else None
