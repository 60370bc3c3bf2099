"""The factories build, the demo seeds waiting proposals once, and proposals answer the
moderation inbox as one of its sources."""

import pytest
from django_tenants.utils import schema_context

from core.moderation import moderation_sources
from proposals.demo import seed_proposals
from proposals.factories import EventProposalFactory, ProposalFactory
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_waiting_proposal(alpha):
    with schema_context(alpha.schema_name):
        subject, event = ProposalFactory(), EventProposalFactory()

        assert subject.status == event.status == Proposal.Status.WAITING
        assert event.end > event.start and event.is_event


def test_the_demo_seeds_waiting_proposals_once_and_the_inbox_lists_them(alpha):
    with schema_context(alpha.schema_name):
        Proposal.objects.all().delete()
        seed_proposals(alpha)
        seed_proposals(alpha)
        source = next(source for source in moderation_sources() if source.key == "proposals")
        oldest = source.waiting(2)

        assert Proposal.objects.waiting().count() == 4 == source.waiting_count()
        assert oldest[0].title == "La laverie solidaire a deux ans"
        assert oldest[0].url.startswith("/admin/propositions/traiter/")
        assert source.queue_url == "/admin/propositions/?status=waiting"
