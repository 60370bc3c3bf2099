"""The animator composes, previews as e-mail, tests, sends; sees and exports subscribers."""

import csv
import io

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from newsletter.models import Dispatch
from registrations import lifecycle
from tests.conftest import pass_second_factor
from tests.newsletter.conftest import (
    active_subscriber,
    animator_with_email,
    logged_in,
    publish_issue,
)

pytestmark = pytest.mark.django_db


def test_animator_previews_the_issue_as_an_e_mail(alpha, client_for, animator_of):
    page = publish_issue(alpha, "Lettre à prévisualiser")
    admin = logged_in(client_for(alpha), animator_of(alpha))

    edit = admin.get(f"/admin/pages/{page.pk}/edit/")
    with schema_context(alpha.schema_name):
        modes = [mode for mode, _label in page.preview_modes]
        preview = page.make_preview_request(preview_mode="email")

    assert edit.status_code == 200
    assert "Tester, envoyer ou programmer" in edit.text
    assert modes == ["", "email"]
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Bonjour les voisins" in html and "<table" in html
    # Tagged: views it brings count as the infolettre's (docs/audience.md).
    assert 'href="http://alpha.localhost:8000/agenda/?utm_source=infolettre"' in html


def test_animator_sends_a_test_to_themself_then_sends_to_subscribers(
    alpha, client_for, animator_of, outbox
):
    active_subscriber(alpha, "abonnee@example.org")
    page = publish_issue(alpha, "Lettre du mois")
    admin = logged_in(client_for(alpha), animator_with_email(alpha, animator_of))
    send_page = f"/admin/infolettre/envoyer/{page.pk}/"
    assert "partira à 1 abonné·e" in admin.get(send_page).text

    admin.post(send_page, {"action": "test"})
    assert [(m.to, m.subject) for m in outbox] == [
        (["animation@example.org"], "[TEST] Lettre du mois")
    ]

    admin.post(send_page, {"action": "schedule", "when": ""})
    call_command("send_newsletters", "--portal", "alpha")

    assert outbox[-1].to == ["abonnee@example.org"]
    assert "Envoyé" in admin.get(send_page).text


def test_sending_takes_the_right_to_publish(alpha, client_for):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from tests.conftest import PASSWORD

    page = publish_issue(alpha, "Lettre réservée")
    with schema_context(alpha.schema_name):
        user = get_user_model().objects.create_user("contributeur", password=PASSWORD)
        user.groups.add(Group.objects.get(name="Contributeurs"))
    browser = client_for(alpha)
    browser.post("/admin/login/", {"username": "contributeur", "password": PASSWORD})
    pass_second_factor(browser)

    assert browser.post(
        f"/admin/infolettre/envoyer/{page.pk}/", {"action": "schedule"}
    ).status_code in {302, 403}
    with schema_context(alpha.schema_name):
        assert not Dispatch.objects.filter(page=page).exists()


def test_animator_sees_and_exports_subscribers_but_cannot_add_any(
    alpha, beta, client_for, animator_of
):
    active_subscriber(alpha, "liste@example.org", ["agenda"])
    active_subscriber(beta, "ailleurs@example.org")
    admin = logged_in(client_for(alpha), animator_of(alpha))

    listing = admin.get("/admin/infolettre/abonnes/")
    export = admin.get("/admin/infolettre/abonnes/?export=csv")

    assert "liste@example.org" in listing.text
    assert "ailleurs@example.org" not in listing.text
    rows = list(csv.DictReader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    assert [row["Adresse e-mail"] for row in rows] == ["liste@example.org"]
    assert admin.get("/admin/infolettre/abonnes/new/").status_code in {302, 403}


def test_animator_sees_and_exports_an_event_s_registrations(alpha, client_for, animator_of):
    from portal.factories import EventPageFactory

    with schema_context(alpha.schema_name):
        event = EventPageFactory(registrations_open=True, places=3)
        lifecycle.register(event, "Moussa", "moussa@example.org", 2, "LSF", notify=False)
    admin = logged_in(client_for(alpha), animator_of(alpha))

    export = admin.get(f"/admin/inscriptions/?event={event.pk}&export=csv")

    rows = list(csv.DictReader(io.StringIO(export.getvalue().decode("utf-8-sig"))))
    assert [(r["Nom"], r["Nombre de personnes"], r["Besoins d'accessibilité"]) for r in rows] == [
        ("Moussa", "2", "LSF")
    ]


def test_past_issues_stay_readable_on_the_portal_and_in_rss(alpha, client_for):
    page = publish_issue(alpha, "Numéro de printemps")
    with schema_context(alpha.schema_name):
        path = page.url
    browser = client_for(alpha)

    index = browser.get("/infolettre/")
    issue = browser.get(path)
    feed = browser.get("/infolettre/rss/")

    assert "Numéro de printemps" in index.text
    assert issue.status_code == 200 and "Bonjour les voisins" in issue.text
    assert "Numéro de printemps" in feed.text
    assert f"http://alpha.localhost{path}" in feed.text
