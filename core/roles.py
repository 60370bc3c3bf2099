"""Who may give which power: the one place that ranks a portal's roles.

Roles, highest first: superuser > "Fédération" (runs the network, only at the
federation's portal) > "Animateurs" > "Contributeurs" > none. Every portal, the
federation's included, is furnished from the same template: the federation's
"Animateurs" hold ``auth.add_user`` / ``auth.change_user`` like any portal's, and
Django's permissions alone would let them tick "Fédération" on their own account. So the
user admin, its bulk actions, the group screens and the invitation screen ask this
module, not the permissions alone, what an account may hand out:

- only superusers grant superuser or "Fédération";
- an animator grants "Animateurs" and "Contributeurs" of their own portal (the portal's
  schema is the only one their request sees), and any other group (a blog's writers)
  whose every permission they hold themselves;
- nobody changes their own groups or superuser flag (the forms freeze those fields);
- nobody edits an account (e-mail, password, active state, groups) that holds a power
  they could not grant: changing its e-mail, then asking for a password reset, would
  take it over;
- "Support réseau" (federation staff visiting a portal for a limited time) is granted by
  nobody here, superusers included: only the network's support screens give it and take
  it back (``tenants.support_access``), with its end recorded. It ranks as no role: it
  holds the animators' editing powers but not the user and group admin, so the visitor
  grants nothing that would outlast the visit, and, being beyond every animator's reach,
  the visitor's account is edited by none of them (they end the visit instead).
"""

from __future__ import annotations

from enum import IntEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db.models import Q, QuerySet
from wagtail.models import GroupCollectionPermission, GroupPagePermission
from wagtail.permission_policies.collections import CollectionPermissionPolicy
from wagtail.permissions import page_permission_policy

from tenants.group_names import ANIMATORS, CONTRIBUTORS, FEDERATION_STAFF, SUPPORT

Account = AbstractBaseUser | AnonymousUser


class Role(IntEnum):
    """A portal's roles, ranked: a higher role holds every power of a lower one."""

    NONE = 0
    CONTRIBUTOR = 1
    ANIMATOR = 2
    FEDERATION = 3
    SUPERUSER = 4


ROLE_OF_GROUP: dict[str, Role] = {
    CONTRIBUTORS: Role.CONTRIBUTOR,
    ANIMATORS: Role.ANIMATOR,
    FEDERATION_STAFF: Role.FEDERATION,
}

# Group names whose meaning is fixed by the code: nobody but a superuser creates or
# renames a group to one of them (core.user_admin).
RESERVED_GROUP_NAMES = frozenset([*ROLE_OF_GROUP, SUPPORT])

# The highest role anyone but a superuser may hand out: animators invite animators.
HIGHEST_ROLE_GRANTED_BY_STAFF = Role.ANIMATOR

# The user admin's own permission (the project keeps Django's User model).
CHANGE_USER = "auth.change_user"


def role_of(user: Account) -> Role:
    """The highest role ``user`` holds in the current portal."""
    if not user.is_authenticated:
        return Role.NONE
    if user.is_superuser:
        return Role.SUPERUSER
    names = user.groups.values_list("name", flat=True)
    return max((ROLE_OF_GROUP.get(name, Role.NONE) for name in names), default=Role.NONE)


def can_grant_superuser(actor: Account) -> bool:
    """Whether ``actor`` may make an account a superuser: superusers only."""
    return actor.is_authenticated and actor.is_superuser


def can_grant(actor: Account, group: Group, actor_role: Role | None = None) -> bool:
    """Whether ``actor`` may put an account (another one: nobody changes their own
    groups) into ``group``; ``actor_role`` spares the lookup when it is known."""
    if not actor.is_authenticated or group.name == SUPPORT:
        return False
    if actor.is_superuser:
        return True
    if actor_role is None:
        actor_role = role_of(actor)
    if actor_role < Role.ANIMATOR:
        return False
    group_role = ROLE_OF_GROUP.get(group.name)
    if group_role is not None:
        return group_role <= min(actor_role, HIGHEST_ROLE_GRANTED_BY_STAFF)
    return holds_every_permission_of(actor, group)


def grantable_groups(actor: Account) -> QuerySet[Group]:
    """The groups ``actor`` may put another account into."""
    if actor.is_authenticated and actor.is_superuser:
        return Group.objects.exclude(name=SUPPORT).order_by("name")
    actor_role = role_of(actor)
    allowed = [group.pk for group in Group.objects.all() if can_grant(actor, group, actor_role)]
    return Group.objects.filter(pk__in=allowed).order_by("name")


def editable_accounts(actor: Account) -> QuerySet[AbstractBaseUser]:
    """The accounts ``actor`` may change (e-mail, password, active state, groups): their
    own (minus groups and superuser flag, see the forms), and, with the right to change
    users, every account that holds no power ``actor`` could not grant."""
    accounts = get_user_model().objects.all()
    if not actor.is_authenticated:
        return accounts.none()
    if actor.is_superuser:
        return accounts
    own = Q(pk=actor.pk)
    if not actor.has_perm(CHANGE_USER):
        return accounts.filter(own)
    beyond_reach = Group.objects.exclude(pk__in=grantable_groups(actor).values("pk"))
    within_reach = accounts.filter(is_superuser=False).exclude(groups__in=beyond_reach)
    return accounts.filter(own | Q(pk__in=within_reach.values("pk")))


def can_edit_account(actor: Account, target: AbstractBaseUser) -> bool:
    """Whether ``actor`` may change ``target``'s account (see ``editable_accounts``)."""
    return editable_accounts(actor).filter(pk=target.pk).exists()


def can_edit_group(actor: Account, group: Group) -> bool:
    """Whether ``actor`` may change or delete ``group`` on Wagtail's group screens (which
    need ``auth.change_group``, given to no furnished role): a superuser; anyone else
    only a group they do not belong to and could grant, never their own."""
    if not actor.is_authenticated or group.name == SUPPORT:
        return False
    if actor.is_superuser:
        return True
    return not actor.groups.filter(pk=group.pk).exists() and can_grant(actor, group)


def holds_every_permission_of(actor: Account, group: Group) -> bool:
    """Whether ``actor`` holds every permission ``group`` gives: its model permissions,
    its page permissions (on that page or above it) and its collection permissions."""
    for permission in group.permissions.select_related("content_type"):
        if not actor.has_perm(f"{permission.content_type.app_label}.{permission.codename}"):
            return False
    for page_permission in GroupPagePermission.objects.filter(group=group).select_related(
        "page", "permission"
    ):
        action = page_permission.permission.codename.removesuffix("_page")
        if not page_permission_policy.user_has_permission_for_instance(
            actor, action, page_permission.page
        ):
            return False
    for collection_permission in GroupCollectionPermission.objects.filter(
        group=group
    ).select_related("collection", "permission__content_type"):
        permission = collection_permission.permission
        model = permission.content_type.model_class()
        if model is None:
            return False
        action = permission.codename.removesuffix(f"_{permission.content_type.model}")
        policy = CollectionPermissionPolicy(model)
        held = policy.collections_user_has_permission_for(actor, action)
        if not held.filter(pk=collection_permission.collection_id).exists():
            return False
    return True
