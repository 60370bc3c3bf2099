"""The workshop cycle: a workshop on a theme linked to its agenda event and to the
questionnaire sent to the actors of the theme; participants recorded with their consent,
who receive the thematic address book by a signed link; the workshops page with the
recurring brakes and levers. Participants are private: never on a public page."""

import csv
import datetime
import io

import pytest
import time_machine
import vobject
from django.utils import timezone
from django_tenants.utils import schema_context

from consultations.factories import ConsultationAnswerFactory, ConsultationPageFactory
from portal.factories import EventPageFactory, WorkshopPageFactory
from portal.models import Actor, ProjectSeed, WorkshopAttendee
from portal.workshops.tokens import address_book_token
from tests.portal.conftest import logged_in

pytestmark = pytest.mark.django_db

SEEDS = "/graines-de-projet/"


def _actor(name: str, theme: str, email: str = "", **fields) -> Actor:
    actor = Actor.objects.create(name=name, public_email=email, **fields)
    actor.themes.add(theme)
    actor.save()  # a cluster's tags are written on save
    return actor


@pytest.fixture(scope="module")
def cycle(alpha, django_db_blocker):
    """A held workshop on "alimentation", its event and questionnaire, three actors of the
    theme (one without address), one of another theme, three participants (two listed).

    Written once for the module (committed, as the portal is): every test built the same
    pages again, two thirds of the module's time. What a test adds or changes (answers,
    sendings, other workshops) is rolled back with its transaction."""
    with django_db_blocker.unblock(), schema_context(alpha.schema_name):
        event = EventPageFactory(title="Atelier alimentation au centre social", slug="atelier-alim")
        questionnaire = ConsultationPageFactory(
            title="Questionnaire aux acteurs de l'alimentation", kind="questionnaire"
        )
        ConsultationAnswerFactory(page=questionnaire)
        ConsultationAnswerFactory(page=questionnaire)
        pantry = _actor(
            "Épicerie solidaire", "alimentation", "epicerie@example.org", public_phone="0102030405"
        )
        garden = _actor("Jardin partagé", "Alimentation", "jardin@example.org")
        canteen = _actor("Cantine de quartier", "alimentation")
        other = _actor("Club de boxe", "sport", "boxe@example.org")
        page = WorkshopPageFactory(
            title="Bien manger au quartier",
            slug="bien-manger",
            theme="alimentation",
            event=event,
            questionnaire=questionnaire,
            diagnosis=[
                ("brakes", ["Des prix trop hauts", "Peu de commerces"]),
                ("levers", ["Un marché de producteurs"]),
                ("resources", ["Une cuisine partagée"]),
                ("expectations", ["Des cours de cuisine"]),
                ("needs", ["Manger frais"]),
                ("wishes", ["Une fête des récoltes"]),
            ],
            seeds=[ProjectSeed(title="Un groupement d'achat", status=ProjectSeed.Status.ACTIVE)],
        )
        page.attendees = [
            WorkshopAttendee(
                name="Nadia Benali",
                structure="Amicale des locataires",
                email="nadia@example.net",
                listed=True,
            ),
            WorkshopAttendee(name="Paul Martin", email="paul@example.net", listed=True),
            WorkshopAttendee(name="Discrète Personne", email="discrete@example.net", listed=False),
        ]
        page.save_revision().publish()
        attendees = {a.name: a for a in WorkshopAttendee.objects.all()}
    return {
        "page": page,
        "event": event,
        "questionnaire": questionnaire,
        "attendees": attendees,
        "pantry": pantry,
        "garden": garden,
        "canteen": canteen,
        "other": other,
    }


def _book_path(attendee: WorkshopAttendee, portal) -> str:
    with schema_context(portal.schema_name):
        return f"{SEEDS}carnet/{address_book_token(attendee.pk, attendee.email)}/"


# --- The workshop and its event ------------------------------------------------------------


def test_a_workshop_shows_its_theme_its_event_and_the_six_headings(cycle, alpha, client_for):
    response = client_for(alpha).get(f"{SEEDS}bien-manger/")

    assert response.status_code == 200
    assert "Thème : alimentation" in response.text
    assert 'href="/agenda/atelier-alim/"' in response.text
    for heading in ("Freins", "Leviers", "Moyens", "Attentes", "Besoins", "Envies"):
        assert f"<h3>{heading}</h3>" in response.text
    assert "Une fête des récoltes" in response.text


def test_the_agenda_event_shows_its_workshop(cycle, alpha, client_for):
    response = client_for(alpha).get("/agenda/atelier-alim/")

    assert "L'atelier participatif" in response.text
    assert f'href="{SEEDS}bien-manger/"' in response.text


def test_participants_are_never_on_public_pages_nor_in_search(cycle, alpha, client_for):
    browser = client_for(alpha)
    pages = [
        browser.get(f"{SEEDS}bien-manger/"),
        browser.get(SEEDS),
        browser.get(f"{SEEDS}ateliers/"),
        browser.get("/"),
    ]
    found = browser.get("/recherche/", {"q": "Benali"})

    for response in pages:
        assert response.status_code == 200
        for private in ("Nadia", "nadia@example.net", "Discrète", "Amicale des locataires"):
            assert private not in response.text
    assert "Bien manger au quartier" not in found.text
    assert "nadia@example.net" not in found.text


# --- The questionnaire ---------------------------------------------------------------------


def test_the_animator_sends_the_questionnaire_to_the_actors_of_the_theme_in_one_action(
    cycle, alpha, client_for, animator_of, outbox
):
    admin = logged_in(client_for(alpha), animator_of(alpha))
    url = f"/admin/ateliers/{cycle['page'].pk}/suivi/"

    screen = admin.get(url)
    response = admin.post(url, {"action": "questionnaire"}, follow=True)

    assert "2 réponses reçues" in screen.text
    assert sorted(message.to[0] for message in outbox) == [
        "epicerie@example.org",
        "jardin@example.org",
    ]
    assert all(
        f"http://alpha.localhost:8000{cycle['questionnaire'].url}" in message.body
        for message in outbox
    )
    assert "Questionnaire envoyé à 2 acteurs." in response.text
    assert "Cantine de quartier" in response.text  # named: it has no address


def test_the_answer_count_follows_the_consultation(cycle, alpha, client_for, animator_of):
    admin = logged_in(client_for(alpha), animator_of(alpha))
    with schema_context(alpha.schema_name):
        ConsultationAnswerFactory(page=cycle["questionnaire"])
        ConsultationAnswerFactory(page=cycle["questionnaire"], status="awaiting")

    screen = admin.get(f"/admin/ateliers/{cycle['page'].pk}/suivi/")

    assert "3 réponses reçues" in screen.text


def test_another_portals_animator_cannot_follow_this_workshop(
    cycle, beta, client_for, animator_of, outbox
):
    admin = logged_in(client_for(beta), animator_of(beta))
    url = f"/admin/ateliers/{cycle['page'].pk}/suivi/"

    assert admin.get(url).status_code == 404
    assert admin.post(url, {"action": "questionnaire"}).status_code == 404
    assert outbox == []


def test_a_visitor_cannot_open_the_follow_up(cycle, alpha, client_for):
    response = client_for(alpha).get(f"/admin/ateliers/{cycle['page'].pk}/suivi/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- The thematic address book -------------------------------------------------------------


def test_the_address_book_goes_to_the_participants_who_agreed_only(
    cycle, alpha, client_for, animator_of, outbox
):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    admin.post(f"/admin/ateliers/{cycle['page'].pk}/suivi/", {"action": "address_book"})

    assert sorted(message.to[0] for message in outbox) == ["nadia@example.net", "paul@example.net"]
    assert all("http://alpha.localhost:8000/graines-de-projet/carnet/" in m.body for m in outbox)


def test_the_address_book_lists_the_actors_of_the_theme_and_the_listed_participants(
    cycle, alpha, client_for
):
    response = client_for(alpha).get(_book_path(cycle["attendees"]["Paul Martin"], alpha))

    assert response.status_code == 200
    for shown in (
        "Épicerie solidaire",
        "epicerie@example.org",
        "Jardin partagé",
        "Cantine de quartier",
        "Nadia Benali",
        "nadia@example.net",
        "Amicale des locataires",
        "Paul Martin",
    ):
        assert shown in response.text
    assert "Club de boxe" not in response.text
    assert "Discrète" not in response.text
    assert "no-store" in response["Cache-Control"]
    assert 'name="robots" content="noindex' in response.text


def test_the_address_book_downloads_as_vcard_and_csv(cycle, alpha, client_for):
    path = _book_path(cycle["attendees"]["Nadia Benali"], alpha)
    browser = client_for(alpha)

    vcard = browser.get(f"{path}vcard/")
    table = browser.get(f"{path}csv/")

    names = {card.fn.value for card in vobject.readComponents(vcard.content.decode())}
    assert names == {
        "Épicerie solidaire",
        "Jardin partagé",
        "Cantine de quartier",
        "Nadia Benali",
        "Paul Martin",
    }
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["nom", "structure", "qualité", "e-mail"]
    assert ["Nadia Benali", "Amicale des locataires", "participant", "nadia@example.net"] in [
        row[:4] for row in rows
    ]
    assert "Discrète" not in table.content.decode()
    assert vcard["Content-Disposition"].startswith("attachment")


def test_an_address_book_link_is_refused_when_forged_foreign_withdrawn_or_too_old(
    cycle, alpha, beta, client_for
):
    paul = cycle["attendees"]["Paul Martin"]
    path = _book_path(paul, alpha)
    discrete_path = _book_path(cycle["attendees"]["Discrète Personne"], alpha)

    forged = client_for(alpha).get(f"{SEEDS}carnet/{path.split('/')[-2][:-3]}xyz/")
    elsewhere = client_for(beta).get(path)
    unlisted = client_for(alpha).get(discrete_path)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91)):
        too_old = client_for(alpha).get(path)

    for response in (forged, elsewhere, unlisted, too_old):
        assert response.status_code == 404
        assert "Ce lien ne fonctionne pas" in response.text
        assert "Nadia" not in response.text


def test_an_address_book_link_stops_working_once_the_address_it_went_to_is_corrected(
    cycle, alpha, client_for
):
    paul = cycle["attendees"]["Paul Martin"]
    sent_to_a_typo = _book_path(paul, alpha)
    with schema_context(alpha.schema_name):
        paul.email = "paul.martin@example.org"  # the animator corrects the address
        paul.save()
    corrected = _book_path(paul, alpha)

    stranger = client_for(alpha).get(sent_to_a_typo)
    owner = client_for(alpha).get(corrected)

    assert stranger.status_code == 404 and "Nadia" not in stranger.text
    assert owner.status_code == 200 and "Nadia" in owner.text


# --- The workshops page ----------------------------------------------------------------------


def test_the_workshops_page_lists_held_workshops_and_recurring_brakes_and_levers(
    cycle, alpha, client_for
):
    with schema_context(alpha.schema_name):
        WorkshopPageFactory(
            title="Commerces et marchés",
            diagnosis=[
                ("brakes", ["des prix  trop hauts.", "Des horaires courts"]),
                ("levers", ["Un marché de producteurs"]),
            ],
        )
        WorkshopPageFactory(
            title="Atelier à venir",
            date=timezone.localdate() + datetime.timedelta(days=20),
            diagnosis=[("brakes", ["Des horaires courts"])],
        )

    response = client_for(alpha).get(f"{SEEDS}ateliers/")

    assert response.status_code == 200
    text = response.text
    recurring = text[text.index("Freins récurrents") : text.index("Les ateliers passés")]
    assert "Des prix trop hauts" in recurring
    assert "(2 ateliers)" in recurring
    assert "Un marché de producteurs" in recurring
    assert "Des horaires courts" not in recurring  # named twice, but once by a future one
    passed = text[text.index("Les ateliers passés") :]
    assert "Bien manger au quartier" in passed
    assert "Un groupement d" in passed
    assert "Une fête des récoltes" in passed
    assert "Atelier à venir" not in passed
    assert "Atelier à venir" in text[: text.index("Les ateliers passés")]


def test_another_portal_shows_none_of_these_workshops(cycle, beta, client_for):
    response = client_for(beta).get(f"{SEEDS}ateliers/")

    assert response.status_code == 200
    assert "Bien manger" not in response.text


def test_the_workshops_edit_screen_leads_to_its_follow_up(cycle, alpha, client_for, animator_of):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    response = admin.get(f"/admin/pages/{cycle['page'].pk}/edit/")

    assert response.status_code == 200
    assert f"/admin/ateliers/{cycle['page'].pk}/suivi/" in response.text
    assert "Suivi de l&#x27;atelier" in response.text or "Suivi de l'atelier" in response.text
