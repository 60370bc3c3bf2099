"""A provisioning that fails at any step leaves nothing behind (real commits, no test
transaction to hide a half-made portal)."""

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_exists
from wagtail import hooks

from tenants import provisioning
from tenants.extension_points import AFTER_PROVISIONING
from tenants.factories import PortalSpecFactory
from tenants.models import Domain, Neighbourhood

pytestmark = pytest.mark.django_db(transaction=True)


class InjectedFailure(Exception):
    pass


@pytest.mark.parametrize("failing_step", [name for name, _ in provisioning.STEPS])
def test_failure_at_any_step_leaves_no_schema_row_domain_or_email(failing_step, monkeypatch):
    def fail_after(step):
        def run(p):
            step(p)
            raise InjectedFailure(failing_step)

        return run

    steps = [
        (name, fail_after(step) if name == failing_step else step)
        for name, step in provisioning.STEPS
    ]
    monkeypatch.setattr(provisioning, "STEPS", steps)

    with pytest.raises(InjectedFailure):
        provisioning.provision_neighbourhood(PortalSpecFactory(slug="rate"))

    assert not schema_exists("rate")
    assert not Neighbourhood.objects.filter(schema_name="rate").exists()
    assert not Domain.objects.filter(domain="rate.localhost").exists()
    assert mail.outbox == []
    assert connection.schema_name == "public"


def test_after_a_failure_the_same_portal_can_be_opened(monkeypatch):
    def broken(p):
        raise InjectedFailure("site")

    steps = [(name, broken if name == "site" else step) for name, step in provisioning.STEPS]
    monkeypatch.setattr(provisioning, "STEPS", steps)
    with pytest.raises(InjectedFailure):
        provisioning.provision_neighbourhood(PortalSpecFactory(slug="retente"))
    monkeypatch.undo()

    result = provisioning.provision_neighbourhood(PortalSpecFactory(slug="retente"))
    try:
        assert result.steps_done == [name for name, _ in provisioning.STEPS]
        assert schema_exists("retente")
    finally:
        result.neighbourhood.delete(force_drop=True)


def test_a_feature_step_that_fails_leaves_nothing_behind():
    """A step a feature registers (AFTER_PROVISIONING) runs inside the same transaction."""

    def broken(p):
        raise InjectedFailure("feature")

    with (
        hooks.register_temporarily(AFTER_PROVISIONING, broken),
        pytest.raises(InjectedFailure),
    ):
        provisioning.provision_neighbourhood(PortalSpecFactory(slug="rate"))

    assert not schema_exists("rate")
    assert not Neighbourhood.objects.filter(schema_name="rate").exists()
    assert mail.outbox == []
