"""Anyone may propose an actor or a correction; nothing is public before an animator
accepts it; the animators hear of it on their own portal's host; robots are refused."""

import re

import pytest
from django_tenants.utils import schema_context
from taggit.models import Tag

from core.abuse import STARTED_FIELD, started_stamp
from portal.actors.forms import PROPOSALS_PER_IP, ActorProposalForm
from portal.models import Actor, ActorProposal
from tests.portal.conftest import form_opened_a_minute_ago, logged_in

pytestmark = pytest.mark.django_db

PROPOSE = "/acteurs/proposer/"
QUEUE = "/admin/acteurs/propositions/"


def proposal_form(**overrides: object) -> dict:
    data = {
        "name": "Repair café des Lilas",
        "kind": "third_place",
        "themes": "réparation, environnement",
        "description": "On répare ensemble grille-pain et vélos.\n\nChaque samedi.",
        "address": "8 rue des Lilas",
        "latitude": "48,8721",
        "longitude": "2,3851",
        "opening_hours": "Samedi 14 h à 18 h",
        "website": "https://repair.example.org/",
        "public_email": "",
        "public_phone": "",
        "message": "Je suis bénévole là-bas.",
        "proposer_name": "Awa",
        "proposer_email": "Awa@Example.org",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(ActorProposalForm),
    }
    data.update(overrides)
    return data


def _proposals(portal) -> list[ActorProposal]:
    with schema_context(portal.schema_name):
        return list(ActorProposal.objects.order_by("pk"))


def test_a_proposal_waits_for_moderation_and_is_not_public(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    animator_of(alpha)
    browser = client_for(alpha)

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(PROPOSE, proposal_form())

    assert response.status_code == 302
    assert response["Location"] == "/acteurs/proposition-envoyee/"
    [proposal] = _proposals(alpha)
    assert proposal.status == ActorProposal.Status.PENDING
    assert proposal.proposer_email == "awa@example.org"
    assert "Repair café" not in browser.get("/acteurs/").text
    assert "Repair café" not in browser.get("/acteurs/", {"q": "Repair"}).text
    with schema_context(alpha.schema_name):
        assert not Actor.objects.filter(name__icontains="Repair").exists()


def test_the_animators_get_an_email_linking_to_the_queue_on_their_own_host(
    alpha, beta, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    animator = animator_of(alpha)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(alpha).post(PROPOSE, proposal_form())

    [message] = outbox
    [proposal] = _proposals(alpha)
    assert message.to == [animator.email]
    assert "Repair café des Lilas" in message.subject
    links = re.findall(r"https?://\S+", message.body)
    assert f"http://alpha.localhost:8000/admin/acteurs/propositions/moderer/{proposal.pk}/" in links
    assert not any("beta" in link for link in links)


def test_a_form_with_mistakes_is_answered_in_french_and_keeps_what_was_typed(alpha, client_for):
    response = client_for(alpha).post(
        PROPOSE,
        proposal_form(
            name="", latitude="quarante-huit", website="pas une adresse", proposer_email="x"
        ),
    )

    assert response.status_code == 400
    assert "Votre envoi n'est pas complet" in response.text
    assert "Saisissez un nombre, par exemple 48,8722." in response.text
    assert "Saisissez une adresse web" in response.text
    assert 'value="8 rue des Lilas"' in response.text
    assert "On répare ensemble" in response.text
    assert _proposals(alpha) == []


def test_latitude_without_longitude_is_refused(alpha, client_for):
    response = client_for(alpha).post(PROPOSE, proposal_form(longitude=""))

    assert response.status_code == 400
    assert "Donnez la latitude et la longitude, ou aucune des deux." in response.text


def test_robots_are_refused_like_on_the_classifieds(alpha, client_for):
    honeypot = client_for(alpha).post(PROPOSE, proposal_form(site_web="http://spam.example"))
    fresh = started_stamp(ActorProposalForm.stamp_name(), alpha.schema_name)
    too_fast = client_for(alpha).post(PROPOSE, proposal_form(**{STARTED_FIELD: fresh}))

    assert honeypot.status_code == 400
    assert "n&#x27;a pas pu être accepté" in honeypot.text
    assert too_fast.status_code == 400
    assert "très vite" in too_fast.text
    assert _proposals(alpha) == []


def test_proposing_too_often_from_one_address_is_refused(alpha, client_for):
    browser = client_for(alpha)
    for number in range(PROPOSALS_PER_IP.limit):
        data = proposal_form(name=f"Acteur {number}", proposer_email=f"v{number}@example.org")
        assert browser.post(PROPOSE, data).status_code == 302

    refused = browser.post(PROPOSE, proposal_form(proposer_email="autre@example.org"))

    assert refused.status_code == 400
    assert "Trop d&#x27;envois" in refused.text


def _propose_and_approve(portal, client_for, animator_of, **form: object):
    """A visitor's proposal, then the animator's "Accepter": the moderation's answer."""
    client_for(portal).post(PROPOSE, proposal_form(**form))
    [proposal] = _proposals(portal)
    admin = logged_in(client_for(portal), animator_of(portal))
    return admin.post(f"{QUEUE}moderer/{proposal.pk}/", {"decision": "approve", "note": ""})


def test_approving_a_proposal_creates_the_actor(alpha, client_for, animator_of):
    response = _propose_and_approve(alpha, client_for, animator_of)

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        actor = Actor.objects.get(name="Repair café des Lilas")
        assert actor.kind == Actor.Kind.THIRD_PLACE
        assert actor.theme_names() == ["environnement", "réparation"]
        assert str(actor.latitude) == "48.872100"
        assert (
            actor.description
            == "<p>On répare ensemble grille-pain et vélos.</p><p>Chaque samedi.</p>"
        )
        assert ActorProposal.objects.get().status == ActorProposal.Status.APPROVED
    assert "Repair café des Lilas" in client_for(alpha).get("/acteurs/").text


@pytest.mark.parametrize(
    ("theme", "taken_by"),
    [
        ("ﬃ" * 100, None),  # NFKC: each letter is three in the slug
        ("m" * 100, "M" * 100),  # the slug is another theme's: taggit adds "_1"
    ],
)
def test_a_theme_whose_address_would_outgrow_its_name_is_accepted_with_the_actor(
    alpha, client_for, animator_of, theme, taken_by
):
    if taken_by:
        with schema_context(alpha.schema_name):
            Tag.objects.create(name=taken_by)
    response = _propose_and_approve(alpha, client_for, animator_of, themes=f"{theme}, jardins")

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        actor = Actor.objects.get(name="Repair café des Lilas")
        assert sorted(actor.theme_names()) == sorted([theme, "jardins"])
        [long_slug] = [tag.slug for tag in actor.themes.all() if tag.name == theme]
    assert len(long_slug) <= 100
    # The theme's own address lists the actor, as any theme's does.
    directory = client_for(alpha).get("/acteurs/", {"theme": long_slug})
    assert directory.status_code == 200
    assert "Repair café des Lilas" in directory.text


def test_a_correction_starts_from_the_public_fields_and_changes_the_actor_once_accepted(
    alpha, client_for, animator_of
):
    with schema_context(alpha.schema_name):
        actor = Actor.objects.create(
            name="Boulangerie Saïd", kind=Actor.Kind.SHOP, notes="Ne pas appeler avant 10 h"
        )
    browser = client_for(alpha)
    form_page = browser.get(f"/acteurs/acteur/{actor.pk}/corriger/")
    browser.post(
        f"/acteurs/acteur/{actor.pk}/corriger/",
        proposal_form(name="Boulangerie Saïd", kind="shop", opening_hours="7 h à 20 h"),
    )
    [proposal] = _proposals(alpha)
    admin = logged_in(client_for(alpha), animator_of(alpha))
    screen = admin.get(f"{QUEUE}moderer/{proposal.pk}/")

    admin.post(f"{QUEUE}moderer/{proposal.pk}/", {"decision": "approve"})

    assert 'value="Boulangerie Saïd"' in form_page.text
    assert "Ne pas appeler" not in form_page.text
    assert "Actuellement" in screen.text
    with schema_context(alpha.schema_name):
        actor.refresh_from_db()
        assert actor.opening_hours == "7 h à 20 h"
        assert actor.notes == "Ne pas appeler avant 10 h"
        assert Actor.objects.count() == 1


def test_a_rejected_proposal_changes_nothing_and_cannot_be_decided_twice(
    alpha, client_for, animator_of
):
    client_for(alpha).post(PROPOSE, proposal_form())
    [proposal] = _proposals(alpha)
    admin = logged_in(client_for(alpha), animator_of(alpha))

    admin.post(f"{QUEUE}moderer/{proposal.pk}/", {"decision": "reject", "note": "Doublon"})
    again = admin.post(f"{QUEUE}moderer/{proposal.pk}/", {"decision": "approve"})

    assert again.status_code == 200
    with schema_context(alpha.schema_name):
        assert not Actor.objects.exists()
        assert ActorProposal.objects.get().status == ActorProposal.Status.REJECTED


def test_proposals_of_a_portal_are_invisible_from_another_portals_admin(
    alpha, beta, client_for, animator_of
):
    client_for(alpha).post(PROPOSE, proposal_form())
    [proposal] = _proposals(alpha)
    at_alpha = logged_in(client_for(alpha), animator_of(alpha))
    at_beta = logged_in(client_for(beta), animator_of(beta))

    queue_alpha = at_alpha.get(QUEUE)
    queue_beta = at_beta.get(QUEUE)
    moderate_from_beta = at_beta.post(f"{QUEUE}moderer/{proposal.pk}/", {"decision": "approve"})

    assert queue_alpha.status_code == 200
    assert "Repair café des Lilas" in queue_alpha.text
    assert queue_beta.status_code == 200
    assert "Repair café des Lilas" not in queue_beta.text
    assert moderate_from_beta.status_code == 404
    with schema_context(alpha.schema_name):
        assert ActorProposal.objects.get().status == ActorProposal.Status.PENDING


def test_a_visitor_cannot_reach_the_moderation_screen(alpha, client_for):
    client_for(alpha).post(PROPOSE, proposal_form())
    [proposal] = _proposals(alpha)

    response = client_for(alpha).post(f"{QUEUE}moderer/{proposal.pk}/", {"decision": "approve"})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    with schema_context(alpha.schema_name):
        assert not Actor.objects.exists()
