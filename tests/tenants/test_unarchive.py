"""An archived portal is closed for good: reopening it takes a deliberate flag."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tenants.lifecycle import archive, reactivate
from tenants.models import Neighbourhood, NetworkAction

pytestmark = pytest.mark.django_db


def fresh(portal: Neighbourhood) -> Neighbourhood:
    return Neighbourhood.objects.get(pk=portal.pk)


def test_reactivating_an_archived_portal_without_the_flag_is_refused_in_french(alpha, client_for):
    archive(fresh(alpha), "Fin du projet")

    with pytest.raises(CommandError) as refused:
        call_command("portal_status", "alpha", "active")

    assert "est archivé, donc fermé pour de bon" in str(refused.value)
    assert "--unarchive" in str(refused.value)
    assert fresh(alpha).status == Neighbourhood.Status.ARCHIVED
    assert client_for(alpha).get("/").status_code == 410
    assert not NetworkAction.objects.filter(portal="alpha", action="reactivate").exists()


def test_the_service_refuses_too_whoever_calls_it(alpha):
    portal = archive(fresh(alpha))

    with pytest.raises(ValidationError) as refused:
        reactivate(portal)

    assert refused.value.code == "archived"


def test_with_the_flag_the_archived_portal_opens_again_and_the_log_says_so(
    alpha, client_for, monkeypatch
):
    monkeypatch.setenv("SUDO_USER", "alice")
    archive(fresh(alpha), "Fin du projet")
    assert client_for(alpha).get("/").status_code == 410
    output = io.StringIO()

    call_command("portal_status", "alpha", "active", "--unarchive", reason="Relance", stdout=output)

    assert fresh(alpha).status == Neighbourhood.Status.ACTIVE
    assert client_for(alpha).get("/").status_code == 200
    assert "Actif" in output.getvalue()
    reopened = NetworkAction.objects.filter(portal="alpha", action="reactivate").get()
    assert (reopened.who, reopened.details) == (
        "shell:alice",
        {"previous": "archived", "reason": "Relance"},
    )


def test_a_suspended_portal_needs_no_flag_to_reopen(alpha, client_for):
    call_command("portal_status", "alpha", "suspended", verbosity=0)
    call_command("portal_status", "alpha", "active", verbosity=0)

    assert client_for(alpha).get("/").status_code == 200
