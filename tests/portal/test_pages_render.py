"""Every page type renders at its portal, in French, with its landmarks."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from portal.factories import (
    ArticlePageFactory,
    BlogPageFactory,
    BlogPostPageFactory,
    EventPageFactory,
)
from portal.models import ArticleIndexPage, JournalIssueItem, JournalIssuePage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pages(alpha, django_db_blocker):
    """One page of each type, written (committed) once for the module: every test only
    reads them, and alpha's schema goes back to the template's rows at the module's end
    (``make_portal``). Written before each test, they took 7 s of its 7.5 s."""
    with django_db_blocker.unblock(), schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Le square rouvre", slug="square")
        event = EventPageFactory(title="Table ronde du jeudi", slug="table-ronde")
        blog = BlogPageFactory(title="Carnet de Mireille", slug="carnet")
        post = BlogPostPageFactory(parent=blog, title="Mon marché", slug="marche")
        news = ArticleIndexPage.objects.get()
        issue = JournalIssuePage(title="Numéro un", slug="numero-un", number=1)
        issue.items = [JournalIssueItem(page=article), JournalIssueItem(page=post)]
        news.add_child(instance=issue)
        issue.save_revision().publish()
    return {"article": article, "event": event, "blog": blog, "post": post, "issue": issue}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "<h1>Portail Alpha</h1>"),
        ("/actualites/", "Le square rouvre"),
        ("/actualites/square/", "<h1>Le square rouvre</h1>"),
        ("/agenda/", "Table ronde du jeudi"),
        ("/agenda/table-ronde/", "<h1>Table ronde du jeudi</h1>"),
        ("/blogs/", "Carnet de Mireille"),
        ("/blogs/carnet/", "Mon marché"),
        ("/blogs/carnet/marche/", "<h1>Mon marché</h1>"),
        ("/actualites/numero-un/", "Journal participatif n° 1"),
        ("/methodologie/", "<h1>Méthodologie</h1>"),
        ("/petites-annonces/", "<h1>Petites annonces</h1>"),
        ("/radio-tv/", "<h1>Radio &amp; TV</h1>"),
    ],
)
def test_page_renders_with_its_content_and_landmarks(pages, alpha, client_for, path, expected):
    response = client_for(alpha).get(path)

    assert response.status_code == 200
    assert expected in response.text
    for landmark in ('<html lang="fr" dir="ltr">', "<main", 'role="banner"', 'href="#contenu"'):
        assert landmark in response.text


def test_journal_issue_gathers_its_pieces_in_order_with_a_print_stylesheet(
    pages, alpha, client_for
):
    response = client_for(alpha).get("/actualites/numero-un/")

    text = response.text
    assert text.index("Le square rouvre") < text.index("Mon marché")
    assert 'media="print"' in text


def test_article_page_has_open_graph_tags_with_its_own_host(pages, alpha, client_for):
    response = client_for(alpha).get("/actualites/square/")

    assert '<meta property="og:title" content="Le square rouvre">' in response.text
    assert 'content="http://alpha.localhost:8000/actualites/square/"' in response.text


def test_event_that_ends_before_it_starts_is_refused(alpha):
    with schema_context(alpha.schema_name):
        event = EventPageFactory.build(
            start=timezone.now(), end=timezone.now() - datetime.timedelta(hours=1)
        )
        with pytest.raises(Exception, match="La fin doit venir après le début"):
            event.full_clean()


@pytest.mark.parametrize(
    "path",
    [
        "/actualites/?page=9999",
        "/actualites/?page=-1",
        "/actualites/?tag=%3Cscript%3E",
        "/agenda/mois/1999-01/",
        "/agenda/mois/2026-00/",
        "/recherche/?q=" + "x" * 5000,
        "/recherche/?q=%00%27%22",
        "/actualites/?tag=a%00b",
        "/actualites/?categorie=%00",
    ],
)
def test_odd_queries_get_a_page_or_a_404_never_a_500(pages, alpha, client_for, path):
    response = client_for(alpha).get(path)

    assert response.status_code in (200, 404)
