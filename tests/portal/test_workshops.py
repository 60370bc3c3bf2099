"""Participatory workshops keep their diagnosis and project seeds; residents see the seeds
and ask to join, and the group hears of it without its address ever being shown."""

import re

import pytest
from django_tenants.utils import schema_context

from core.abuse import STARTED_FIELD
from portal.factories import WorkshopPageFactory
from portal.models import Actor, ProjectSeed, ProjectSeedIndexPage
from portal.workshops.forms import JoinSeedForm
from tests.portal.conftest import form_opened_a_minute_ago

pytestmark = pytest.mark.django_db

SEEDS = "/graines-de-projet/"


def join_form(**overrides: object) -> dict:
    data = {
        "name": "Karim",
        "email": "Karim@Example.net",
        "message": "Je sais réparer les freins.",
        "consent": "on",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(JoinSeedForm),
    }
    data.update(overrides)
    return data


@pytest.fixture
def workshop(alpha):
    with schema_context(alpha.schema_name):
        bikes = Actor.objects.create(name="Atelier vélo", kind=Actor.Kind.THIRD_PLACE)
        landlord = Actor.objects.create(name="Office HLM", kind=Actor.Kind.LANDLORD)
        page = WorkshopPageFactory(
            title="Cartographier nos ressources",
            slug="cartographie",
            diagnosis=[
                ("brakes", ["Peu de lieux ouverts le soir"]),
                ("levers", ["Un bailleur prêt à aider"]),
                ("needs", ["Rouler en sécurité"]),
                ("resources", ["Des caves vides"]),
            ],
            seeds=[
                ProjectSeed(
                    title="Un atelier vélo au pied des tours",
                    status=ProjectSeed.Status.FORMING,
                    next_steps="Trouver un local",
                    residents="Samir\nJoëlle",
                    contact_email="groupe-velo@example.org",
                    actors=[bikes, landlord],
                ),
                ProjectSeed(title="Une fête des voisins", status=ProjectSeed.Status.IDEA),
            ],
        )
        page.participants = [bikes, landlord]
        page.save_revision().publish()
        seeds = {seed.title: seed for seed in ProjectSeed.objects.all()}
    return {"page": page, "seeds": seeds, "bikes": bikes}


def test_a_workshop_shows_its_participants_diagnosis_and_seeds(workshop, alpha, client_for):
    response = client_for(alpha).get(f"{SEEDS}cartographie/")

    assert response.status_code == 200
    for text in (
        "Atelier vélo",
        "Office HLM",
        "Freins",
        "Peu de lieux ouverts le soir",
        "Leviers",
        "Besoins",
        "Moyens",
        "Des caves vides",
        "Un atelier vélo au pied des tours",
        "Trouver un local",
    ):
        assert text in response.text
    assert "groupe-velo@example.org" not in response.text


def test_the_seeds_listing_shows_the_action_groups_but_never_their_address(
    workshop, alpha, client_for
):
    response = client_for(alpha).get(SEEDS)

    assert "Un atelier vélo au pied des tours" in response.text
    assert "Une fête des voisins" in response.text
    assert "Samir, Joëlle" in response.text
    assert f'href="/acteurs/acteur/{workshop["bikes"].pk}/">Atelier vélo</a>' in response.text
    assert "groupe-velo@example.org" not in response.text


def test_the_seeds_can_be_listed_by_status_and_odd_input_gives_a_page(workshop, alpha, client_for):
    browser = client_for(alpha)

    ideas = browser.get(SEEDS, {"etat": "idea"})
    odd = browser.get(SEEDS, {"etat": "<b>", "page": "zz"})

    assert "Une fête des voisins" in ideas.text
    assert "Un atelier vélo au pied des tours" not in ideas.text
    assert odd.status_code == 200
    assert "Un atelier vélo au pied des tours" in odd.text


def _join_and_confirm(client, seed, outbox) -> None:
    """Join as a resident, then confirm from the link e-mailed to the address given."""
    response = client.post(f"{SEEDS}graine/{seed.pk}/rejoindre/", join_form())
    assert response.status_code == 302
    [confirmation] = outbox
    assert confirmation.to == ["karim@example.net"]
    link = re.search(r"http://[^/\s]+(/\S*membre/confirmer/\S+/)", confirmation.body).group(1)
    outbox.clear()
    assert client.post(link).status_code in (200, 302)


def test_joining_a_seed_emails_its_group_with_the_residents_address_to_reply_to(
    workshop, alpha, client_for, outbox
):
    seed = workshop["seeds"]["Un atelier vélo au pied des tours"]

    _join_and_confirm(client_for(alpha), seed, outbox)

    [message] = outbox
    assert message.to == ["groupe-velo@example.org"]
    assert message.reply_to == ["karim@example.net"]


def test_a_seed_without_a_group_address_reaches_the_animators(
    workshop, alpha, client_for, outbox, animator_of
):
    animator = animator_of(alpha)
    seed = workshop["seeds"]["Une fête des voisins"]

    _join_and_confirm(client_for(alpha), seed, outbox)

    [message] = outbox
    assert message.to == [animator.email]


def test_the_join_form_refuses_robots_and_mistakes_in_french(workshop, alpha, client_for, outbox):
    seed = workshop["seeds"]["Un atelier vélo au pied des tours"]
    url = f"{SEEDS}graine/{seed.pk}/rejoindre/"

    robot = client_for(alpha).post(url, join_form(site_web="http://spam.example"))
    mistake = client_for(alpha).post(url, join_form(email="pas-un-mail"))

    assert robot.status_code == 400
    assert mistake.status_code == 400
    assert "Saisissez une adresse" in mistake.text
    assert "Je sais réparer les freins." in mistake.text
    assert outbox == []


@pytest.mark.parametrize("path", ["graine/999999/rejoindre/", "graine/abc/rejoindre/"])
def test_an_unknown_seed_is_a_404(workshop, alpha, client_for, path):
    assert client_for(alpha).get(f"{SEEDS}{path}").status_code == 404


def test_seeds_of_an_unpublished_workshop_are_not_shown_nor_joinable(workshop, alpha, client_for):
    with schema_context(alpha.schema_name):
        workshop["page"].unpublish()
    seed = workshop["seeds"]["Un atelier vélo au pied des tours"]

    listing = client_for(alpha).get(SEEDS)
    join = client_for(alpha).get(f"{SEEDS}graine/{seed.pk}/rejoindre/")

    assert "Un atelier vélo au pied des tours" not in listing.text
    assert join.status_code == 404


def test_another_portal_never_shows_nor_relays_these_seeds(workshop, beta, client_for, outbox):
    seed = workshop["seeds"]["Un atelier vélo au pied des tours"]

    listing = client_for(beta).get(SEEDS)
    join = client_for(beta).post(f"{SEEDS}graine/{seed.pk}/rejoindre/", join_form())

    assert "Un atelier vélo" not in listing.text
    assert join.status_code == 404
    assert outbox == []


def test_a_workshop_lives_only_in_the_project_seeds_section():
    from home.models import HomePage
    from portal.models import EventIndexPage, WorkshopPage

    assert WorkshopPage.allowed_parent_page_models() == [ProjectSeedIndexPage]
    assert WorkshopPage not in HomePage.allowed_subpage_models()
    assert WorkshopPage not in EventIndexPage.allowed_subpage_models()
