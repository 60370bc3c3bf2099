"""A feature that brings a new section reaches the portals opened before it: the next
``migrate_network`` publishes the section and grants its permissions, once; a section the
animators removed afterwards is never put back."""

import pytest
from django.contrib.auth.models import Group, Permission
from django_tenants.utils import schema_context

from proposals.models import ProposalsPage
from tenants.default_portal import bring_portals_up_to_date
from tenants.group_names import ANIMATORS
from tenants.models import Neighbourhood

pytestmark = pytest.mark.django_db


def as_if_opened_before_proposals(portal: Neighbourhood) -> None:
    """Remove what the proposals feature gave the portal, as if it predated it."""
    with schema_context(portal.schema_name):
        ProposalsPage.objects.all().delete()
        Group.objects.get(name=ANIMATORS).permissions.remove(
            Permission.objects.get(content_type__app_label="proposals", codename="change_proposal")
        )
    Neighbourhood.objects.filter(pk=portal.pk).update(
        sections_offered=[slug for slug in portal.sections_offered if slug != "participer"]
    )


def test_a_new_portal_counts_every_section_as_offered(alpha):
    assert "participer" in alpha.sections_offered
    assert "consultations" in alpha.sections_offered


def test_an_older_portal_gets_the_new_section_and_its_permissions(alpha, beta, client_for):
    as_if_opened_before_proposals(alpha)
    lines: list[str] = []

    added = bring_portals_up_to_date(lines.append)

    assert added == {"alpha": ["Participer"]}
    assert any("Participer" in line and alpha.name in line for line in lines)
    with schema_context("alpha"):
        assert ProposalsPage.objects.live().get().slug == "participer"
        assert (
            Group.objects.get(name=ANIMATORS)
            .permissions.filter(codename="change_proposal")
            .exists()
        )
    assert client_for(alpha).get("/participer/").status_code == 200
    assert "participer" in Neighbourhood.objects.get(pk=alpha.pk).sections_offered


def test_a_section_the_animators_removed_stays_removed(alpha):
    with schema_context("alpha"):
        ProposalsPage.objects.all().delete()

    added = bring_portals_up_to_date(lambda line: None)

    assert added == {}
    with schema_context("alpha"):
        assert not ProposalsPage.objects.exists()
