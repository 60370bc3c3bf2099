"""The signed links of the workshop cycle: a participant's thematic address book, an
action group's own page, and a member's links to confirm their address and to leave.

Each token is an id signed with the project's secret and a salt naming the portal (its
schema and its own secret, ``tenants.portal_secrets.portal_salt``) and the token's
purpose, as the proposals' and reactions' links are: a link of portal A opens nothing at
portal B, and an address book's link does not open a group's page.

A group's, a member's and an address book's links also carry a digest of the address they
were sent to: when the animator gives the seed another contact or corrects a participant's
address, the link sent to the former address stops working.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from core.posted_ids import posted_id
from tenants.portal_secrets import portal_salt

# The address book is for the weeks after the workshop; the animator can send it again.
ADDRESS_BOOK_MAX_AGE = 90 * 24 * 3600
# A group works for months from its page; the animator sends a fresh link when it expires.
GROUP_MAX_AGE = 365 * 24 * 3600
# Whoever joined confirms within a week, or joins again for a fresh link.
MEMBER_CONFIRM_MAX_AGE = 7 * 24 * 3600
# Each relayed message carries a fresh leave link; a year covers an old message kept.
MEMBER_LEAVE_MAX_AGE = 365 * 24 * 3600


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=portal_salt(f"workshops.{purpose}"))


def _make(purpose: str, value: str) -> str:
    # Wagtail's routes take no ":": base64 wraps the signature.
    return urlsafe_base64_encode(force_bytes(_signer(purpose).sign(value)))


def _read(purpose: str, token: str, max_age: int) -> str | None:
    try:
        return _signer(purpose).unsign(urlsafe_base64_decode(token).decode(), max_age=max_age)
    except (ValueError, signing.BadSignature):  # not base64, not UTF-8, forged or expired
        return None


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


def address_book_token(attendee_id: int, email: str) -> str:
    """The token of a participant's link to their workshop's address book, for the address
    it is sent to."""
    return _member_token("address-book", attendee_id, email)


def address_book_claim(token: str) -> tuple[int, str] | None:
    """The participant an address book's token names, with a digest of the address it was
    sent to (``was_sent_to``), or None (forged, old, foreign)."""
    return _member_read("address-book", token, ADDRESS_BOOK_MAX_AGE)


def was_sent_to(digest: str, email: str) -> bool:
    """Whether a token's address digest is that of ``email``."""
    return digest == _address_digest(email)


def group_token(seed_id: int, contact_email: str) -> str:
    """The token of the link a seed's contact uses to run its group's page."""
    return _make("group", f"{seed_id}.{_address_digest(contact_email)}")


def group_seed_id(token: str, current_contact: str | None = None) -> int | None:
    """The seed a group's token stands for, or None. With ``current_contact``, a token
    made for another address (a former contact) is refused too."""
    value = _read("group", token, GROUP_MAX_AGE)
    if not value or "." not in value:
        return None
    seed_id, digest = value.split(".", 1)
    if (number := posted_id(seed_id)) is None:
        return None
    if current_contact is not None and digest != _address_digest(current_contact):
        return None
    return number


def _member_token(purpose: str, member_id: int, email: str) -> str:
    return _make(purpose, f"{member_id}.{_address_digest(email)}")


def _member_read(purpose: str, token: str, max_age: int) -> tuple[int, str] | None:
    value = _read(purpose, token, max_age)
    if not value or "." not in value:
        return None
    member_id, digest = value.split(".", 1)
    number = posted_id(member_id)
    return None if number is None else (number, digest)


def member_confirm_token(member_id: int, email: str) -> str:
    """The token of the link a new member opens to confirm their address."""
    return _member_token("member-confirm", member_id, email)


def member_leave_token(member_id: int, email: str) -> str:
    """The token of the link, in each relayed message, that takes a member out of the group."""
    return _member_token("member-leave", member_id, email)


def member_id_for(purpose: str, token: str, email_of: Callable[[int], str | None]) -> int | None:
    """The member a confirm (``purpose`` "confirm") or leave ("leave") token stands for, or
    None: forged, expired, of another portal, or made for another address than the
    member's current one (``email_of`` gives it, None when the member is gone)."""
    max_age = MEMBER_CONFIRM_MAX_AGE if purpose == "confirm" else MEMBER_LEAVE_MAX_AGE
    read = _member_read(f"member-{purpose}", token, max_age)
    if read is None:
        return None
    member_id, digest = read
    email = email_of(member_id)
    if email is None or digest != _address_digest(email):
        return None
    return member_id
