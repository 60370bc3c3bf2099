"""Actors keep their own entry: a signed link (bound to the portal and the address it was
sent to, expiring) to propose changes or ask for removal; the animator sends the links in
bulk, sees the proposed values beside the current ones and decides; whoever proposed is
told; an actor's page suggests actors sharing its themes."""

import re

import pytest
from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction, Revision

from core.abuse import STARTED_FIELD
from portal.actors import tokens
from portal.actors.forms import ActorEntryForm, ActorRemovalForm
from portal.factories import WorkshopPageFactory
from portal.models import Actor, ActorProposal, ProjectSeed
from tenants.portal_secrets import portal_salt
from tests.conftest import host
from tests.portal.conftest import form_opened_a_minute_ago, logged_in

pytestmark = pytest.mark.django_db


def _actor(portal, **values) -> Actor:
    with schema_context(portal.schema_name):
        actor = Actor.objects.create(
            name=values.pop("name", "Les Amis du Square"),
            kind="association",
            address="3 rue du Square",
            contact_email=values.pop("contact_email", "bureau@amis.example.org"),
            notes="Trésorier peu joignable",
            **values,
        )
        actor.themes.add("jardin", "jeunesse")
        actor.save()
        return actor


def _link_of(portal, actor) -> str:
    with schema_context(portal.schema_name):
        return f"/acteurs/fiche/{tokens.actor_token(Actor.objects.get(pk=actor.pk))}/"


def entry_form(**overrides) -> dict:
    data = {
        "name": "Les Amis du Square",
        "kind": "association",
        "themes": "jardin, jeunesse",
        "description": "Nous entretenons le square.",
        "address": "3 rue du Square",
        "latitude": "",
        "longitude": "",
        "opening_hours": "Mercredi 14 h - 18 h",
        "website": "",
        "public_email": "",
        "public_phone": "",
        "message": "",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(ActorEntryForm),
    }
    data.update(overrides)
    return data


def test_the_bulk_action_emails_each_actor_its_own_link_on_its_portals_host(
    alpha, client_for, animator_of, outbox
):
    with_address = _actor(alpha)
    without = _actor(alpha, name="Sans adresse", contact_email="")
    browser = logged_in(client_for(alpha), animator_of(alpha))
    url = (
        "/admin/bulk/portal/actor/send_actor_entry_links/"
        f"?next=/admin/&id={with_address.pk}&id={without.pk}"
    )

    assert browser.get(url).status_code == 200
    response = browser.post(url)

    assert response.status_code == 302
    [message] = outbox
    assert message.to == ["bureau@amis.example.org"]
    assert "Mettez à jour votre fiche" in message.subject
    [link] = re.findall(r"https?://\S+", message.body)
    assert link.split("/")[2].split(":")[0] == host(alpha)
    assert "/acteurs/fiche/" in link


def test_an_actor_proposes_changes_the_animator_approves_a_revision_is_saved_and_actor_told(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    actor = _actor(alpha)
    visitor = client_for(alpha)
    link = _link_of(alpha, actor)

    page = visitor.get(link)
    assert page.status_code == 200
    assert "3 rue du Square" in page.text
    assert "Trésorier" not in page.text  # the team's private notes stay private
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(link, entry_form(opening_hours="Samedi 10 h - 12 h"))
    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        proposal = ActorProposal.objects.get(actor=actor)
        assert proposal.origin == ActorProposal.Origin.ACTOR
        assert proposal.proposer_email == "bureau@amis.example.org"
    assert "Samedi 10 h" not in visitor.get(f"/acteurs/acteur/{actor.pk}/").text

    animator = logged_in(client_for(alpha), animator_of(alpha))
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        animator.post(
            f"/admin/acteurs/propositions/moderer/{proposal.pk}/",
            {"decision": "approve", "note": "secret d'équipe"},
        )

    assert "Samedi 10 h - 12 h" in visitor.get(f"/acteurs/acteur/{actor.pk}/").text
    with schema_context(alpha.schema_name):
        assert Revision.objects.for_instance(Actor.objects.get(pk=actor.pk)).exists()
    [told] = outbox
    assert told.to == ["bureau@amis.example.org"]
    assert "acceptée" in told.subject
    assert "secret d'équipe" not in told.body


def test_the_moderation_screen_shows_proposed_values_beside_current_ones(
    alpha, client_for, animator_of
):
    actor = _actor(alpha, opening_hours="Mercredi après-midi")
    client_for(alpha).post(_link_of(alpha, actor), entry_form(opening_hours="Le samedi matin"))
    with schema_context(alpha.schema_name):
        proposal = ActorProposal.objects.get(actor=actor)
    animator = logged_in(client_for(alpha), animator_of(alpha))

    screen = animator.get(f"/admin/acteurs/propositions/moderer/{proposal.pk}/").text

    assert "Le samedi matin" in screen
    assert "Mercredi après-midi" in screen
    assert "Mise à jour par l&#x27;acteur" in screen or "Mise à jour par l'acteur" in screen


def test_an_actor_asks_for_removal_and_approval_removes_the_entry(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    actor = _actor(alpha)
    visitor = client_for(alpha)
    removal = _link_of(alpha, actor) + "retrait/"

    assert visitor.get(removal).status_code == 200
    visitor.post(
        removal,
        {
            "message": "Nous fermons.",
            "site_web": "",
            STARTED_FIELD: form_opened_a_minute_ago(ActorRemovalForm),
        },
    )
    with schema_context(alpha.schema_name):
        proposal = ActorProposal.objects.get(actor=actor, removal=True)
    assert "déjà envoyée" in visitor.get(removal).text

    animator = logged_in(client_for(alpha), animator_of(alpha))
    outbox.clear()
    animator.post(f"/admin/acteurs/propositions/moderer/{proposal.pk}/", {"decision": "approve"})

    assert visitor.get(f"/acteurs/acteur/{actor.pk}/").status_code == 404
    with schema_context(alpha.schema_name):
        assert not Actor.objects.filter(pk=actor.pk).exists()
    [told] = outbox
    assert "retirée" in told.body


def test_a_resident_is_told_when_their_proposal_is_declined(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    with schema_context(alpha.schema_name):
        proposal = ActorProposal.objects.create(
            name="Boulangerie Fictive", proposer_name="Awa", proposer_email="awa@example.org"
        )
    animator = logged_in(client_for(alpha), animator_of(alpha))

    with django_capture_on_commit_callbacks(execute=True):
        animator.post(f"/admin/acteurs/propositions/moderer/{proposal.pk}/", {"decision": "reject"})

    [told] = outbox
    assert told.to == ["awa@example.org"]
    assert "Boulangerie Fictive" in told.subject


def test_a_link_opens_nothing_at_another_portal(alpha, beta, client_for):
    actor = _actor(alpha)
    link = _link_of(alpha, actor)
    with schema_context(beta.schema_name):
        Actor.objects.create(
            pk=actor.pk, name="Autre acteur de beta", contact_email="bureau@amis.example.org"
        )

    response = client_for(beta).get(link)

    assert response.status_code == 404
    assert "Autre acteur" not in response.text
    assert client_for(beta).post(link, entry_form()).status_code == 404


def test_a_forged_expired_or_readdressed_link_opens_nothing(alpha, client_for):
    actor = _actor(alpha)
    link = _link_of(alpha, actor)
    visitor = client_for(alpha)

    forged = visitor.get(f"/acteurs/fiche/{actor.pk}/")
    with schema_context(alpha.schema_name):
        old = signing.TimestampSigner(salt=portal_salt("actors.update"))
        stale_value = old.sign(f"{actor.pk}.x")
        expired = urlsafe_base64_encode(force_bytes(stale_value))
        Actor.objects.filter(pk=actor.pk).update(contact_email="nouveau@amis.example.org")

    assert forged.status_code == 404
    assert visitor.get(f"/acteurs/fiche/{expired}/").status_code == 404
    # The entry's address changed: a link sent to the old one is dead.
    assert visitor.get(link).status_code == 404


def test_links_expire_after_thirty_days(alpha, monkeypatch):
    actor = _actor(alpha)
    with schema_context(alpha.schema_name):
        token = tokens.actor_token(Actor.objects.get(pk=actor.pk))
        assert tokens.actor_from_token(token) is not None
        monkeypatch.setattr(tokens, "ACTOR_LINK_MAX_AGE", -1)
        assert tokens.actor_from_token(token) is None


def test_an_actor_page_suggests_actors_sharing_its_themes(alpha, client_for):
    actor = _actor(alpha)
    with schema_context(alpha.schema_name):
        near = Actor.objects.create(name="Jardins partagés", kind="association")
        near.themes.add("jardin")
        near.save()
        far = Actor.objects.create(name="Garage solidaire", kind="sse")
        far.themes.add("mobilité")
        far.save()

    page = client_for(alpha).get(f"/acteurs/acteur/{actor.pk}/").text

    assert "Ils pourraient travailler ensemble" in page
    assert "Jardins partagés" in page
    assert "Garage solidaire" not in page


def test_private_contact_address_is_never_public(alpha, client_for):
    actor = _actor(alpha)
    visitor = client_for(alpha)

    for url in (f"/acteurs/acteur/{actor.pk}/", "/acteurs/", "/acteurs/geojson/"):
        assert "bureau@amis.example.org" not in visitor.get(url).text


def test_the_seeds_of_a_private_workshop_stay_off_the_actor_page(alpha, client_for):
    """A workshop restricted to the team keeps its seeds to itself: the actor's public
    page lists the seeds of public workshops only."""
    actor = _actor(alpha, name="Vélo-école")
    with schema_context(alpha.schema_name):
        public = WorkshopPageFactory(
            title="Atelier ouvert", seeds=[ProjectSeed(title="Graine au grand jour")]
        )
        private = WorkshopPageFactory(
            title="Atelier entre nous", seeds=[ProjectSeed(title="Graine confidentielle")]
        )
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        for workshop in (public, private):
            seed = ProjectSeed.objects.get(workshop=workshop)
            seed.actors.add(actor)  # a cluster's relation: written by the save below
            seed.save()

    page = client_for(alpha).get(f"/acteurs/acteur/{actor.pk}/").text

    assert "Graine au grand jour" in page
    assert "Graine confidentielle" not in page
    assert "Atelier entre nous" not in page
