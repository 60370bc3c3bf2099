"""Private links open one ad on one portal; nothing of portal A is seen or moderated at B."""

import pytest
from django_tenants.utils import schema_context

from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified
from classifieds.tokens import management_token
from tests.classifieds.conftest import ADMIN_ADS, SECTION
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_a_token_for_one_ad_does_not_open_another(alpha, client_for):
    with schema_context(alpha.schema_name):
        mine = ClassifiedFactory(title="Mon annonce")
        theirs = ClassifiedFactory(title="Annonce d'une voisine")
        token = management_token(mine.pk)
    browser = client_for(alpha)

    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    own = browser.get(f"{SECTION}gerer/{token}/")
    forged = browser.get(f"{SECTION}gerer/{tampered}/")
    withdraw_with_forged = browser.post(f"{SECTION}gerer/{tampered}/", {"action": "withdraw"})

    assert "Mon annonce" in own.text
    assert "Annonce d'une voisine" not in own.text
    assert forged.status_code == 404
    assert withdraw_with_forged.status_code == 404
    with schema_context(alpha.schema_name):
        theirs.refresh_from_db()
    assert theirs.status == Classified.Status.PUBLISHED


def test_a_token_issued_by_portal_a_does_not_work_at_portal_b(alpha, beta, client_for):
    # The same id exists on both portals: only the signature's salt tells them apart.
    with schema_context(alpha.schema_name):
        at_alpha = ClassifiedFactory(title="Annonce d'Alpha")
        token = management_token(at_alpha.pk)
    with schema_context(beta.schema_name):
        at_beta = ClassifiedFactory(title="Annonce de Beta")
        Classified.objects.filter(pk=at_beta.pk).update(id=at_alpha.pk)

    response = client_for(beta).post(f"{SECTION}gerer/{token}/", {"action": "withdraw"})

    assert response.status_code == 404
    assert "ne fonctionne pas" in response.text
    with schema_context(beta.schema_name):
        assert Classified.objects.get(pk=at_alpha.pk).status == Classified.Status.PUBLISHED


def test_an_ad_of_portal_a_is_never_listed_or_shown_at_portal_b(alpha, beta, client_for):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory(title="Perceuse à prêter rue Ramponeau")

    at_alpha = client_for(alpha).get(f"{SECTION}annonce/{classified.pk}/")
    beta_listing = client_for(beta).get(SECTION)
    beta_detail = client_for(beta).get(f"{SECTION}annonce/{classified.pk}/")
    beta_feed = client_for(beta).get(f"{SECTION}rss/")

    assert at_alpha.status_code == 200
    assert "Ramponeau" not in beta_listing.text
    assert beta_detail.status_code == 404
    assert "Ramponeau" not in beta_feed.content.decode()


def test_an_animator_of_portal_a_cannot_moderate_portal_b(alpha, beta, client_for, animator_of):
    with schema_context(beta.schema_name):
        classified = ClassifiedFactory(
            title="Annonce de Beta", status=Classified.Status.AWAITING_MODERATION
        )
    browser = logged_in(client_for(alpha), animator_of(alpha))

    # The same cookies, sent to the other portal's host.
    browser.defaults["HTTP_HOST"] = "beta.localhost"
    response = browser.post(f"{ADMIN_ADS}moderer/{classified.pk}/", {"decision": "approve"})
    queue = browser.get(ADMIN_ADS)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert queue["Location"].startswith("/admin/login/")
    with schema_context(beta.schema_name):
        classified.refresh_from_db()
    assert classified.status == Classified.Status.AWAITING_MODERATION


def test_an_animator_sees_only_their_portal_ads_in_the_admin(alpha, beta, client_for, animator_of):
    with schema_context(alpha.schema_name):
        ClassifiedFactory(title="Annonce d'Alpha", status=Classified.Status.AWAITING_MODERATION)
    with schema_context(beta.schema_name):
        beta_ad = ClassifiedFactory(
            title="Annonce de Beta", status=Classified.Status.AWAITING_MODERATION
        )
    browser = logged_in(client_for(alpha), animator_of(alpha))

    queue = browser.get(ADMIN_ADS)
    beta_id_at_alpha = browser.get(f"{ADMIN_ADS}moderer/{beta_ad.pk + 1000}/")

    assert queue.status_code == 200
    assert "Annonce d&#x27;Alpha" in queue.text
    assert "Annonce de Beta" not in queue.text
    assert beta_id_at_alpha.status_code == 404
