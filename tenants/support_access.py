"""Support across portals: federation staff open a portal's admin as themselves, for a
limited time, with the "Support réseau" role (docs/federation.md, "Support réseau").

- ``start_support`` (the federation's network admin only) gives the staff member a local
  account at the portal (theirs if the portal already knows their e-mail: their network
  password opens it, see ``tenants.network_login``), puts it in the portal's "Support
  réseau" group, records the visit and the network action, and returns a single-use link.
- ``enter_with_link`` takes that link at the portal's own host, once, within
  ``LINK_SECONDS``: the staff member's session is the portal's (cookies stay host-only).
- ``end_support`` (staff from the network admin, the portal's animators from the banner
  or the history screen, or the clock) takes the group back and records who ended it;
  ``SupportSessionMiddleware`` checks every signed-in request at a portal, so a visit ended
  or past its time logs its session out on its next request, whatever cron runs or not.

The "Support réseau" group holds the portal's animators' powers except the user and group
admin (``auth``): what the visitor would hand out would outlast the visit. Nobody grants it
in a portal's user admin, superusers included (``core.roles``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from tenants import journal
from tenants.accounts import NetworkAccount, normal_email
from tenants.addresses import portal_base_url
from tenants.group_names import ANIMATORS, FEDERATION_STAFF, SUPPORT
from tenants.models import Neighbourhood, NetworkAction
from tenants.network_login import account_for, current_portal
from tenants.support import SupportAccess

DEFAULT_HOURS = 2
MAX_HOURS = 8
# The link from the federation's admin to the portal: long enough for a redirect.
LINK_SECONDS = 120
# The session key that marks a session opened during a visit (ends with it).
SUPPORT_SESSION = "quartiers_support_access"
# Model permissions the visitor never gets: the user and group admin.
WITHHELD_APPS = {"auth"}
ENDED_BY_CLOCK = "expiration"
# Who ends the visits of someone who leaves the federation's staff.
ENDED_BY_LEAVING = "la fédération (départ de l'équipe)"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def support_group() -> Group:
    """The current portal's "Support réseau" group, given the animators' powers again (a
    feature may have added some since) minus the user and group admin."""
    group, _created = Group.objects.get_or_create(name=SUPPORT)
    animators = Group.objects.filter(name=ANIMATORS).first()
    if animators is None:
        return group
    group.permissions.set(animators.permissions.exclude(content_type__app_label__in=WITHHELD_APPS))
    GroupPagePermission.objects.filter(group=group).delete()
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page_id=grant.page_id, permission_id=grant.permission_id)
        for grant in GroupPagePermission.objects.filter(group=animators)
    )
    GroupCollectionPermission.objects.filter(group=group).delete()
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(
            group=group, collection_id=grant.collection_id, permission_id=grant.permission_id
        )
        for grant in GroupCollectionPermission.objects.filter(group=animators)
    )
    return group


def _local_account(portal: Neighbourhood, email: str) -> AbstractBaseUser:
    """The current portal's account of ``email``, made if the portal has none (its password
    is then the network's: ``tenants.network_login`` copies it on creation). An account
    closed at the end of a former visit, holding nothing, opens again."""
    users = get_user_model()
    user = users.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None:
        if (
            not user.is_active
            and not user.is_superuser
            and not user.groups.exists()
            and SupportAccess.objects.filter(portal=portal, user_id=user.pk).exists()
        ):
            user.is_active = True
            user.save(update_fields=["is_active"])
        if not user.is_active:
            raise ValidationError(
                _(
                    "Le compte de cette adresse est désactivé dans ce portail : ses animateurs "
                    "seuls peuvent le rouvrir."
                )
            )
        return user
    username = email
    if users.objects.filter(username=username).exists():
        username = f"support-{secrets.token_hex(4)}"
    return users.objects.create_user(username=username, email=email)


def start_support(
    portal: Neighbourhood, staff: AbstractBaseUser, hours: int, reason: str
) -> tuple[SupportAccess, str]:
    """Open ``portal``'s admin to ``staff`` (a federation staff member, checked by the
    caller) for ``hours``; returns the visit and its single-use link."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if portal.kind != Neighbourhood.Kind.NEIGHBOURHOOD:
        errors["__all__"] = [_("Le support s'ouvre dans les portails de quartier seulement.")]
    elif portal.status != Neighbourhood.Status.ACTIVE:
        errors["__all__"] = [_("Ce portail n'est pas actif : son admin est fermé.")]
    if not 1 <= hours <= MAX_HOURS:
        errors["hours"] = [_("Entre 1 et %(max)d heures.") % {"max": MAX_HOURS}]
    if not reason:
        errors["reason"] = [_("Dites aux animateurs pourquoi vous venez.")]
    account = proven_network_account(staff)
    if account is None:
        errors.setdefault("__all__", []).append(
            _(
                "Votre compte Quartiers n'est pas ouvert, ou l'adresse de votre compte n'est "
                "pas encore confirmée (un lien de réinitialisation du mot de passe la "
                "confirme) : impossible d'entrer ailleurs."
            )
        )
    if errors:
        raise ValidationError(errors)
    end_due(portal)
    now = timezone.now()
    with transaction.atomic():
        with schema_context(portal.schema_name):
            user = _local_account(portal, account.email)
            if SupportAccess.objects.filter(portal=portal, user_id=user.pk).open(now).exists():
                raise ValidationError(
                    {"__all__": [_("Vous avez déjà un accès de support ouvert à ce portail.")]}
                )
            user.groups.add(support_group())
        access = SupportAccess.objects.create(
            portal=portal,
            account=account,
            staff_email=account.email,
            user_id=user.pk,
            reason=reason,
            started_at=now,
            ends_at=now + timedelta(hours=hours),
        )
        token = issue_link(access)
        journal.record(
            staff,
            NetworkAction.Action.SUPPORT_START,
            portal,
            until=access.ends_at.isoformat(),
            reason=reason,
        )
    return access, token


def proven_network_account(staff: AbstractBaseUser) -> NetworkAccount | None:
    """The network account of ``staff`` (a local account of the federation), if their
    e-mail is proven theirs: its local password is the network's copy. An address typed
    on one's account page proves nothing (``tenants.network_login`` keeps the former
    password as the portal's own until a reset link): taking its network account would
    let a staff member enter a portal as someone else, with all their powers there."""
    with schema_context(get_public_schema_name()):
        account = account_for(getattr(staff, "email", "") or "")
    if account is None or not account.is_active:
        return None
    if not (is_password_usable(account.password) and staff.password == account.password):
        return None
    return account


def issue_link(access: SupportAccess) -> str:
    """A new single-use link into the visit's portal (the former one dies)."""
    token = secrets.token_urlsafe(32)
    access.link_digest = _digest(token)
    access.link_expires_at = timezone.now() + timedelta(seconds=LINK_SECONDS)
    access.save(update_fields=["link_digest", "link_expires_at"])
    return token


def link_url(access: SupportAccess, token: str) -> str:
    """Where the link leads: the portal's own host, which then keeps the session."""
    return f"{portal_base_url(access.portal)}/admin/support/entrer/{token}/"


def enter_with_link(portal: Neighbourhood, token: str) -> AbstractBaseUser | None:
    """The visitor's local account at ``portal`` if ``token`` is a live link of an open
    visit there, used now for the first and last time; None otherwise."""
    if not token or len(token) > 100:
        return None
    now = timezone.now()
    digest = _digest(token)
    access = (
        SupportAccess.objects.open(now)
        .filter(portal=portal, link_digest=digest, link_expires_at__gt=now)
        .first()
    )
    if access is None:
        return None
    # One UPDATE decides between two uses of the same link: only one clears it.
    used = SupportAccess.objects.filter(pk=access.pk, link_digest=digest).update(
        link_digest="", link_expires_at=None
    )
    if not used:
        return None
    user = get_user_model().objects.filter(pk=access.user_id, is_active=True).first()
    if user is None or not user.groups.filter(name=SUPPORT).exists():
        return None
    return user


def end_support(access: SupportAccess, by: object | None) -> bool:
    """End the visit (``by``: the person, or None for the clock); False if it was over."""
    now = timezone.now()
    ended = SupportAccess.objects.filter(pk=access.pk, ended_at__isnull=True).update(
        ended_at=now,
        ended_by=ENDED_BY_CLOCK if by is None else journal.who_name(by),
        link_digest="",
        link_expires_at=None,
    )
    if not ended:
        return False
    access.refresh_from_db()
    with schema_context(access.portal.schema_name):
        user = get_user_model().objects.filter(pk=access.user_id).first()
        group = Group.objects.filter(name=SUPPORT).first()
        if user is not None and group is not None:
            user.groups.remove(group)
        if user is not None and not user.is_superuser and not user.groups.exists():
            # Nothing left but a sign-in: closed, or the network password would keep
            # opening the portal's pages reserved to signed-in people after the visit.
            user.is_active = False
            user.save(update_fields=["is_active"])
    journal.record(
        by if by is not None else ENDED_BY_CLOCK,
        NetworkAction.Action.SUPPORT_END,
        access.portal,
        staff=access.staff_email,
        expired=by is None,
    )
    return True


def end_due(portal: Neighbourhood | None = None) -> int:
    """End every visit past its time (of ``portal`` only, if given); how many ended."""
    due = SupportAccess.objects.due().select_related("portal")
    if portal is not None:
        due = due.filter(portal=portal)
    return sum(end_support(access, None) for access in due)


def history(portal: Neighbourhood, limit: int = 100) -> list[SupportAccess]:
    """The portal's visits, newest first."""
    return list(SupportAccess.objects.filter(portal=portal)[:limit])


def can_end_at_portal(user: AbstractBaseUser, access: SupportAccess) -> bool:
    """At the portal: its animators and superusers end any visit, the visitor their own."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.pk == access.user_id:
        return True
    return user.is_superuser or user.groups.filter(name=ANIMATORS).exists()


class SupportSessionMiddleware:
    """Ends a visit's session at the portal once the visit is ended or past its time.

    Only sessions opened during a visit are marked (the link, or a sign-in while a visit
    is open: ``mark_session_at_login``), so only their requests cost a query (one, by
    primary key, in ``public``); the clock is checked here, on the request itself, not by
    a cron that may not run. Sits after the authentication and messages middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.check(request)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        """Log the session out if the visit it was opened for is over."""
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return
        marked = request.session.get(SUPPORT_SESSION)
        if not marked:
            self.check_unmarked(request)
            return
        access = SupportAccess.objects.filter(pk=marked).select_related("portal").first()
        if access is not None and access.is_open():
            return
        if access is not None and access.ended_at is None:
            end_support(access, None)
        logout(request)
        messages.info(request, _("L'accès de support à ce portail a pris fin."))

    def check_unmarked(self, request: HttpRequest) -> None:
        """A session signed in before its account's visit began (a local account the
        portal already had): marked now, so that it ends with the visit; a visit past its
        time ends here, before the request uses the group's powers (the banner, which
        also ends it, is drawn after the view has checked them)."""
        tenant = getattr(request, "tenant", None)
        user_id = str(request.session.get(SESSION_KEY, ""))
        if not (
            isinstance(tenant, Neighbourhood)
            and tenant.kind == Neighbourhood.Kind.NEIGHBOURHOOD
            and user_id.isascii()
            and user_id.isdigit()
        ):
            return
        access = (
            SupportAccess.objects.filter(
                portal_id=tenant.pk, user_id=int(user_id), ended_at__isnull=True
            )
            .select_related("portal")
            .first()
        )
        if access is None:
            return
        if access.is_open():
            request.session[SUPPORT_SESSION] = access.pk
            return
        end_support(access, None)
        logout(request)
        messages.info(request, _("L'accès de support à ce portail a pris fin."))


def mark_session_at_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """A sign-in at a portal during one's visit there: the session ends with the visit.
    A visit past its time ends now, before the session's first page."""
    tenant = getattr(request, "tenant", None)
    if request is None or not isinstance(tenant, Neighbourhood):
        return
    access = (
        SupportAccess.objects.filter(portal_id=tenant.pk, user_id=user.pk, ended_at__isnull=True)
        .select_related("portal")
        .first()
    )
    if access is None:
        return
    if access.is_open():
        request.session[SUPPORT_SESSION] = access.pk
    else:
        end_support(access, None)


def current_visits(portal: Neighbourhood) -> list[SupportAccess]:
    """The visits under way at ``portal``, oldest first; those past their time are ended
    on the way (one query when none is: the banner asks on every admin page, so a visit
    whose visitor signed in before it began still ends on time)."""
    now = timezone.now()
    unended = list(
        SupportAccess.objects.filter(portal=portal, ended_at__isnull=True)
        .select_related("portal")
        .order_by("started_at")
    )
    for access in unended:
        if not access.is_open(now):
            end_support(access, None)
    return [access for access in unended if access.is_open(now)]


def end_visits_of_former_staff(user: AbstractBaseUser, gone: bool = False) -> int:
    """At the federation: once ``user`` no longer runs the network (out of its staff
    group, deactivated, deleted), their visits under way end, whatever portal."""
    portal = current_portal()
    if portal is None or portal.kind != Neighbourhood.Kind.FEDERATION:
        return 0
    if (
        not gone
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=FEDERATION_STAFF).exists())
    ):
        return 0
    email = normal_email(getattr(user, "email", "") or "")
    if not email:
        return 0
    unended = SupportAccess.objects.filter(staff_email=email, ended_at__isnull=True)
    return sum(end_support(access, ENDED_BY_LEAVING) for access in unended.select_related("portal"))


def _staff_groups_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"post_remove", "post_clear"}:
        return
    users = get_user_model()
    changed = users._default_manager.filter(pk__in=pk_set or []) if reverse else [instance]
    for user in changed:
        end_visits_of_former_staff(user)


def _staff_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    end_visits_of_former_staff(instance)


def _staff_deleted(sender, instance, **kwargs) -> None:
    end_visits_of_former_staff(instance, gone=True)


def connect_signals() -> None:
    """Mark the sessions opened during a visit, and end those of people who leave the
    federation's staff (called from ``TenantsConfig.ready``)."""
    user_logged_in.connect(mark_session_at_login, dispatch_uid="support_session")
    users = get_user_model()
    m2m_changed.connect(
        _staff_groups_changed, sender=users.groups.through, dispatch_uid="support_staff_groups"
    )
    post_save.connect(_staff_saved, sender=users, dispatch_uid="support_staff_saved")
    post_delete.connect(_staff_deleted, sender=users, dispatch_uid="support_staff_deleted")
