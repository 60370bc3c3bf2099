"""A rich-text link to a document of a private collection gives nothing away: on the
public page, in the section's feed and in the search results, the link is plain text,
without the document's address, file name or title.

Each test links a public document next to the private one: a page that dropped every
link, or every document, could not pass.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from portal.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def link_to(document, text: str) -> str:
    """A document link as Wagtail's editor stores it in rich text."""
    return f'<a linktype="document" id="{document.pk}">{text}</a>'


@pytest.fixture
def article_with_two_documents(alpha):
    """A public article whose intro and body link a public and a private document."""
    with schema_context(alpha.schema_name):
        board = Collection.get_first_root_node().add_child(name="Conseil de gestion")
        CollectionViewRestriction.objects.create(
            collection=board, restriction_type=CollectionViewRestriction.LOGIN
        )
        Document = get_document_model()
        public = Document(title="Programme de la fête des voisins")
        public.file.save("programme-fete.txt", ContentFile(b"Samedi 14 h\n"))
        private = Document(title="Litiges locataires bâtiment C", collection=board)
        private.file.save("litiges-batiment-c.txt", ContentFile(b"M. X, 3e etage\n"))
        links = (
            f"<p>Lisez {link_to(public, 'le programme')} et "
            f"{link_to(private, 'le relevé du conseil')} avant jeudi.</p>"
        )
        article = ArticlePageFactory(
            title="Préparer la fête des voisins",
            slug="fete-des-voisins",
            intro=links,
            body=[("paragraph", links)],
        )
        return {"url": article.url, "public": public, "private": private}


def assert_private_document_hidden(text: str, documents: dict) -> None:
    private = documents["private"]
    assert private.url not in text
    assert "litiges-batiment-c" not in text
    assert "Litiges locataires" not in text
    assert f"/documents/{private.pk}/" not in text


def test_article_links_the_public_document_and_names_the_private_one_as_plain_text(
    alpha, client_for, article_with_two_documents
):
    text = text_of(client_for(alpha), article_with_two_documents["url"])

    assert f'href="{article_with_two_documents["public"].url}"' in text
    # The editor's words stay, as text no one can follow.
    assert "<a>le relevé du conseil</a>" in text
    assert_private_document_hidden(text, article_with_two_documents)


def test_news_feed_gives_no_address_of_the_private_document(
    alpha, client_for, article_with_two_documents
):
    text = text_of(client_for(alpha), "/actualites/rss/")

    assert "Préparer la fête des voisins" in text
    assert_private_document_hidden(text, article_with_two_documents)


def test_search_results_give_no_address_of_the_private_document(
    alpha, client_for, article_with_two_documents
):
    text = text_of(client_for(alpha), "/recherche/?q=conseil")

    assert "Préparer la fête des voisins" in text
    assert_private_document_hidden(text, article_with_two_documents)


def test_link_comes_back_once_the_collection_is_public_again(
    alpha, client_for, article_with_two_documents
):
    with schema_context(alpha.schema_name):
        CollectionViewRestriction.objects.all().delete()

    text = text_of(client_for(alpha), article_with_two_documents["url"])

    assert f'href="{article_with_two_documents["private"].url}"' in text
