"""Local actors: named on the articles and events that concern them, featured at home."""

import pytest
from django_tenants.utils import schema_context

from portal.factories import ArticlePageFactory, EventPageFactory
from portal.models import Actor
from tests.conftest import PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(alpha):
    with schema_context(alpha.schema_name):
        library = Actor.objects.create(
            name="Médiathèque des Lilas",
            kind=Actor.Kind.CULTURE,
            website="https://mediatheque.example.org/",
            featured=True,
            notes="Directrice difficile à joindre le lundi",
        )
        bakery = Actor.objects.create(name="Boulangerie Saïd", kind=Actor.Kind.SHOP)
        article = ArticlePageFactory(title="Lecture au marché", slug="lecture")
        article.actors.set([library, bakery])
        article.save_revision().publish()
        event = EventPageFactory(title="Conte du samedi", slug="conte")
        event.actors.set([library])
        event.save_revision().publish()
    return {"library": library, "bakery": bakery}


def test_article_and_event_name_the_actors_they_concern(actors, alpha, client_for):
    article = client_for(alpha).get("/actualites/lecture/").text
    event = client_for(alpha).get("/agenda/conte/").text

    assert 'href="https://mediatheque.example.org/">Médiathèque des Lilas</a>' in article
    assert "Boulangerie Saïd" in article
    assert "Médiathèque des Lilas" in event
    assert "Boulangerie Saïd" not in event


def test_home_features_only_the_actors_put_forward_and_never_their_private_notes(
    actors, alpha, client_for
):
    home = client_for(alpha).get("/").text

    assert "Les acteurs du quartier" in home
    assert "Médiathèque des Lilas" in home
    assert "Boulangerie Saïd" not in home
    assert "Directrice difficile" not in home


def test_another_portal_never_shows_these_actors(actors, beta, client_for):
    with schema_context(beta.schema_name):
        Actor.objects.create(name="Théâtre de Bêta", kind=Actor.Kind.CULTURE, featured=True)

    home = client_for(beta).get("/").text

    assert "Théâtre de Bêta" in home  # beta's own featured actor: the block is there
    assert "Médiathèque des Lilas" not in home


def test_animator_keeps_the_actors_in_the_admin_of_their_portal_only(
    actors, alpha, beta, animator_of, client_for
):
    at_alpha = client_for(alpha)
    at_alpha.post("/admin/login/", {"username": animator_of(alpha).username, "password": PASSWORD})
    pass_second_factor(at_alpha)
    at_beta = client_for(beta)
    at_beta.post("/admin/login/", {"username": animator_of(beta).username, "password": PASSWORD})
    pass_second_factor(at_beta)

    listing_alpha = at_alpha.get("/admin/snippets/portal/actor/")
    listing_beta = at_beta.get("/admin/snippets/portal/actor/")

    assert listing_alpha.status_code == 200
    assert "Médiathèque des Lilas" in listing_alpha.text
    assert listing_beta.status_code == 200
    assert "Médiathèque des Lilas" not in listing_beta.text
