"""Joining the accounts portals had before the network's: no password reset for anyone.

Each portal's local accounts that hold a role are gathered by e-mail. A person known to
one portal, or to several with the very same hash (copied, not typed twice), gets a
network account holding that hash as it is. A person whose portals hold different hashes
gets a network account without a password yet: each portal keeps that person's former
password as theirs, accepted there only, until they choose a new one through a reset or
invitation link, which becomes the network's (docs/accounts.md). A former password may
have been chosen by a portal's animator (Wagtail's user admin let them set one) rather
than by the person: taking any of them as the network's would let that animator into the
person's other portals. Nobody is locked out, and no portal's password opens another.

Idempotent: an account or a membership already there is left as it is, so
``migrate_network`` runs it every time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import is_password_usable, make_password
from django.db import transaction
from django.db.models import Q
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.accounts import NetworkAccount, NetworkMembership, normal_email
from tenants.models import Neighbourhood

OLDEST = datetime.min


@dataclass(frozen=True)
class LocalAccount:
    """A portal's account that holds a role, as the join needs it."""

    portal: Neighbourhood
    user_id: int
    password: str
    last_used: tuple


@dataclass
class LinkReport:
    """What a run did: accounts made, local accounts linked, and the people whose portals
    held different hashes (two passwords, or one salted twice: a hash does not say which;
    either way each portal keeps taking the password it took)."""

    accounts_created: int = 0
    memberships_created: int = 0
    former_passwords_kept: int = 0
    emails_with_several_passwords: list[str] = field(default_factory=list)


def local_accounts(portal: Neighbourhood) -> dict[str, list[LocalAccount]]:
    """The portal's active accounts with an e-mail and a role, by network e-mail."""
    found: dict[str, list[LocalAccount]] = {}
    with schema_context(portal.schema_name):
        rows = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(email="")
            .filter(Q(is_superuser=True) | Q(groups__isnull=False))
            .distinct()
            .values_list("pk", "email", "password", "last_login", "date_joined")
        )
        for pk, email, password, last_login, date_joined in rows:
            last_used = (
                (last_login or OLDEST).replace(tzinfo=None),
                date_joined.replace(tzinfo=None),
            )
            found.setdefault(normal_email(email), []).append(
                LocalAccount(portal, pk, password, last_used)
            )
    return found


def link_network_accounts(report: Callable[[str], None] = lambda line: None) -> LinkReport:
    """Give every person with a role in a portal their network account (see above)."""
    outcome = LinkReport()
    portals = list(
        Neighbourhood.objects.exclude(schema_name=get_public_schema_name()).order_by("schema_name")
    )
    people: dict[str, list[LocalAccount]] = {}
    for number, portal in enumerate(portals, start=1):
        for email, accounts in local_accounts(portal).items():
            people.setdefault(email, []).extend(accounts)
        if number % 50 == 0 or number == len(portals):
            report(f"portail {number}/{len(portals)} : {portal.schema_name}")
    linked = set(NetworkMembership.objects.values_list("portal_id", "user_id"))
    existing = {account.email: account for account in NetworkAccount.objects.all()}
    with transaction.atomic():
        for email, accounts in people.items():
            _link_person(email, accounts, existing, linked, outcome)
    return outcome


def _link_person(
    email: str,
    accounts: list[LocalAccount],
    existing: dict[str, NetworkAccount],
    linked: set[tuple[int, int]],
    outcome: LinkReport,
) -> None:
    usable = [a for a in accounts if is_password_usable(a.password)]
    hashes = {a.password for a in accounts}
    account = existing.get(email)
    if account is None:
        # One hash for all their accounts: theirs everywhere already. Else none yet.
        shared = hashes.pop() if len(hashes) == 1 else make_password(None)
        account = NetworkAccount.objects.create(email=email, password=shared)
        outcome.accounts_created += 1
    if len({a.password for a in usable}) > 1:
        outcome.emails_with_several_passwords.append(email)
    for local in accounts:
        if (local.portal.pk, local.user_id) in linked:
            continue
        former = (
            local.password
            if is_password_usable(local.password) and local.password != account.password
            else ""
        )
        NetworkMembership.objects.create(
            account=account, portal=local.portal, user_id=local.user_id, former_password=former
        )
        outcome.memberships_created += 1
        outcome.former_passwords_kept += bool(former)
