"""Protections for public forms that anyone may send: honeypot, fill time, rate limits.

Reused by every form a visitor can post without an account (classifieds, contact relay,
actors' proposals, newsletter). Rate-limit counters live in Django's cache, whose keys
carry the portal's schema (``KEY_FUNCTION``), so each portal counts its own visitors.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "site_web"
STARTED_FIELD = "formulaire_ouvert"
_STARTED_SALT = "core.abuse.form-started"
# Periods of the rate limits, in seconds.
HOUR = 3600
DAY = 24 * HOUR

# A form left open longer than this must be reloaded: its start stamp is too old to vouch.
MAX_FORM_AGE_SECONDS = 24 * 3600

REFUSED = _("Votre envoi n'a pas pu être accepté. Réessayez, ou écrivez à l'équipe du portail.")
TOO_FAST = _(
    "Vous avez rempli ce formulaire très vite. Relisez-le, puis envoyez-le à nouveau : "
    "ce que vous avez saisi a été gardé."
)
TOO_OLD = _(
    "Ce formulaire est resté ouvert trop longtemps. Vérifiez votre saisie, puis envoyez-le à "
    "nouveau."
)
TOO_MANY = _(
    "Trop d'envois en peu de temps. Réessayez un peu plus tard : ce que vous avez saisi a "
    "été gardé."
)

# Characters that change how text is displayed without being text: bidirectional overrides
# (which can disguise a link or an address) and control characters other than line breaks.
_INVISIBLE = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def plain_text(value: str) -> str:
    """Text as typed, normalised (NFC), without control or bidi-override characters.

    Plain text is stored as such and escaped when shown: this only removes characters a
    person cannot see but that can disguise what the text says.
    """
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
    value = _INVISIBLE.sub("", value)
    return "".join(
        char for char in value if char in "\n\t" or unicodedata.category(char) != "Cc"
    ).strip()


class PlainTextField(forms.CharField):
    """Text kept as typed but without invisible control characters (``plain_text``)."""

    def to_python(self, value: object) -> str:
        return plain_text(super().to_python(value))


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    ``REMOTE_ADDR`` only: behind a reverse proxy, the proxy must set it (gunicorn's
    ``--forwarded-allow-ips``); trusting ``X-Forwarded-For`` here would let anyone pick
    the address they are counted under.
    """
    return request.META.get("REMOTE_ADDR", "") or "inconnue"


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per ``period`` seconds for one identity within ``scope``."""

    scope: str
    limit: int
    period: int

    def _key(self, identity: str) -> str:
        # Hashed: cache keys must stay short and safe, and e-mail addresses stay out of them.
        digest = hashlib.sha256(identity.strip().lower().encode()).hexdigest()[:32]
        return f"abuse:{self.scope}:{digest}"

    def exceeded(self, identity: str) -> bool:
        """True when ``identity`` already used up its hits for this period."""
        count = cache.get(self._key(identity), 0)
        return count >= self.limit

    def hit(self, identity: str) -> None:
        """Count one more hit for ``identity`` (the window starts at the first hit)."""
        key = self._key(identity)
        if not cache.add(key, 1, timeout=self.period):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=self.period)


class StartedStampInput(forms.HiddenInput):
    """A hidden input that always carries a fresh signed time stamp.

    Re-rendering a form after an error restarts the clock: a person takes more than a few
    seconds to correct it, a robot resending at once does not.
    """

    def format_value(self, value: object) -> str:
        return signing.TimestampSigner(salt=_STARTED_SALT).sign("ouvert")


class HoneypotInput(forms.TextInput):
    """A text input people never see nor reach with the keyboard; robots fill it in."""

    template_name = "core/abuse/honeypot.html"


class ProtectedFormMixin:
    """Honeypot, minimum fill time and rate limits for a public form.

    Give the form ``request=`` when building it. Set ``rate_limits`` to pairs of
    (RateLimit, identity) where identity is ``"ip"`` or the name of a field whose cleaned
    value identifies the sender (an e-mail address). A submission counts against the
    limits only once it is otherwise valid, so correcting a mistake costs nothing.
    """

    rate_limits: list[tuple[RateLimit, str]] = []

    def __init__(self, *args: object, request: HttpRequest | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Laissez ce champ vide"),
            widget=HoneypotInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[STARTED_FIELD] = forms.CharField(required=False, widget=StartedStampInput)

    @property
    def min_fill_seconds(self) -> int:
        """Seconds a person takes at least between opening the form and sending it.

        ``PUBLIC_FORM_MIN_SECONDS``, read at each check rather than at import, so that a
        test (or a live server in the test process) can change it with the settings.
        """
        return settings.PUBLIC_FORM_MIN_SECONDS

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(REFUSED, code="honeypot")
        self._check_fill_time(cleaned.get(STARTED_FIELD) or "")
        if self.errors:
            return cleaned
        identities = [(limit, self._identity(who, cleaned)) for limit, who in self.rate_limits]
        if any(limit.exceeded(identity) for limit, identity in identities if identity):
            raise forms.ValidationError(TOO_MANY, code="rate_limited")
        for limit, identity in identities:
            if identity:
                limit.hit(identity)
        return cleaned

    def _check_fill_time(self, stamp: str) -> None:
        signer = signing.TimestampSigner(salt=_STARTED_SALT)
        try:
            signer.unsign(stamp, max_age=MAX_FORM_AGE_SECONDS)
        except signing.SignatureExpired as error:
            raise forms.ValidationError(TOO_OLD, code="form_too_old") from error
        except signing.BadSignature as error:
            raise forms.ValidationError(REFUSED, code="no_stamp") from error
        try:
            signer.unsign(stamp, max_age=self.min_fill_seconds)
        except signing.SignatureExpired:
            return  # old enough: a person had time to read and type
        raise forms.ValidationError(TOO_FAST, code="too_fast")

    def _identity(self, who: str, cleaned: dict) -> str:
        if who == "ip":
            return client_ip(self.request) if self.request else ""
        return str(cleaned.get(who) or "")

    @property
    def protection_fields(self) -> list[forms.BoundField]:
        """The honeypot and time stamp, for templates that render them apart."""
        return [self[HONEYPOT_FIELD], self[STARTED_FIELD]]
