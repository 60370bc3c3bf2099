"""Each factory builds once: a broken factory is found before the tests that use it."""

import datetime

import pytest
from django_tenants.utils import schema_context

from carriers.factories import FreePageFactory, PartnerFactory
from fediverse.factories import DeliveryFailureFactory, FollowerFactory
from newsletter.factories import SubscriberFactory
from portal.factories import (
    ActorFactory,
    AgendaSubscriptionFactory,
    ArticlePageFactory,
    BlogPageFactory,
    BlogPostPageFactory,
    EventPageFactory,
    LearnerFactory,
    MapStoryPageFactory,
    MediaEducationCyclePageFactory,
    ResidencyPageFactory,
    SeedMemberFactory,
    SeedUpdateFactory,
    WorkshopPageFactory,
)
from portal.models import ProjectSeed
from registrations.factories import RegistrationFactory
from tenants.factories import DailyIndicatorFactory, PortalSpecFactory
from tenants.provisioning import validate_spec

pytestmark = pytest.mark.django_db


def test_portal_spec_factory_gives_a_valid_request():
    spec = PortalSpecFactory()

    neighbourhood, domain = validate_spec(spec)

    assert neighbourhood.schema_name == spec.slug
    assert domain.domain == f"{spec.slug}.localhost"


@pytest.mark.parametrize(
    ("factory", "section"),
    [
        (ArticlePageFactory, "actualites"),
        (EventPageFactory, "agenda"),
        (BlogPageFactory, "blogs"),
        (WorkshopPageFactory, "graines-de-projet"),
        (MediaEducationCyclePageFactory, "agenda"),
        (ResidencyPageFactory, "residences"),
        (FreePageFactory, "a-propos"),
    ],
)
def test_page_factories_publish_in_their_section(alpha, factory, section):
    with schema_context(alpha.schema_name):
        page = factory()

        assert page.live
        assert page.get_parent().slug == section


def test_map_story_factory_publishes_a_story_in_the_directory(alpha):
    with schema_context(alpha.schema_name):
        story = MapStoryPageFactory()

        assert story.live
        assert story.get_parent().specific_class.__name__ == "ActorDirectoryPage"


def test_agenda_subscription_factory_builds_a_valid_subscription(alpha):
    with schema_context(alpha.schema_name):
        subscription = AgendaSubscriptionFactory()

        subscription.full_clean()
        assert subscription.active and not subscription.trusted


def test_observatory_factories_build_rows_the_indicators_count(alpha):
    with schema_context(alpha.schema_name):
        workshop = WorkshopPageFactory(seeds=[ProjectSeed(title="Jardin")])
        seed = workshop.seeds.get()
        member = SeedMemberFactory(seed=seed)
        update = SeedUpdateFactory(seed=seed)
        actor = ActorFactory()
        registration = RegistrationFactory(event=EventPageFactory())
        subscriber = SubscriberFactory()

        for row in (member, update, actor, registration, subscriber):
            row.full_clean()
    indicator = DailyIndicatorFactory(portal=alpha, day=datetime.date(2026, 1, 5))
    assert indicator.portal_id == alpha.pk


def test_blog_post_factory_publishes_in_the_given_blog(alpha):
    with schema_context(alpha.schema_name):
        blog = BlogPageFactory()
        post = BlogPostPageFactory(parent=blog)

        assert post.live
        assert post.get_parent().pk == blog.pk


def test_partner_factory_gives_a_partner_with_a_described_logo(alpha):
    with schema_context(alpha.schema_name):
        partner = PartnerFactory()

        partner.full_clean()
        assert partner.logo_alt == partner.name


def test_learner_factory_gives_a_valid_minor_of_a_cycle(alpha):
    with schema_context(alpha.schema_name):
        learner = LearnerFactory(cycle=MediaEducationCyclePageFactory())

        learner.full_clean()
        assert learner.is_minor
        assert not learner.name_allowed


def test_toolkit_collection_factory_builds_in_the_public_schema():
    from tenants.factories import ToolkitCollectionFactory
    from tenants.toolkit import ToolkitCollection

    collection = ToolkitCollectionFactory()

    assert ToolkitCollection.objects.filter(slug=collection.slug).exists()


def test_portal_account_factory_gives_an_account_with_its_roles_and_password(alpha):
    from tenants.factories import PortalAccountFactory

    with schema_context(alpha.schema_name):
        account = PortalAccountFactory(roles=["Animateurs"])

        assert account.check_password("un-mot-de-passe-solide")
        assert list(account.groups.values_list("name", flat=True)) == ["Animateurs"]


def test_second_factor_device_factory_gives_an_app_whose_codes_are_accepted(db):
    from tenants.accounts import NetworkAccount
    from tenants.factories import SecondFactorDeviceFactory
    from tenants.second_factor import check_code, current_code

    account = NetworkAccount.objects.create(email="usine@example.org", password="!")
    device = SecondFactorDeviceFactory(account=account)

    assert check_code(account, current_code(device.key))
    assert not check_code(account, current_code(device.key))  # once only


def test_fediverse_factories_build_a_follower_and_a_failure(alpha):
    with schema_context(alpha.schema_name):
        follower = FollowerFactory()
        failure = DeliveryFailureFactory()

        follower.full_clean()
        failure.full_clean()
        assert str(failure) == "Publication d'un article → https://instance-en-panne.example/inbox"
