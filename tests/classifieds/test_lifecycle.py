"""The life of an ad, driven as its author and an animator would: by e-mail links."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from classifieds import lifecycle
from classifieds.models import Classified
from tests.classifieds.conftest import ADMIN_ADS, SECTION, ad_form, links_in, path_of
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

Status = Classified.Status


def _post_and_confirm(portal, client_for, outbox) -> tuple[Classified, str]:
    """Post an ad and open the confirmation link; return the ad and the manage path."""
    browser = client_for(portal)
    response = browser.post(f"{SECTION}deposer/", ad_form(portal))
    assert response.status_code == 302, response.content.decode()[:3000]
    confirm_url = next(url for url in links_in(outbox[-1]) if "/confirmer/" in url)
    assert browser.post(path_of(confirm_url)).status_code == 200
    manage_url = next(url for url in links_in(outbox[-1]) if "/gerer/" in url)
    with schema_context(portal.schema_name):
        classified = Classified.objects.get(title="Donne vélo enfant")
    return classified, path_of(manage_url)


def _approve_in_admin(portal, client_for, animator_of, classified) -> None:
    admin = logged_in(client_for(portal), animator_of(portal))
    response = admin.post(
        f"{ADMIN_ADS}moderer/{classified.pk}/",
        {"decision": "approve", "reason": ""},
    )
    assert response.status_code == 302


def test_resident_posts_confirms_by_email_and_animator_publishes(
    alpha, client_for, animator_of, outbox
):
    browser = client_for(alpha)
    response = browser.post(f"{SECTION}deposer/", ad_form(alpha))
    assert response.status_code == 302
    assert "Donne vélo enfant" not in browser.get(SECTION).text

    assert outbox[-1].to == ["samia@example.org"]
    confirm_url = next(url for url in links_in(outbox[-1]) if "/confirmer/" in url)
    assert confirm_url.startswith("http://alpha.localhost:8000/petites-annonces/confirmer/")
    # A mail scanner opening the link confirms nothing: the page asks for the button.
    opened = browser.get(path_of(confirm_url))
    assert "Confirmer mon annonce" in opened.text and 'method="post"' in opened.text
    with schema_context(alpha.schema_name):
        assert Classified.objects.get(title="Donne vélo enfant").status == (
            Status.AWAITING_CONFIRMATION
        )
    confirmed = browser.post(path_of(confirm_url))
    assert "confirmée" in confirmed.text, confirmed.text[-1500:]
    assert "Donne vélo enfant" not in browser.get(SECTION).text  # awaiting moderation

    with schema_context(alpha.schema_name):
        classified = Classified.objects.get(title="Donne vélo enfant")
    assert classified.status == Status.AWAITING_MODERATION
    _approve_in_admin(alpha, client_for, animator_of, classified)

    listing = browser.get(SECTION).text
    detail = browser.get(f"{SECTION}annonce/{classified.pk}/")
    assert "Donne vélo enfant" in listing
    assert detail.status_code == 200
    assert "samia@example.org" not in detail.text
    assert "Votre annonce est publiée" in outbox[-1].subject
    with schema_context(alpha.schema_name):
        history = list(classified.status_changes.values_list("to_status", "actor"))
    assert history == [
        (Status.AWAITING_CONFIRMATION, "author"),
        (Status.AWAITING_MODERATION, "author"),
        (Status.PUBLISHED, "moderator"),
    ]


def test_rejection_emails_the_reason_to_the_author(alpha, client_for, animator_of, outbox):
    classified, _manage = _post_and_confirm(alpha, client_for, outbox)
    animator = animator_of(alpha)
    admin = logged_in(client_for(alpha), animator)

    without_reason = admin.post(
        f"{ADMIN_ADS}moderer/{classified.pk}/",
        {"decision": "reject", "reason": ""},
    )
    with_reason = admin.post(
        f"{ADMIN_ADS}moderer/{classified.pk}/",
        {"decision": "reject", "reason": "Annonce commerciale, hors du cadre du portail."},
    )

    assert without_reason.status_code == 200
    assert "motif" in without_reason.text
    assert with_reason.status_code == 302
    assert "Annonce commerciale, hors du cadre du portail." in outbox[-1].body
    assert outbox[-1].to == ["samia@example.org"]
    with schema_context(alpha.schema_name):
        change = Classified.objects.get(pk=classified.pk).status_changes.last()
    assert (change.to_status, change.user.username) == (Status.REJECTED, animator.username)


def test_author_edits_a_published_ad_and_it_goes_back_to_moderation(
    alpha, client_for, animator_of, outbox
):
    classified, manage = _post_and_confirm(alpha, client_for, outbox)
    _approve_in_admin(alpha, client_for, animator_of, classified)
    browser = client_for(alpha)

    data = ad_form(alpha, title="Donne vélo enfant (bleu)", action="edit")
    response = browser.post(manage, data)

    assert response.status_code == 302
    assert "relire" in browser.get(manage).text
    assert "Donne vélo enfant" not in browser.get(SECTION).text
    with schema_context(alpha.schema_name):
        classified.refresh_from_db()
    assert classified.status == Status.AWAITING_MODERATION
    assert classified.title == "Donne vélo enfant (bleu)"
    assert classified.author_email == "samia@example.org"


def test_author_withdraws_their_ad_from_the_private_link(alpha, client_for, animator_of, outbox):
    classified, manage = _post_and_confirm(alpha, client_for, outbox)
    _approve_in_admin(alpha, client_for, animator_of, classified)
    browser = client_for(alpha)

    browser.post(manage, {"action": "withdraw"})

    assert browser.get(f"{SECTION}annonce/{classified.pk}/").status_code == 404
    withdrawn = client_for(alpha).get(manage)  # no form left on it: still the author's own
    assert "retirée" in withdrawn.text
    assert "public" not in withdrawn.get("Cache-Control", "")
    assert withdrawn.get("X-Cache") != "MISS"  # not kept for the next visitor either


def test_ad_expires_after_the_portal_lifetime_with_one_reminder_and_can_be_extended(
    alpha, client_for, animator_of, outbox
):
    classified, manage = _post_and_confirm(alpha, client_for, outbox)
    _approve_in_admin(alpha, client_for, animator_of, classified)
    browser = client_for(alpha)
    published_on = timezone.now()

    with time_machine.travel(published_on + datetime.timedelta(days=28), tick=False):
        call_command("classifieds_maintenance", portal="alpha", stdout=None)
        call_command("classifieds_maintenance", portal="alpha", stdout=None)
        still_listed = "Donne vélo enfant" in browser.get(SECTION).text
    reminders = [m for m in outbox if "expire bientôt" in m.subject]
    with time_machine.travel(published_on + datetime.timedelta(days=31), tick=False):
        call_command("classifieds_maintenance", portal="alpha", stdout=None)
        expired_listing = browser.get(SECTION).text
        browser.post(manage, {"action": "extend"})
        extended_listing = browser.get(SECTION).text

    assert still_listed
    assert len(reminders) == 1
    assert reminders[0].to == ["samia@example.org"]
    assert any("/gerer/" in url for url in links_in(reminders[0]))
    assert not [m for m in outbox if "a expiré" in m.subject]  # one e-mail in all
    assert "Donne vélo enfant" not in expired_listing
    assert "Donne vélo enfant" in extended_listing


def test_lifetime_is_set_per_portal_on_the_classifieds_page(alpha, animator_of):
    animator = animator_of(alpha)
    with schema_context(alpha.schema_name):
        from classifieds.addresses import classifieds_section
        from classifieds.factories import ClassifiedFactory

        page = classifieds_section()
        page.ad_lifetime_days = 7
        page.save_revision().publish()
        classified = ClassifiedFactory(status=Status.AWAITING_MODERATION)
        published = lifecycle.approve(classified, animator)

    assert (published.expires_at - published.published_at).days == 7


def test_unconfirmed_ads_are_deleted_after_48_hours(alpha, client_for, outbox):
    browser = client_for(alpha)
    browser.post(f"{SECTION}deposer/", ad_form(alpha))
    confirm_url = next(url for url in links_in(outbox[-1]) if "/confirmer/" in url)

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49), tick=False):
        call_command("classifieds_maintenance", portal="alpha", stdout=None)
        response = browser.post(path_of(confirm_url))

    assert response.status_code == 404
    assert "ne fonctionne pas" in response.text
    with schema_context(alpha.schema_name):
        assert not Classified.objects.filter(title="Donne vélo enfant").exists()
