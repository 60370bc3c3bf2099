"""What the forms refuse, in French, keeping what was typed; and hostile input never gives
a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proposals.models import Proposal
from tests.proposals.conftest import SECTION, event_form, in_days, photo, subject_form

pytestmark = pytest.mark.django_db


def _refused(response, *messages: str) -> None:
    assert response.status_code == 400, response.status_code
    for message in messages:
        assert message in response.text, response.text[-4000:]


def test_an_event_that_ends_before_it_starts_or_is_past_is_refused(alpha, client_for, outbox):
    browser = client_for(alpha)

    backwards = browser.post(
        f"{SECTION}evenement/", event_form(alpha, start=in_days(5, 18), end=in_days(5, 9))
    )
    past = browser.post(
        f"{SECTION}evenement/", event_form(alpha, start=in_days(-3, 18), end=in_days(-3, 20))
    )
    nonsense = browser.post(f"{SECTION}evenement/", event_form(alpha, start="demain soir"))

    _refused(backwards, "La fin doit venir après le début.")
    _refused(past, "Cette date est passée")
    _refused(nonsense, "Saisissez une date et une heure")
    assert "Vide-grenier des Lilas" in backwards.text  # what was typed is kept
    assert outbox == []


def test_missing_consents_are_refused(alpha, client_for):
    form = subject_form(alpha)
    del form["credit_consent"], form["consent"]

    response = client_for(alpha).post(f"{SECTION}sujet/", form)

    _refused(
        response,
        "Dites si votre nom peut apparaître, oui ou non.",
        "Cochez cette case pour envoyer votre proposition.",
    )


def test_a_photo_needs_its_credit(alpha, client_for):
    response = client_for(alpha).post(f"{SECTION}sujet/", subject_form(alpha, photo_1=photo()))

    _refused(response, "Indiquez qui a pris la photo 1")


def test_too_many_or_too_large_photos_are_refused(alpha, client_for):
    browser = client_for(alpha)
    heavy = SimpleUploadedFile("lourde.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10))

    too_many = browser.post(
        f"{SECTION}sujet/",
        subject_form(alpha, photo_1=[photo("a.jpg"), photo("b.jpg")], credit_1="Moi"),
    )
    too_large = browser.post(f"{SECTION}sujet/", subject_form(alpha, photo_2=heavy, credit_2="Moi"))
    not_a_photo = browser.post(
        f"{SECTION}sujet/",
        subject_form(
            alpha, photo_3=SimpleUploadedFile("tract.pdf", b"%PDF-1.4 ..."), credit_3="Moi"
        ),
    )

    _refused(too_many, "Une seule photo par emplacement, trois au plus en tout")
    _refused(too_large, "dépasse 5 Mo")
    _refused(not_a_photo, "n&#x27;est pas une photo lisible")
    with schema_context(alpha.schema_name):
        assert not Proposal.objects.exists()


def test_a_robot_filling_the_honeypot_is_refused(alpha, client_for):
    response = client_for(alpha).post(f"{SECTION}sujet/", subject_form(alpha, site_web="x"))

    _refused(response, "Votre envoi n&#x27;a pas pu être accepté.")


def test_forged_links_are_dead_ends_not_errors(alpha, client_for):
    browser = client_for(alpha)

    for path in (
        f"{SECTION}confirmer/AAAA/",
        f"{SECTION}retirer/bm9uLXNpZ25lZA/",
        f"{SECTION}retirer/{'A' * 300}/",
    ):
        assert browser.get(path).status_code == 404
        assert browser.post(path).status_code == 404


FIELDS = ["kind", "title", "text", "name", "email", "credit_consent", "start", "end", "place"]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    field=st.sampled_from(FIELDS),
    value=st.text(max_size=400) | st.sampled_from(["\x00", "9999-99-99T99:99", "💥" * 3000]),
    route=st.sampled_from(["sujet", "evenement"]),
)
def test_hostile_input_never_gives_a_500(alpha, client_for, field, value, route):
    form = (subject_form if route == "sujet" else event_form)(alpha, **{field: value})

    response = client_for(alpha).post(f"{SECTION}{route}/", form)

    assert response.status_code in (302, 400)
