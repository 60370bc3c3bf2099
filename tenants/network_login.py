"""Signing in to a portal with the network's password; keeping accounts and roles joined.

Every portal keeps its own users (see ``tenants.accounts``); this module joins them to the
network's accounts by e-mail:

- ``NetworkAccountBackend`` checks the password a portal's login form receives against
  the network account of the local user's e-mail, never against another portal's users:
  the local user must exist in the portal the request is for, so a role at A opens
  nothing at B;
- a password chosen at a portal (the reset link, the account's "change password") becomes
  the network's and is copied to every portal's local account of that person, which also
  ends their sessions there (Django's session hash is made from that copy);
- a local account that holds a role is recorded as a membership; when the last one goes,
  the network account is closed and no portal lets the person in.

The network's tables are in ``public`` only (``tenants`` is a shared app, never a tenant
one), so a portal's connection, whose search_path ends in ``public``, reads them there and
nowhere else: no switch of schema on each login.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpRequest
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.accounts import NetworkAccount, NetworkMembership, normal_email
from tenants.models import Neighbourhood

# Saves that touch neither the password, the e-mail nor the roles (a login's last_login).
QUIET_FIELDS = {"last_login"}


def current_portal() -> Neighbourhood | None:
    """The portal the connection is on (the middleware and ``tenant_context`` set it), or
    None on the public or template schema: there, accounts belong to no portal."""
    tenant = getattr(connection, "tenant", None)
    if (
        isinstance(tenant, Neighbourhood)
        and tenant.pk
        and tenant.schema_name == (connection.schema_name)
    ):
        return tenant
    return (
        Neighbourhood.objects.filter(schema_name=connection.schema_name).first()
        if connection.schema_name
        else None
    )


def account_for(email: str) -> NetworkAccount | None:
    """The network account of ``email`` (None for an empty e-mail: it links nobody)."""
    email = normal_email(email)
    if not email:
        return None
    return NetworkAccount.objects.filter(email=email).first()


def holds_a_role(user: AbstractBaseUser) -> bool:
    """Whether ``user`` acts in the current portal: a superuser, or in at least one group."""
    return user.is_active and (user.is_superuser or user.groups.exists())


class NetworkAccountBackend(ModelBackend):
    """Django's model backend, the password being the network account's.

    A local account with no e-mail, or whose e-mail has no network account yet, keeps
    its own password (accounts made before the link, until ``link_network_accounts``).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        users = get_user_model()
        if username is None:
            username = kwargs.get(users.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = users._default_manager.get_by_natural_key(username)
        except users.DoesNotExist:
            # Hash anyway: the time taken says nothing of whether the account exists.
            users().set_password(password)
            return None
        if not self.user_can_authenticate(user):
            return None
        account = account_for(user.email)
        if account is None:
            return user if user.check_password(password) else None
        if not account.is_active:
            return None
        portal = current_portal()
        if account.check_password(password):
            _mirror(user, account, portal)
            return user
        if portal is not None and _former_password_matches(account, portal, user, password):
            return user
        return None


def _mirror(user: AbstractBaseUser, account: NetworkAccount, portal: Neighbourhood | None) -> None:
    """Bring the portal's copy of the password up to the network's, and forget the
    portal's former password: the person signed in with the network's."""
    if user.password != account.password:
        user.password = account.password
        type(user)._default_manager.filter(pk=user.pk).update(password=account.password)
    if portal is not None:
        NetworkMembership.objects.filter(portal=portal, user_id=user.pk).exclude(
            former_password=""
        ).update(former_password="")


def _former_password_matches(
    account: NetworkAccount, portal: Neighbourhood, user: AbstractBaseUser, password: str
) -> bool:
    former = (
        NetworkMembership.objects.filter(account=account, portal=portal, user_id=user.pk)
        .values_list("former_password", flat=True)
        .first()
    )
    return bool(former) and check_password(password, former)


def network_password_hash(user: AbstractBaseUser) -> str:
    """The network's password hash for ``user``'s e-mail (empty without an account): a
    portal's password links (``tenants.portal_secrets``) die when it changes anywhere."""
    account = account_for(getattr(user, "email", ""))
    return account.password if account is not None else ""


def set_network_password(user: AbstractBaseUser, password_hash: str) -> None:
    """Make ``password_hash`` the network password of ``user``'s e-mail, and copy it to
    the person's every portal (their sessions there end: Django checks that copy)."""
    email = normal_email(user.email)
    if not email:
        return
    account, _created = NetworkAccount.objects.get_or_create(
        email=email, defaults={"password": password_hash}
    )
    account.password = password_hash
    account.password_changed_at = timezone.now()
    account.save(update_fields=["password", "password_changed_at"])
    memberships = list(account.memberships.select_related("portal"))
    NetworkMembership.objects.filter(account=account).update(former_password="")
    here = connection.schema_name
    users = get_user_model()
    for membership in memberships:
        if membership.portal.schema_name == here and membership.user_id == user.pk:
            continue
        with schema_context(membership.portal.schema_name):
            users._default_manager.filter(pk=membership.user_id).update(password=password_hash)


def sync_membership(user: AbstractBaseUser) -> None:
    """Record whether ``user`` (a local account of the current portal) holds a role here;
    open the network account when it does, close it when no portal's role is left."""
    portal = current_portal()
    if portal is None or user.pk is None:
        return
    email = normal_email(user.email)
    stale = NetworkMembership.objects.filter(portal=portal, user_id=user.pk)
    if email and holds_a_role(user):
        # A new network account takes the local password, except for an address someone
        # just typed into an existing account: unproven, it gets none until a reset link.
        unproven = getattr(user, "_email_changed", False)
        account, _created = NetworkAccount.objects.get_or_create(
            email=email, defaults={"password": make_password(None) if unproven else user.password}
        )
        if not account.is_active:
            NetworkAccount.objects.filter(pk=account.pk).update(is_active=True)
        # An account given another e-mail leaves its former network account (closed if
        # it was that person's last role).
        stale.exclude(account=account).delete()
        NetworkMembership.objects.get_or_create(portal=portal, user_id=user.pk, account=account)
        return
    stale.delete()


def close_accounts_without_a_role(sender, instance: NetworkMembership, **kwargs) -> None:
    """A membership gone (a role removed, an account deleted, a group or a whole portal
    deleted: whatever path deletes it) closes its network account if it was the last."""
    if not NetworkMembership.objects.filter(account_id=instance.account_id).exists():
        NetworkAccount.objects.filter(pk=instance.account_id).update(is_active=False)


def resync_accounts(users: list[AbstractBaseUser]) -> None:
    """Bring the memberships of ``users`` (local accounts of the current portal) up to
    date after a change made without the model's signals (a bulk update)."""
    model = get_user_model()
    for user in model._default_manager.filter(pk__in=[user.pk for user in users]):
        sync_membership(user)


# --- Signals: every path that changes a password, an e-mail or a role goes through them
# (Wagtail's reset and account screens, the user admin, invitations, commands), which is
# why they are signals and not calls from each screen.


def _before_user_save(sender, instance: AbstractBaseUser, update_fields=None, **kwargs) -> None:
    instance._network_password = None
    instance._former_password = None
    instance._email_changed = False
    if update_fields is not None and set(update_fields) <= QUIET_FIELDS:
        return
    before = (
        sender._default_manager.filter(pk=instance.pk).values("password", "email").first()
        if instance.pk
        else None
    )
    account = account_for(instance.email)
    if before is not None and normal_email(before["email"]) == normal_email(instance.email):
        if before["password"] == instance.password or not is_password_usable(instance.password):
            return
        if account is None or (
            is_password_usable(before["password"]) and before["password"] == account.password
        ):
            # The person knew the network's password: the account page checks the old one
            # against this copy of it (or no network account exists for the e-mail yet).
            instance._network_password = instance.password
        else:
            # Changed from a portal's own former password, or from none (a password form
            # checked before the same request changed the e-mail): it stays this portal's
            # own; a reset link (which proves the e-mail) makes one the network's.
            instance._former_password = instance.password
        return
    if before is not None:
        # The e-mail changed (the person on their account page, or an editor): nothing
        # proves the new address is theirs. Taking its network account's password would
        # hand someone else's account to whoever typed it, and giving a new address this
        # password would let them claim it before its owner is invited anywhere. The
        # account keeps its password as this portal's own (a former password), until a
        # reset link sent to the new address makes one the network's.
        instance._email_changed = True
        if is_password_usable(instance.password):
            instance._former_password = instance.password
        return
    # A new account: whoever saves it does not choose the password of an existing network
    # account; the local copy takes that password (the person signs in with theirs).
    if account is not None:
        instance.password = account.password
    elif is_password_usable(instance.password):
        instance._network_password = instance.password


def _after_user_save(sender, instance: AbstractBaseUser, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= QUIET_FIELDS:
        return
    password_hash = getattr(instance, "_network_password", None)
    if password_hash:
        instance._network_password = None
        if account_for(instance.email) is not None or holds_a_role(instance):
            set_network_password(instance, password_hash)
    if getattr(instance, "_email_changed", False):
        sync_membership(instance)  # the membership of the new address first
    former = getattr(instance, "_former_password", None)
    portal = current_portal()
    if former and portal is not None:
        instance._former_password = None
        NetworkMembership.objects.filter(portal=portal, user_id=instance.pk).update(
            former_password=former
        )
    sync_membership(instance)


def _after_groups_change(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    users = get_user_model()
    if not reverse:
        sync_membership(instance)
        return
    # From the group's side (a group emptied or deleted): each of its members.
    changed = users._default_manager.filter(pk__in=pk_set) if pk_set else users.objects.none()
    for user in changed:
        sync_membership(user)


def _before_group_delete(sender, instance, **kwargs) -> None:
    # Django deletes a group's members' links without m2m_changed: note who they are.
    instance._members = list(instance.user_set.all())


def _after_group_delete(sender, instance, **kwargs) -> None:
    for user in getattr(instance, "_members", []):
        sync_membership(user)


def _after_user_delete(sender, instance: AbstractBaseUser, **kwargs) -> None:
    portal = current_portal()
    if portal is None:
        return
    instance.is_active = False
    sync_membership(instance)


def connect_signals() -> None:
    """Listen to Django's user model (called from ``TenantsConfig.ready``)."""
    users = get_user_model()
    pre_save.connect(_before_user_save, sender=users, dispatch_uid="network_password")
    post_save.connect(_after_user_save, sender=users, dispatch_uid="network_membership")
    post_delete.connect(_after_user_delete, sender=users, dispatch_uid="network_membership")
    m2m_changed.connect(
        _after_groups_change, sender=users.groups.through, dispatch_uid="network_roles"
    )
    pre_delete.connect(_before_group_delete, sender=Group, dispatch_uid="network_roles_group")
    post_delete.connect(_after_group_delete, sender=Group, dispatch_uid="network_roles_group")
    post_delete.connect(
        close_accounts_without_a_role,
        sender=NetworkMembership,
        dispatch_uid="network_last_membership",
    )
