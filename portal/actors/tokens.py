"""The private links of the actors' map: an actor's link to its own entry, and a resident's
link confirming a story.

Each token is signed with the project's secret and a salt naming the portal
(``tenants.portal_secrets.portal_salt``: its schema and its own secret) and the purpose: a
token opens only its own entry or story, only at the portal that issued it. Both expire:
an actor's link after 30 days (the animator sends a new one with the bulk action), a
story's confirmation after 48 hours. An actor's link also names the address it was sent
to: once the entry's e-mail changes, links sent to the old address open nothing.
"""

from __future__ import annotations

import hashlib

from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from portal.actors.models import Actor
from tenants.portal_secrets import portal_salt

ACTOR_LINK_MAX_AGE = 30 * 24 * 3600
STORY_CONFIRMATION_MAX_AGE = 48 * 3600


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=portal_salt(f"actors.{purpose}"))


def _make(purpose: str, value: str) -> str:
    # Wagtail serves only paths of letters, digits, "_" and "-": base64 wraps the ":".
    return urlsafe_base64_encode(force_bytes(_signer(purpose).sign(value)))


def _read(purpose: str, token: str, max_age: int) -> str | None:
    try:
        return _signer(purpose).unsign(urlsafe_base64_decode(token).decode(), max_age=max_age)
    except (ValueError, signing.BadSignature):  # not base64, not UTF-8, forged or expired
        return None


def _address_digest(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]


def actor_token(actor: Actor) -> str:
    """The token of the link an actor uses to update its entry or ask for its removal."""
    return _make("update", f"{actor.pk}.{_address_digest(actor.update_email)}")


def actor_from_token(token: str) -> Actor | None:
    """The actor a token stands for, or None (forged, expired, from another portal, or sent
    to an address the entry no longer has)."""
    value = _read("update", token, ACTOR_LINK_MAX_AGE)
    if value is None or "." not in value:
        return None
    pk, digest = value.split(".", 1)
    if not pk.isdigit():
        return None
    actor = Actor.objects.filter(pk=int(pk)).first()
    if actor is None or not actor.update_email or _address_digest(actor.update_email) != digest:
        return None
    return actor


def story_token(story_id: int) -> str:
    """The token of the link that confirms a resident's story (their e-mail address)."""
    return _make("story-confirm", str(story_id))


def story_id_from_token(token: str) -> int | None:
    """The story a confirmation token stands for, or None (forged, too old, elsewhere)."""
    value = _read("story-confirm", token, STORY_CONFIRMATION_MAX_AGE)
    return int(value) if value and value.isdigit() else None
