"""Moderation in the Wagtail admin: the queue, one-click decisions, bulk actions, dashboard."""

import pytest
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context

from classifieds.defaults import DEFAULT_CATEGORIES
from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified, ClassifiedCategory
from tests.classifieds.conftest import ADMIN_ADS
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
Status = Classified.Status


def test_every_new_portal_has_the_six_categories_and_animators_may_moderate(alpha):
    with schema_context(alpha.schema_name):
        categories = list(ClassifiedCategory.objects.values_list("slug", flat=True))
        animators = Group.objects.get(name="Animateurs")
        codenames = set(animators.permissions.values_list("codename", flat=True))

    assert categories == [slug for slug, _name in DEFAULT_CATEGORIES]
    assert {"change_classified", "change_classifiedcategory"} <= codenames
    assert "add_classified" not in codenames


def test_queue_shows_ads_awaiting_moderation_first(alpha, client_for, animator_of):
    with schema_context(alpha.schema_name):
        ClassifiedFactory(title="Déjà publiée")
        ClassifiedFactory(title="À relire", status=Status.AWAITING_MODERATION)
    browser = logged_in(client_for(alpha), animator_of(alpha))

    queue = browser.get(ADMIN_ADS).text
    filtered = browser.get(ADMIN_ADS, {"status": "published"}).text
    searched = browser.get(ADMIN_ADS, {"q": "relire"}).text
    home = browser.get("/admin/").text

    assert queue.index("À relire") < queue.index("Déjà publiée")
    assert "Modérer" in queue
    assert "À relire" not in filtered and "Déjà publiée" in filtered
    assert "À relire" in searched and "Déjà publiée" not in searched
    assert "1 annonce attend votre relecture." in home


def test_bulk_approve_and_reject_with_a_reason(alpha, client_for, animator_of, outbox):
    with schema_context(alpha.schema_name):
        first = ClassifiedFactory(title="Première", status=Status.AWAITING_MODERATION)
        second = ClassifiedFactory(title="Deuxième", status=Status.AWAITING_MODERATION)
        third = ClassifiedFactory(title="Troisième", status=Status.AWAITING_MODERATION)
    browser = logged_in(client_for(alpha), animator_of(alpha))
    base = "/admin/bulk/classifieds/classified"

    approve = browser.post(f"{base}/approve_classifieds/?id={first.pk}&id={second.pk}", {})
    confirm_reject = browser.get(f"{base}/reject_classifieds/?id={third.pk}")
    reject = browser.post(
        f"{base}/reject_classifieds/?id={third.pk}", {"reason": "Doublon d'une autre annonce."}
    )

    assert approve.status_code == 302
    assert "Motif du refus" in confirm_reject.text
    assert reject.status_code == 302
    with schema_context(alpha.schema_name):
        statuses = dict(Classified.objects.values_list("title", "status"))
    assert statuses == {
        "Première": Status.PUBLISHED,
        "Deuxième": Status.PUBLISHED,
        "Troisième": Status.REJECTED,
    }
    assert "Doublon d'une autre annonce." in outbox[-1].body


def test_a_contributor_cannot_moderate(alpha, client_for):
    from django.contrib.auth import get_user_model

    from tests.conftest import PASSWORD

    with schema_context(alpha.schema_name):
        contributor = get_user_model().objects.create_user(
            username="contrib@example.org", email="contrib@example.org", password=PASSWORD
        )
        contributor.groups.add(Group.objects.get(name="Contributeurs"))
        classified = ClassifiedFactory(status=Status.AWAITING_MODERATION)
    browser = logged_in(client_for(alpha), contributor)

    response = browser.post(f"{ADMIN_ADS}moderer/{classified.pk}/", {"decision": "approve"})

    assert response.status_code in (302, 403)
    with schema_context(alpha.schema_name):
        classified.refresh_from_db()
    assert classified.status == Status.AWAITING_MODERATION
