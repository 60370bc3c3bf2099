"""The network's log: who did what to which portal, kept in the public schema.

Every service that changes the network (opening, importing, suspending, reactivating,
archiving or deleting a portal, adding or removing a host name) writes its entry here
itself, whoever called it: the federation's admin passes the staff member, a command
passes nobody and the entry names the shell's user (``shell:alice``).
"""

from __future__ import annotations

import getpass
import os

from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Neighbourhood, NetworkAction


def shell_user() -> str:
    """Who runs a command: ``shell:<login>``, the person behind ``sudo`` when there is one
    (``$SUDO_USER``), else the process's user."""
    name = os.environ.get("SUDO_USER", "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # a user id with no name (some containers)
            name = f"uid {os.getuid()}"
    return f"shell:{name}"


def who_name(who: object | None) -> str:
    """The name the log keeps for ``who``: a user's e-mail or username, a given name, or
    the shell's user when nobody is given."""
    if who is None:
        return shell_user()
    return getattr(who, "email", "") or getattr(who, "username", "") or str(who)


def record(
    who: object | None, action: str, portal: Neighbourhood | str, **details: object
) -> NetworkAction:
    """Log ``action`` by ``who`` (a user, a name, or None for the shell's user) on
    ``portal`` (kept as its slug)."""
    slug = portal if isinstance(portal, str) else portal.schema_name
    with schema_context(get_public_schema_name()):
        return NetworkAction.objects.create(
            who=who_name(who), action=action, portal=slug, details=details
        )


def latest(limit: int = 20, portal: str = "") -> list[NetworkAction]:
    """The most recent actions, newest first, on every portal or on ``portal`` only."""
    with schema_context(get_public_schema_name()):
        actions = NetworkAction.objects.all()
        if portal:
            actions = actions.filter(portal=portal)
        return list(actions[:limit])
