"""Who may enter the animators' space, and the network sign-in that opens it.

The space lives at the federation's portal, where an animator of a neighbourhood has no
local account, and must not get one (a federation role would keep their network account
open after their last real role went: docs/accounts.md). So the space has its own
sign-in, which is not a Django login: it checks the ``NetworkAccount``'s password and
writes the account's id in the federation host's session (host-only cookie, like every
session of the network). Nothing here makes a ``User``.

Who may enter, checked again on every request (a person removed from their portal loses
the space at their next click):

- a network account that is open, whose session still carries the hash of its current
  password (a new password ends the space's sessions, as Django does for its own), and
  that holds a role of animator or above at a portal that is open;
- or someone signed in to the federation's own admin as federation staff.

The space closes after the admin's idle delay without a visit, as the admin does.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import is_password_usable, make_password
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django_tenants.utils import schema_context

from core.roles import Role, role_of
from tenants.accounts import NetworkAccount, NetworkMembership, normal_email
from tenants.group_names import ANIMATORS, FEDERATION_STAFF
from tenants.models import Neighbourhood

SESSION_ACCOUNT = "network_space_account"
SESSION_HASH = "network_space_hash"
SESSION_SEEN = "network_space_seen"
SESSION_PENDING = "network_space_pending"
# How long a right password waits for its code (as the admin's: core.second_factor).
PENDING_SECONDS = 5 * 60
# How stale the recorded time of the last visit may get (as core.idle_sessions does).
WRITE_EVERY_SECONDS = 60
_HASH_SALT = "network_space.access.session"
# The local groups that open the space (with superusers): animators and above.
SPACE_GROUPS = (ANIMATORS, FEDERATION_STAFF)


@dataclass
class SpaceVisitor:
    """Whoever is in the space: their network account (None for federation staff signed
    in to the admin without one) and the open portals where they are animator or above."""

    account: NetworkAccount | None
    portals: list[Neighbourhood] = field(default_factory=list)


def animators_among(portal: Neighbourhood, user_ids: Iterable[int]) -> dict[int, str]:
    """Of ``portal``'s local accounts ``user_ids``, those that are active and animator or
    above there (superusers too), with their name as the portal knows it. One query in
    the portal's schema."""
    with schema_context(portal.schema_name):
        users = get_user_model().objects.filter(pk__in=list(user_ids), is_active=True)
        users = users.filter(Q(is_superuser=True) | Q(groups__name__in=SPACE_GROUPS)).distinct()
        return {
            row["pk"]: f"{row['first_name']} {row['last_name']}".strip()
            for row in users.values("pk", "first_name", "last_name")
        }


def space_portals(account: NetworkAccount) -> list[Neighbourhood]:
    """The open portals where ``account`` is animator or above (empty: no entry)."""
    if not account.is_active:
        return []
    memberships = NetworkMembership.objects.filter(
        account=account, portal__status=Neighbourhood.Status.ACTIVE
    ).select_related("portal")
    return [
        membership.portal
        for membership in memberships
        if animators_among(membership.portal, [membership.user_id])
    ]


def _session_hash(account: NetworkAccount) -> str:
    return salted_hmac(_HASH_SALT, account.password).hexdigest()


def space_visitor(request: HttpRequest) -> SpaceVisitor | None:
    """Who is in the space on this request, or None: checked once per request, from the
    registry and the portals' roles as they stand now."""
    if not hasattr(request, "_space_visitor"):
        request._space_visitor = _visitor(request)
    return request._space_visitor


def _visitor(request: HttpRequest) -> SpaceVisitor | None:
    account_id = request.session.get(SESSION_ACCOUNT)
    if isinstance(account_id, int):
        account = NetworkAccount.objects.filter(pk=account_id, is_active=True).first()
        stored = request.session.get(SESSION_HASH, "")
        if (
            account is not None
            and constant_time_compare(stored, _session_hash(account))
            and _still_active(request)
        ):
            portals = space_portals(account)
            if portals:
                return SpaceVisitor(account, portals)
        sign_out(request)
    user = getattr(request, "user", None)
    if user is not None and role_of(user) >= Role.FEDERATION:
        return SpaceVisitor(_proven_account(user), [request.tenant])
    return None


def _proven_account(user) -> NetworkAccount | None:
    """The network account of a federation staff member signed in to the admin, if they
    proved it theirs: their local password is the network's (the copy every portal keeps).
    An e-mail just typed into their own account is unproven (its owner's password stays
    the network's, theirs stays this portal's own): it must not hand them its card."""
    account = NetworkAccount.objects.filter(email=normal_email(user.email), is_active=True).first()
    if account is None or not is_password_usable(account.password):
        return None
    return account if constant_time_compare(account.password, user.password) else None


def _still_active(request: HttpRequest) -> bool:
    """Whether the space's visitor came by within the admin's idle delay (a tab left open
    on a shared computer closes as the admin's does: ``core.idle_sessions``), noting this
    visit at most once a minute."""
    now = time.time()
    seen = request.session.get(SESSION_SEEN)
    if not isinstance(seen, int | float) or now - seen > settings.ADMIN_IDLE_TIMEOUT_MINUTES * 60:
        return False
    if now - seen >= WRITE_EVERY_SECONDS:
        request.session[SESSION_SEEN] = now
    return True


def authenticate(request: HttpRequest, email: str, password: str) -> NetworkAccount | None:
    """The open network account of ``email`` if ``password`` is its own, counting a
    failure in django-axes as the admin's login does (per address and e-mail, in the
    federation's schema). Whether it may enter the space is ``space_portals``' answer."""
    email = normal_email(email)
    account = NetworkAccount.objects.filter(email=email).first() if email else None
    if account is None or not account.is_active:
        # The same time taken whether the account exists, is closed or is open.
        make_password(password)
    elif account.check_password(password):
        AxesProxyHandler.reset_attempts(ip_address=_client_ip(request), username=email)
        return account
    user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
    return None


def _client_ip(request: HttpRequest) -> str:
    AxesProxyHandler.update_request(request)
    return request.axes_ip_address


def locked_out(request: HttpRequest, email: str) -> bool:
    """Whether django-axes holds this address and e-mail locked out (too many failures)."""
    return AxesProxyHandler.is_locked(request, credentials={"username": normal_email(email)})


def second_factor(request: HttpRequest, account: NetworkAccount) -> HttpResponse | None:
    """The code step after a right password (issue 20, §3): everyone who may enter the
    space is animator or above somewhere, so a code is always asked. The password waits
    in the session (``PENDING_SECONDS``), nothing is opened; the code page
    (``/reseau/espace/connexion/code/``) signs in with the right code, or sets up the
    person's app first if they have none. Returns the redirect to it."""
    request.session.cycle_key()
    request.session[SESSION_PENDING] = {
        "account": account.pk,
        "at": time.time(),
        "hash": _session_hash(account),
    }
    return HttpResponseRedirect(reverse("network-space-code"))


def pending_account(request: HttpRequest) -> NetworkAccount | None:
    """The account whose right password waits for its code in this session, or None (none,
    expired, the password changed since, the account closed): forgotten when stale."""
    data = request.session.get(SESSION_PENDING)
    if not isinstance(data, dict):
        return None
    account = NetworkAccount.objects.filter(pk=data.get("account"), is_active=True).first()
    at = data.get("at")
    if (
        account is None
        or not isinstance(at, int | float)
        or time.time() - at > PENDING_SECONDS
        or not constant_time_compare(str(data.get("hash")), _session_hash(account))
    ):
        request.session.pop(SESSION_PENDING, None)
        return None
    return account


def sign_in(request: HttpRequest, account: NetworkAccount) -> None:
    """Open the space for ``account`` in this host's session (a new session key: whoever
    planted the old one learns nothing), once its code is given."""
    request.session.pop(SESSION_PENDING, None)
    request.session.cycle_key()
    request.session[SESSION_ACCOUNT] = account.pk
    request.session[SESSION_HASH] = _session_hash(account)
    request.session[SESSION_SEEN] = time.time()
    request._space_visitor = SpaceVisitor(account, space_portals(account))


def sign_out(request: HttpRequest) -> None:
    """Close the space in this session (an admin login in the same session stays)."""
    if SESSION_ACCOUNT in request.session or SESSION_HASH in request.session:
        request.session.pop(SESSION_ACCOUNT, None)
        request.session.pop(SESSION_HASH, None)
        request.session.pop(SESSION_SEEN, None)
        request.session.cycle_key()
    request._space_visitor = None
