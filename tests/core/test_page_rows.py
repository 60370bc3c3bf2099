"""Pages read from the database (``PortalPage.from_db``) are the pages Wagtail makes: the
same fields, their tags and other child objects read and saved as before, a column left
out read when asked."""

import pytest
from django.db import connection
from django.db.models import Model
from django_tenants.utils import schema_context

from core.pages import _made_as_a_plain_model
from portal.factories import ArticlePageFactory
from portal.models import ArticlePage

pytestmark = pytest.mark.django_db


def _fields(page: Model) -> dict:
    return {field.attname: getattr(page, field.attname) for field in page._meta.concrete_fields}


def test_a_page_read_is_the_page_wagtails_constructors_make(alpha):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Nettoyage du square", slug="nettoyage-du-square")
        ours = ArticlePage.objects.get(slug="nettoyage-du-square")
        names = [field.attname for field in ArticlePage._meta.concrete_fields]
        values = [getattr(ours, name) for name in names]
        # Django's own ``Model.from_db``: the class called, every constructor run.
        wagtails = Model.from_db.__func__(ArticlePage, connection.alias, names, values)

    assert _made_as_a_plain_model(ArticlePage)
    assert _fields(ours) == _fields(wagtails)
    assert set(vars(ours)) - {"_state"} == set(vars(wagtails)) - {"_state"}
    assert ours._state.adding is False and ours._state.db == connection.alias


def test_a_page_reads_and_saves_its_tags(alpha, client_for):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Repair café", slug="repair-cafe")
        article.tags.add("réparation")
        article.save_revision().publish()

        read = ArticlePage.objects.get(pk=article.pk)
        assert list(read.tags.names()) == ["réparation"]
        read.tags.set(["vélo", "atelier"])
        read.save_revision().publish()

        assert sorted(ArticlePage.objects.get(pk=article.pk).tags.names()) == ["atelier", "vélo"]

    assert "atelier" in client_for(alpha).get("/actualites/repair-cafe/").text


def test_a_column_left_out_is_read_when_asked(alpha):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Fête de l'école", slug="fete-ecole", intro="<p>Samedi.</p>")
        page = ArticlePage.objects.defer("intro").get(slug="fete-ecole")

        assert "intro" in page.get_deferred_fields()
        assert page.intro == "<p>Samedi.</p>"


def test_a_class_with_a_constructor_of_its_own_is_made_by_it():
    # A mixin's constructor might set something on every page: not skipped.
    class Numbered:
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.number = 1

    assert not _made_as_a_plain_model(type("NumberedArticle", (Numbered, object), {}))
    assert _made_as_a_plain_model(ArticlePage)
