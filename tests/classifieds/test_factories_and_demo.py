"""The classifieds factory builds; the demo seed is cheap and idempotent."""

import pytest
from django_tenants.utils import schema_context

from classifieds.demo import seed_classifieds
from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified

pytestmark = pytest.mark.django_db


def test_classified_factory_builds_a_published_ad(alpha, client_for):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory()

    assert classified.status == Classified.Status.PUBLISHED
    assert client_for(alpha).get(f"/petites-annonces/annonce/{classified.pk}/").status_code == 200


def test_demo_seed_gives_every_state_once(alpha, client_for, outbox):
    with schema_context(alpha.schema_name):
        seed_classifieds(alpha)
        seed_classifieds(alpha)
        statuses = set(Classified.objects.values_list("status", flat=True))
        count = Classified.objects.count()

    assert statuses == set(Classified.Status.values)
    assert count == 9
    assert outbox == []
    assert "Poussette en bon état" in client_for(alpha).get("/petites-annonces/").text
