"""Protections for public forms that anyone may send: honeypot, fill time, rate limits.

Reused by every form a visitor can post without an account (classifieds, contact relay,
actors' proposals, newsletter). Rate-limit counters live in one PostgreSQL table shared by
every worker (``core/rate_limits.py``), per portal; a sender is counted under their
normalised e-mail address, so ``Alice+1@X.org`` and ``alice@x.org`` are one sender. The
fill-time stamp is signed with the portal's schema and the form's name: it is good for
that form at that portal only.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
import unicodedata
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core import rate_limits

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
ELSEWHERE = _(
    "Ce formulaire ne vient pas de cette page. Vérifiez votre saisie, puis envoyez-le à "
    "nouveau depuis cette page."
)
ONE_LINE = _("Écrivez-le sur une seule ligne, sans retour à la ligne.")
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


class OneLineTextField(PlainTextField):
    """Plain text on one line: for what becomes an e-mail's subject (a name, a title).

    A line break in a mail header is refused by Django (``BadHeaderError``, which would be
    a 500 after the form was accepted): the visitor is asked to remove it instead.
    """

    def validate(self, value: str) -> None:
        super().validate(value)
        if "\n" in value or "\r" in value:
            raise forms.ValidationError(ONE_LINE, code="line_break")


EMAIL_REQUIRED = _("Indiquez votre adresse e-mail.")
EMAIL_INVALID = _("Saisissez une adresse e-mail complète, par exemple nom@exemple.fr.")


class VisitorEmailField(forms.EmailField):
    """A visitor's own address, as every public form asks for it: the same label, limits
    and French errors, and kept trimmed and in lower case so that a rate limit or a
    confirmation matches however it was typed. Pass ``help_text`` to say what it is for.
    """

    def __init__(self, *, help_text: str, **kwargs: object) -> None:
        error_messages = {"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID}
        error_messages.update(kwargs.pop("error_messages", {}))
        kwargs.setdefault("label", _("Votre adresse e-mail"))
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(
            max_length=254, help_text=help_text, error_messages=error_messages, **kwargs
        )

    def to_python(self, value: object) -> str:
        return super().to_python(value).lower()


def one_line(text: str) -> str:
    """``text`` with its line breaks and runs of spaces folded into single spaces (for a
    mail subject built from a row written before names had to hold on one line)."""
    return " ".join(text.split())


_DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def normalised_email(address: str) -> str:
    """One spelling per mailbox, for counting senders: case folded, spaces trimmed, the
    ``+tag`` of the local part removed, and the dots Gmail ignores removed at Gmail.

    Only for counting: the address a person typed is the one that gets their e-mail.
    """
    local, at, domain = address.strip().casefold().rpartition("@")
    if not at:
        return domain
    local = local.split("+", 1)[0]
    if domain in _DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), _DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"


# Who a request without a peer address is counted as (a server behind a Unix socket may
# pass none): all such requests together.
UNKNOWN_ADDRESS = "inconnue"


def axes_client_ip(request: HttpRequest) -> str | None:
    """``client_ip`` for django-axes, whose records keep an IP address or none: without a
    peer address, failures are counted for the account alone (None), not refused with a
    500 by the address column."""
    address = client_ip(request)
    return None if address == UNKNOWN_ADDRESS else address


def client_ip(request: HttpRequest) -> str:
    """The address a visitor is counted under: who they are to the rate limits and lockouts.

    The peer (``REMOTE_ADDR``) unless it is one of ``TRUSTED_PROXIES`` (nginx on the same
    machine by default): then ``X-Forwarded-For`` is read from the right, skipping the
    trusted proxies, and the first other address is the visitor's. Only the proxies append
    to that header; what the visitor wrote in it stays on its left, where it is never read,
    so nobody chooses the address they are counted under. An entry that is not an address
    stops the walk at the last proxy that vouched for it. IPv6 visitors are counted by
    their /64 network (given as its first address): one subscriber holds a whole /64 and
    could otherwise change address at every try.
    """
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return UNKNOWN_ADDRESS
    trusted = _trusted_proxies(tuple(settings.TRUSTED_PROXIES))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    visitor = peer
    while _is_trusted(visitor, trusted) and forwarded:
        hop = _address(forwarded.pop())
        if hop is None:
            break
        visitor = hop
    return _counting_key(visitor)


_Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> _Address | None:
    """The address written in ``text`` (IPv4 mapped in IPv6 as IPv4), or None."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@functools.cache
def _trusted_proxies(networks: tuple[str, ...]) -> tuple[_Network, ...]:
    # Keyed by the setting's value, so tests that override it see their own list.
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def _is_trusted(address: _Address, trusted: tuple[_Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def _counting_key(address: _Address) -> str:
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per ``period`` seconds for one identity within ``scope``."""

    scope: str
    limit: int
    period: int

    def _key(self, identity: str) -> str:
        # Hashed: keys stay short, and e-mail addresses stay out of the counters' table.
        digest = hashlib.sha256(identity.strip().casefold().encode()).hexdigest()[:32]
        return f"{self.scope}:{digest}"

    def exceeded(self, identity: str) -> bool:
        """True when ``identity`` already used up its hits for this period."""
        return rate_limits.current(self._key(identity)) >= self.limit

    def hit(self, identity: str) -> int:
        """Count one more hit for ``identity`` (the window starts at the first hit) and
        return the hits counted in this window, this one included."""
        return rate_limits.increment(self._key(identity), self.period)

    def take(self, identity: str) -> bool:
        """Count a hit if ``identity`` has one left: True if it had, False (and nothing
        counted) if not. Two simultaneous requests can never both take the last one."""
        return take_all([(self, identity)])

    @staticmethod
    def forget_scope(scope: str) -> None:
        """Forget every portal's counts for the limit named ``scope``."""
        rate_limits.forget_scope(scope)


def take_all(hits: list[tuple[RateLimit, str]]) -> bool:
    """Count one hit for each (limit, identity), all or none.

    Each hit is counted first, then compared with its limit; if any limit is exceeded, the
    transaction's savepoint is rolled back and nothing is counted. The rows stay locked
    until then, so a simultaneous request for the same sender waits and then sees the
    right count: a limit of five lets exactly five through, however many arrive at once.
    """
    with transaction.atomic():
        counts = [limit.hit(identity) for limit, identity in hits]
        if any(count > limit.limit for count, (limit, _who) in zip(counts, hits, strict=True)):
            transaction.set_rollback(True)
            return False
    if 1 in counts:  # a new window started: a good time to drop the ended ones
        rate_limits.forget_expired()
    return True


def started_stamp(form_name: str, schema_name: str | None = None) -> str:
    """A signed time stamp saying "form ``form_name`` was opened now at this portal"."""
    schema_name = schema_name or connection.schema_name
    return signing.TimestampSigner(salt=_STARTED_SALT).sign(f"{schema_name}/{form_name}")


# What a form's time stamp says in HTML kept for many visitors (a fragment of the page,
# ``with_fresh_stamp``): replaced with a fresh stamp each time the HTML is shown.
STAMP_PLACEHOLDER = "horodatage-a-remplacer"


class StartedStampInput(forms.HiddenInput):
    """A hidden input that always carries a fresh signed time stamp, for one form.

    Re-rendering a form after an error restarts the clock: a person takes more than a few
    seconds to correct it, a robot resending at once does not. With ``placeholder`` set,
    it carries ``STAMP_PLACEHOLDER`` instead, for HTML that ``with_fresh_stamp`` completes.
    """

    def __init__(self, form_name: str = "", attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.form_name = form_name
        self.placeholder = False

    def format_value(self, value: object) -> str:
        return STAMP_PLACEHOLDER if self.placeholder else started_stamp(self.form_name)


def with_fresh_stamp(html: str, form_name: str) -> SafeString:
    """``html`` (a form rendered with ``ProtectedFormMixin.stamp_placeholder``) with a
    time stamp of now for ``form_name``: the same HTML the form would render now."""
    stamp = escape(started_stamp(form_name))
    return SafeString(html.replace(f'value="{STAMP_PLACEHOLDER}"', f'value="{stamp}"'))


class HoneypotInput(forms.TextInput):
    """A text input people never see nor reach with the keyboard; robots fill it in."""

    template_name = "core/abuse/honeypot.html"


class ProtectedFormMixin:
    """Honeypot, minimum fill time and rate limits for a public form.

    Give the form ``request=`` when building it. Set ``rate_limits`` to pairs of
    (RateLimit, identity) where identity is ``"ip"`` or the name of a field whose cleaned
    value identifies the sender (an e-mail address, counted in its normalised spelling).
    A submission counts against the limits only once it is otherwise valid, so correcting
    a mistake costs nothing. ``form_name`` (the class's name unless set) is what the time
    stamp is bound to, with the portal.
    """

    rate_limits: list[tuple[RateLimit, str]] = []
    form_name = ""

    def __init__(self, *args: object, request: HttpRequest | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Laissez ce champ vide"),
            widget=HoneypotInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[STARTED_FIELD] = forms.CharField(
            required=False, widget=StartedStampInput(self.stamp_name())
        )

    def stamp_placeholder(self) -> None:
        """Render ``STAMP_PLACEHOLDER`` in place of the time stamp, for HTML kept for many
        visitors and completed by ``with_fresh_stamp`` at each showing."""
        self.fields[STARTED_FIELD].widget.placeholder = True

    @classmethod
    def stamp_name(cls) -> str:
        """The name this form's time stamp is signed for."""
        return cls.form_name or cls.__name__

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
        if not take_all([(limit, identity) for limit, identity in identities if identity]):
            raise forms.ValidationError(TOO_MANY, code="rate_limited")
        return cleaned

    def _check_fill_time(self, stamp: str) -> None:
        signer = signing.TimestampSigner(salt=_STARTED_SALT)
        try:
            opened = signer.unsign(stamp, max_age=MAX_FORM_AGE_SECONDS)
        except signing.SignatureExpired as error:
            raise forms.ValidationError(TOO_OLD, code="form_too_old") from error
        except signing.BadSignature as error:
            raise forms.ValidationError(REFUSED, code="no_stamp") from error
        if opened != f"{connection.schema_name}/{self.stamp_name()}":
            # Opened at another portal, or another form: not a person at this one.
            raise forms.ValidationError(ELSEWHERE, code="stamp_elsewhere")
        try:
            signer.unsign(stamp, max_age=self.min_fill_seconds)
        except signing.SignatureExpired:
            return  # old enough: a person had time to read and type
        raise forms.ValidationError(TOO_FAST, code="too_fast")

    def _identity(self, who: str, cleaned: dict) -> str:
        if who == "ip":
            return client_ip(self.request) if self.request else ""
        value = str(cleaned.get(who) or "")
        return normalised_email(value) if "@" in value else value

    @property
    def protection_fields(self) -> list[forms.BoundField]:
        """The honeypot and time stamp, for templates that render them apart."""
        return [self[HONEYPOT_FIELD], self[STARTED_FIELD]]
