"""Who is asked for a second factor at a portal, the sign-in waiting for it, and the
e-mail sent for a sign-in from an unknown browser (issue 20, §3).

The code is asked *at the password step*: a right password for someone who must give a
code does not sign them in. The session only holds a pending sign-in (the local user's id,
the backend, where to go next), for ``PENDING_SECONDS``; ``login()`` is called once the
code (or a recovery code) is right. Until then the person is anonymous to every view:
nothing of the admin, its API or the space opens, with no middleware to get right.

The devices themselves are the network account's (``tenants.second_factor``): one app for
every portal. Required of animators, federation staff and superusers (``Role.ANIMATOR``
and above, in the portal of the sign-in); a contributor may turn it on from the account
menu, and is then asked too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.mail import EmailMessage
from django.core.signing import BadSignature
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_tenants.utils import schema_context

from core.mail import tag_with_portal
from core.roles import ROLE_OF_GROUP, Role, role_of
from tenants.accounts import NetworkAccount, NetworkMembership, normal_email
from tenants.addresses import current_portal_base_url
from tenants.models import Neighbourhood
from tenants.second_factor import device_of

PENDING = "second_factor_pending"
# How long a right password waits for its code: long enough to open the app.
PENDING_SECONDS = 5 * 60
_HASH_SALT = "core.second_factor.pending"
KNOWN_BROWSER_COOKIE = "quartiers_navigateur"
_KNOWN_SALT = "core.second_factor.known_browser"
# A browser remembers this many accounts (a shared computer of a community centre).
KNOWN_ACCOUNTS = 10
KNOWN_BROWSER_AGE = 400 * 24 * 3600
SIGN_IN_SUBJECT = "Nouvelle connexion à votre compte"
TURNED_OFF_SUBJECT = "Double authentification désactivée sur votre compte"


def required(user: AbstractBaseUser) -> bool:
    """Whether ``user`` must have a second factor in the current portal: animators,
    federation staff and superusers."""
    return role_of(user) >= Role.ANIMATOR


def required_anywhere(account: NetworkAccount) -> bool:
    """Whether the person of ``account`` must have a second factor at any portal they hold
    a role in (animator or above there, or superuser): one query per portal, for the rare
    page that turns the factor off."""
    roles = [name for name, role in ROLE_OF_GROUP.items() if role >= Role.ANIMATOR]
    for membership in NetworkMembership.objects.filter(account=account).select_related("portal"):
        with schema_context(membership.portal.schema_name):
            users = get_user_model().objects.filter(pk=membership.user_id, is_active=True)
            if users.filter(Q(is_superuser=True) | Q(groups__name__in=roles)).exists():
                return True
    return False


def send_turned_off_mail(request: HttpRequest, account: NetworkAccount) -> None:
    """Tell the person their second factor was turned off (if it was not them, their
    password is known: the reset link and the federation)."""
    _mail_the_person(
        request, account, lambda context: TURNED_OFF_SUBJECT, "second_factor_turned_off.txt"
    )


def open_account(user: AbstractBaseUser) -> NetworkAccount | None:
    """The open network account of ``user``'s e-mail, proven theirs or not."""
    email = normal_email(getattr(user, "email", ""))
    return NetworkAccount.objects.filter(email=email, is_active=True).first() if email else None


def proven_account(user: AbstractBaseUser) -> NetworkAccount | None:
    """The open network account of ``user``'s e-mail, if the person proved it theirs: the
    portal's copy of the password is the network's (a right network password makes it so:
    ``tenants.network_login``). An e-mail just typed into a local account is unproven: no
    second factor is set up on its network account by whoever typed it."""
    account = open_account(user)
    if account is None or not constant_time_compare(account.password, user.password):
        return None
    return account


def asked(user: AbstractBaseUser, account: NetworkAccount | None) -> bool:
    """Whether signing ``user`` in waits for a code: required of them, or turned on."""
    return required(user) or device_of(account) is not None


# --- The pending sign-in, in the (still anonymous) session


@dataclass
class Pending:
    """A right password waiting for its code."""

    user: AbstractBaseUser
    backend: str
    account: NetworkAccount | None
    next_url: str
    remember: bool
    # The account's e-mail was typed into the portal's account, not proven its owner's.
    unproven: bool = False

    @property
    def unproven_sign_in(self) -> str:
        """What this sign-in's wrong codes count against when its address is unproven
        (``tenants.second_factor.SecondFactorFailure``); "" when they count against the
        network account."""
        if not self.unproven:
            return ""
        return f"{connection.schema_name}:{self.user.pk}"


def _password_hash(user: AbstractBaseUser) -> str:
    return salted_hmac(_HASH_SALT, user.password).hexdigest()


def hold(
    request: HttpRequest,
    user: AbstractBaseUser,
    account: NetworkAccount | None,
    next_url: str,
    remember: bool = False,
    unproven: bool = False,
) -> None:
    """Keep ``user``'s right password waiting for a code (nothing is signed in);
    ``unproven`` when ``account`` is only the e-mail typed into ``user``."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "account": account.pk if account is not None else None,
        "at": time.time(),
        "next": next_url,
        "remember": remember,
        "unproven": unproven,
        "hash": _password_hash(user),
    }


def pending(request: HttpRequest) -> Pending | None:
    """The sign-in waiting in this session, or None (none, expired, the password changed
    since, the account closed or made inactive): an expired one is forgotten."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict):
        return None
    at = data.get("at")
    if not isinstance(at, int | float) or time.time() - at > PENDING_SECONDS:
        drop(request)
        return None
    if data.get("backend") not in settings.AUTHENTICATION_BACKENDS:
        drop(request)
        return None
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("hash")), _password_hash(user)):
        drop(request)
        return None
    account = None
    if data.get("account") is not None:
        account = NetworkAccount.objects.filter(pk=data["account"], is_active=True).first()
        if account is None:
            drop(request)
            return None
    return Pending(
        user,
        data["backend"],
        account,
        str(data.get("next") or ""),
        bool(data.get("remember")),
        unproven=data.get("unproven") is True,
    )


def drop(request: HttpRequest) -> None:
    """Forget the pending sign-in."""
    request.session.pop(PENDING, None)


def complete(request: HttpRequest, waiting: Pending) -> None:
    """Sign the person in, the code given: Django's ``login()`` (a new session key, axes'
    reset, the support visit's mark), then Wagtail's "remember me"."""
    drop(request)
    login(request, waiting.user, backend=waiting.backend)
    request.session.set_expiry(settings.SESSION_COOKIE_AGE if waiting.remember else 0)


# --- Unknown browsers


def _cookie_name() -> str:
    prefix = "__Host-" if settings.SESSION_COOKIE_NAME.startswith("__Host-") else ""
    return prefix + KNOWN_BROWSER_COOKIE


def _known_accounts(request: HttpRequest) -> list[int]:
    try:
        # The signature carries its date: a copy kept past the cookie's life vouches for
        # nothing.
        raw = request.get_signed_cookie(
            _cookie_name(), default="[]", salt=_KNOWN_SALT, max_age=KNOWN_BROWSER_AGE
        )
        known = json.loads(raw)
    except (BadSignature, ValueError):
        return []
    return [pk for pk in known if isinstance(pk, int)] if isinstance(known, list) else []


def known_browser_cookie(account_ids: list[int]) -> tuple[str, str]:
    """The name and signed value of the cookie of a browser that signed ``account_ids`` in
    before (what ``note_browser`` sets)."""
    signer = signing.get_cookie_signer(salt=_cookie_name() + _KNOWN_SALT)
    return _cookie_name(), signer.sign(json.dumps(account_ids))


def note_browser(
    request: HttpRequest, response: HttpResponse, account: NetworkAccount | None
) -> HttpResponse:
    """After a sign-in: if this browser never signed ``account`` in at this host (no
    host-only signed cookie naming it, or one past its life), e-mail the person; then
    remember the browser, its cookie renewed so that a browser in use stays known."""
    if account is None:
        return response
    known = _known_accounts(request)
    if account.pk not in known:
        send_unknown_browser_mail(request, account)
    others = [pk for pk in known if pk != account.pk]
    known = [*others[-(KNOWN_ACCOUNTS - 1) :], account.pk]
    response.set_signed_cookie(
        _cookie_name(),
        json.dumps(known),
        salt=_KNOWN_SALT,
        max_age=KNOWN_BROWSER_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def browser_family(user_agent: str) -> str:
    """A rough name of the browser and system, for the e-mail (never the whole string)."""
    agent = user_agent or ""
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if token in agent
        ),
        "navigateur inconnu",
    )
    system = next(
        (
            name
            for token, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS", "macOS"),
                ("Linux", "Linux"),
            )
            if token in agent
        ),
        "",
    )
    return f"{browser} ({system})" if system else browser


def send_unknown_browser_mail(request: HttpRequest, account: NetworkAccount) -> None:
    """The French e-mail of a sign-in from an unknown browser, through the mail queue:
    when, which portal, which browser, and what to do if it was not the person."""
    _mail_the_person(
        request,
        account,
        lambda context: f"{SIGN_IN_SUBJECT} sur {context['portal_name']}",
        "unknown_browser.txt",
        browser=browser_family(request.headers.get("User-Agent", "")),
    )


def _mail_the_person(
    request: HttpRequest,
    account: NetworkAccount,
    subject: Callable[[dict], str],
    template: str,
    **extra: object,
) -> None:
    """An e-mail about ``account``'s security to its owner, through the mail queue: which
    portal, when, and the reset link (``core/emails/<template>``)."""
    portal = getattr(request, "tenant", None)
    base = current_portal_base_url() or f"{request.scheme}://{request.get_host()}"
    context = {
        "portal_name": portal.name if isinstance(portal, Neighbourhood) else base,
        "portal_url": base,
        "when": timezone.localtime(),
        "reset_url": f"{base}/admin/password_reset/",
        "network_name": settings.NETWORK_NAME,
        **extra,
    }
    message = EmailMessage(
        subject=subject(context),
        body=render_to_string(f"core/emails/{template}", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[account.email],
    )
    tag_with_portal(message)
    message.send()
