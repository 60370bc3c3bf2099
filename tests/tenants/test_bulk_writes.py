"""A block of bulk writes (a portal's demo content) leaves the search, the reference index
and the cached pages as up to date as row-by-row writes would, once the block ends."""

import pytest
import wagtail_factories
from django.db import transaction
from django_tenants.utils import schema_context
from wagtail.models import ReferenceIndex

from portal.factories import ArticlePageFactory, EventPageFactory
from portal.models import ArticlePage
from tenants.bulk_writes import bulk_writes

pytestmark = pytest.mark.django_db


def _search(client, words: str) -> str:
    return client.get("/recherche/", {"q": words}).text


def test_pages_written_in_a_block_are_found_by_the_search_once_it_ends(alpha, client_for):
    with schema_context(alpha.schema_name), bulk_writes():
        article = ArticlePageFactory(title="Le compost collectif des Lilas", slug="compost")
        article.title = "Le compost collectif des Lilas, saison deux"
        article.save_revision().publish()

    found = _search(client_for(alpha), "compost")

    assert "Le compost collectif des Lilas, saison deux" in found
    assert found.count('href="/actualites/compost/"') == 1


def test_pages_of_several_types_written_in_a_block_are_all_found(alpha, client_for):
    # Every type is indexed at the block's end, not only the first one saved (the demo's
    # pages once went unindexed: an image came first).
    with schema_context(alpha.schema_name), bulk_writes():
        wagtail_factories.ImageFactory(title="Affiche de la kermesse")
        ArticlePageFactory(title="Les gagnants de la kermesse", slug="kermesse")
        EventPageFactory(title="Kermesse de printemps", slug="kermesse-printemps")

    found = _search(client_for(alpha), "kermesse")

    assert "Les gagnants de la kermesse" in found
    assert "Kermesse de printemps" in found


def test_a_page_deleted_within_the_block_is_never_found(alpha, client_for):
    with schema_context(alpha.schema_name), bulk_writes():
        ArticlePageFactory(title="Brocante annulée du square", slug="brocante").delete()

    assert "Brocante annulée du square" not in _search(client_for(alpha), "brocante")


def test_an_image_used_in_a_block_shows_the_page_that_uses_it(alpha):
    with schema_context(alpha.schema_name):
        with bulk_writes():
            cover = wagtail_factories.ImageFactory(title="Fresque de la rue Piat")
            article = ArticlePageFactory(
                title="La fresque est finie", cover=cover, cover_alt="Une fresque colorée"
            )
        users = {
            reference.object_id
            for reference in ReferenceIndex.get_references_to(cover)
            if reference.content_type.model_class() is ArticlePage
            or issubclass(reference.content_type.model_class(), ArticlePage)
        }

    assert users == {str(article.pk)}


def test_a_cached_home_page_shows_what_the_block_published(alpha, client_for):
    client = client_for(alpha)
    client.get("/")  # cached before the block
    with schema_context(alpha.schema_name), transaction.atomic(), bulk_writes():
        ArticlePageFactory(title="Ouverture de la ludothèque")

    assert "Ouverture de la ludothèque" in client.get("/").text


def test_outside_a_block_each_save_is_searchable_at_once(alpha, client_for):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Permanence logement du mardi")

    assert "Permanence logement du mardi" in _search(client_for(alpha), "permanence")


def _reference_rows() -> set[tuple]:
    return set(
        ReferenceIndex.objects.values_list(
            "content_type_id",
            "base_content_type_id",
            "object_id",
            "to_content_type_id",
            "to_object_id",
            "model_path",
            "content_path",
            "content_path_hash",
        )
    )


def test_a_cover_changed_in_a_block_moves_the_page_to_the_new_images_uses(alpha):
    # The block writes the index in one go (tenants.bulk_writes._write_references): the
    # rows it adds and removes are those Wagtail's own indexing would leave.
    with schema_context(alpha.schema_name):
        with bulk_writes():
            old, new = wagtail_factories.ImageFactory.create_batch(2)
            article = ArticlePageFactory(
                title="Le jardin partagé", cover=old, cover_alt="Le jardin en avril"
            )
        with bulk_writes():
            article.cover = new
            article.save_revision().publish()
        written = _reference_rows()
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(ArticlePage.objects.get(pk=article.pk))
        rewritten = _reference_rows()
        users_of_old = {ref.object_id for ref in ReferenceIndex.get_references_to(old)}
        users_of_new = {ref.object_id for ref in ReferenceIndex.get_references_to(new)}

    assert rewritten == written
    assert users_of_old == set()
    assert users_of_new == {str(article.pk)}
