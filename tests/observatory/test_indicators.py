"""Each feature's participation indicator, proved against rows the test makes: what a
portal did today shows in today's folded figure (``tenants.rollup``), and only that."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context

from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified
from newsletter.factories import SubscriberFactory
from newsletter.models import Subscriber
from portal.factories import (
    ActorFactory,
    ArticlePageFactory,
    BlogPageFactory,
    BlogPostPageFactory,
    EventPageFactory,
    MapStoryPageFactory,
    SeedMemberFactory,
    SeedUpdateFactory,
    WorkshopPageFactory,
)
from portal.models import ProjectSeed, SeedUpdate, WorkshopAttendee
from proposals.factories import ProposalFactory
from proposals.models import Proposal
from reactions.factories import ReactionFactory
from reactions.models import Reaction
from registrations.factories import RegistrationFactory
from registrations.lifecycle import mark_attendance
from registrations.models import Registration
from tenants.models import DailyIndicator, Neighbourhood
from tenants.rollup import fold_portal

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def gamma(make_portal) -> Neighbourhood:
    return make_portal("gamma")


def today_figures(portal: Neighbourhood) -> dict[str, int]:
    """Fold the portal (again) and read today's figures."""
    fold_portal(portal)
    rows = DailyIndicator.objects.filter(portal=portal, day=timezone.localdate())
    return {row.indicator: row.value for row in rows}


def change(portal: Neighbourhood, make: Callable[[], object]) -> dict[str, int]:
    """How each of today's figures moved when ``make`` ran in the portal's schema."""
    before = today_figures(portal)
    with schema_context(portal.schema_name):
        make()
    after = today_figures(portal)
    return {
        key: after[key] - before.get(key, 0) for key in after if after[key] != before.get(key, 0)
    }


def test_publications_count_by_type(gamma):
    def publish():
        ArticlePageFactory()
        ArticlePageFactory()
        EventPageFactory()
        BlogPostPageFactory(parent=BlogPageFactory())

    moved = change(gamma, publish)

    assert moved["articles"] == 2
    assert moved["events"] == 1
    assert moved["blog_posts"] == 1
    assert moved["pages"] == 5  # the blog itself is a page too


def test_proposals_count_when_received_and_when_accepted(gamma):
    def propose():
        ProposalFactory()  # confirmed, waiting
        ProposalFactory(status=Proposal.Status.ACCEPTED, decided_at=timezone.now())
        ProposalFactory(status=Proposal.Status.AWAITING_CONFIRMATION, confirmed_at=None)

    moved = change(gamma, propose)

    assert moved["proposals_received"] == 2
    assert moved["proposals_accepted"] == 1


def test_reactions_count_once_published(gamma):
    def react():
        page = ArticlePageFactory()
        ReactionFactory(page=page)
        ReactionFactory(page=page, status=Reaction.Status.PENDING, published_at=None)

    assert change(gamma, react)["reactions"] == 1


def test_classifieds_count_when_posted_and_when_published(gamma):
    def post():
        ClassifiedFactory()
        ClassifiedFactory(status=Classified.Status.AWAITING_MODERATION, published_at=None)
        ClassifiedFactory(
            status=Classified.Status.AWAITING_CONFIRMATION, confirmed_at=None, published_at=None
        )

    moved = change(gamma, post)

    assert moved["classifieds_posted"] == 2
    assert moved["classifieds"] == 1


def test_subscribers_are_counted_net_of_those_who_left(gamma):
    def subscribe():
        SubscriberFactory()
        SubscriberFactory()
        SubscriberFactory(status=Subscriber.Status.PENDING, confirmed_at=None)
        leaving = SubscriberFactory(confirmed_at=timezone.now() - datetime.timedelta(days=40))
        Subscriber.objects.filter(pk=leaving.pk).update(
            status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
        )

    before = today_figures(gamma).get("subscribers", 0)
    moved = change(gamma, subscribe)

    assert moved["subscribers"] == 2
    assert today_figures(gamma)["subscribers"] == before + 2


def test_registrations_and_attendance_count_people(gamma):
    def register_and_come():
        event = EventPageFactory(registrations_open=True)
        came = RegistrationFactory(event=event, people=3)
        RegistrationFactory(event=event, people=2)
        RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
        mark_attendance(came, True)

    moved = change(gamma, register_and_come)

    assert moved["registrations"] == 5
    assert moved["attendance"] == 3


def test_workshops_count_their_participants_and_seeds_on_their_day(gamma):
    def hold_workshop():
        workshop = WorkshopPageFactory(
            date=timezone.localdate(),
            attendees=[WorkshopAttendee(name="Awa"), WorkshopAttendee(name="Jean")],
            seeds=[ProjectSeed(title="Jardin partagé"), ProjectSeed(title="Repair café")],
        )
        workshop.participants.set([ActorFactory()])
        workshop.save()
        # A workshop held last week is last week's figure, not today's.
        WorkshopPageFactory(attendees=[WorkshopAttendee(name="Léa")])

    moved = change(gamma, hold_workshop)

    assert moved["workshop_participants"] == 3
    assert moved["project_seeds"] == 2
    assert moved["actors"] == 1


def test_action_groups_count_confirmed_members_and_approved_news(gamma):
    def grow_group():
        workshop = WorkshopPageFactory(seeds=[ProjectSeed(title="Fresque du square")])
        seed = workshop.seeds.get()
        SeedMemberFactory(seed=seed)
        SeedMemberFactory(seed=seed, confirmed_at=None)
        SeedUpdateFactory(seed=seed)
        SeedUpdateFactory(seed=seed, status=SeedUpdate.Status.PENDING, published_at=None)

    moved = change(gamma, grow_group)

    assert moved["group_members"] == 1
    assert moved["group_updates"] == 1


def test_the_map_counts_actors_added_and_stories_published(gamma):
    def map_it():
        ActorFactory()
        ActorFactory()
        MapStoryPageFactory()

    moved = change(gamma, map_it)

    assert moved["actors"] == 2
    assert moved["map_stories"] == 1


def test_active_contributors_are_the_people_who_saved_a_page_lately(gamma):
    def write():
        writer = get_user_model().objects.create_user("plume", "plume@example.org", "x")
        article = ArticlePageFactory()
        article.save_revision(user=writer)
        article.save_revision(user=writer)  # one person, however many saves

    assert change(gamma, write)["contributors"] == 1
