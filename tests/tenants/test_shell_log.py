"""Every change an operator makes from the shell is in the network's log, as the admin's are."""

from __future__ import annotations

import getpass
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import schema_exists

from tenants.journal import shell_user
from tenants.models import Neighbourhood, NetworkAction

pytestmark = pytest.mark.django_db


def logged(portal: str) -> list[tuple[str, str]]:
    """(action, who) of what the log holds on ``portal``, oldest first."""
    entries = NetworkAction.objects.filter(portal=portal).order_by("at", "pk")
    return list(entries.values_list("action", "who"))


@pytest.fixture
def alice(monkeypatch) -> str:
    """An operator who became root with sudo: the log names her, not root."""
    monkeypatch.setenv("SUDO_USER", "alice")
    return "shell:alice"


def test_opening_a_portal_from_the_shell_logs_who_and_when(alice):
    before = timezone.now()

    call_command(
        "create_neighbourhood",
        name="Les Lilas",
        slug="lilas",
        city="Les Lilas",
        animator_email="anim@lilas.example",
        stdout=io.StringIO(),
    )

    assert schema_exists("lilas")
    [entry] = NetworkAction.objects.filter(portal="lilas")
    assert (entry.action, entry.who) == ("create", alice)
    assert before <= entry.at <= timezone.now() + timedelta(seconds=1)
    assert entry.details == {
        "name": "Les Lilas",
        "domain": "lilas.localhost",
        "animator": "anim@lilas.example",
    }


def test_suspending_reactivating_and_archiving_from_the_shell_are_each_logged(alpha, alice):
    call_command("portal_status", "alpha", "suspended", reason="Travaux", verbosity=0)
    call_command("portal_status", "alpha", "active", reason="Fin des travaux", verbosity=0)
    call_command("portal_status", "alpha", "archived", reason="Fin du projet", verbosity=0)

    assert logged("alpha")[-3:] == [
        ("suspend", alice),
        ("reactivate", alice),
        ("archive", alice),
    ]
    archived = NetworkAction.objects.filter(portal="alpha", action="archive").get()
    assert archived.details == {"previous": "active", "reason": "Fin du projet"}


def test_without_sudo_the_log_names_the_shells_own_user(alpha, monkeypatch):
    monkeypatch.delenv("SUDO_USER", raising=False)

    call_command("portal_status", "alpha", "suspended", verbosity=0)

    assert shell_user() == f"shell:{getpass.getuser()}"
    assert logged("alpha")[-1] == ("suspend", f"shell:{getpass.getuser()}")


def test_a_refused_change_logs_nothing(alpha, alice):
    before = NetworkAction.objects.count()

    with pytest.raises(CommandError, match="impossible de le passer"):
        call_command("portal_status", "alpha", "active", verbosity=0)

    assert NetworkAction.objects.count() == before
    assert Neighbourhood.objects.get(pk=alpha.pk).status == Neighbourhood.Status.ACTIVE
