"""What a page shows beside its fields, read ahead in one round trip (``core.read_ahead``),
shows the same as when each feature asked on its own: with every cache off (where
everything is read ahead) and with the fragment cache on (where the footer and the
production credits come from their fragments)."""

import pytest
from django_tenants.utils import schema_context

from portal.education.models import ProductionCredit
from portal.factories import ArticlePageFactory, LearnerFactory, MediaEducationCyclePageFactory
from proposals.models import ProposalCredit
from reactions.factories import ReactionFactory
from reactions.models import ClosedReactions
from tests.portal.test_languages import translated  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

ANONYMOUS = "Un·e jeune du quartier"


@pytest.fixture(params=[False, True], ids=["every cache off", "fragments on"])
def fragments(request, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = request.param
    return request.param


def test_an_article_shows_its_credits_and_reactions_read_ahead(alpha, client_for, fragments):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Le marché du samedi", slug="marche-du-samedi")
        cycle = MediaEducationCyclePageFactory(title="Jeunes reporters", slug="jeunes-reporters")
        ProductionCredit.objects.create(
            learner=LearnerFactory(cycle=cycle, name="Inès Benali"), page=article
        )
        ProductionCredit.objects.create(
            learner=LearnerFactory(
                cycle=cycle,
                name="Yanis Boukhari",
                parent_name="Karima Boukhari",
                authorised_on="2026-10-01",
                may_show_name=True,
            ),
            page=article,
        )
        ProposalCredit.objects.create(page=article, name="Awa du bâtiment B")
        ReactionFactory(page=article, text="Enfin un article sur notre marché.")

    page = client_for(alpha).get("/actualites/marche-du-samedi/").text

    assert "Proposé par Awa du bâtiment B" in page
    assert "Yanis Boukhari" in page
    # A minor whose parent authorised nothing stays anonymous, read ahead or not.
    assert "Inès Benali" not in page
    assert ANONYMOUS in page
    assert "Enfin un article sur notre marché." in page


def test_an_article_whose_reactions_are_closed_shows_none_read_ahead(alpha, client_for, fragments):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Réunion publique", slug="reunion-publique")
        ReactionFactory(page=article, text="Une réaction d'avant la fermeture.")
        ClosedReactions.objects.create(page=article)

    page = client_for(alpha).get("/actualites/reunion-publique/").text

    assert "Une réaction d'avant la fermeture." not in page
    assert 'id="reactions"' not in page
    assert "Réunion publique" in page


@pytest.mark.usefixtures("translated", "fragments")
def test_the_language_switcher_read_ahead_offers_only_existing_translations(alpha, client_for):
    translated_page = client_for(alpha).get("/actualites/fete-des-voisins/").text
    french_only = client_for(alpha).get("/actualites/seulement-fr/").text
    home = client_for(alpha).get("/")

    assert 'href="/ar/actualites/fete-des-voisins/"' in translated_page
    assert "language-switcher" not in french_only
    assert home.status_code == 200
