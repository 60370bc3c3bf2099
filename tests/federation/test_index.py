"""The federation index stays exactly what the portals share, whatever they do."""

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context
from wagtail.models import Page

from portal.factories import ArticlePageFactory, MethodologyPageFactory
from portal.models import MethodologyIndexPage
from tenants.models import SharedEntry

pytestmark = pytest.mark.django_db


def index_of(portal) -> list[tuple[str, str]]:
    return sorted(SharedEntry.objects.filter(tenant=portal).values_list("title", "url"), key=str)


def test_publishing_a_sheet_adds_it_with_its_address_on_its_portal(alpha):
    with schema_context(alpha.schema_name):
        MethodologyPageFactory(title="Table ronde des mamans", slug="table-ronde")

    (entry,) = SharedEntry.objects.filter(tenant=alpha)
    assert entry.title == "Table ronde des mamans"
    assert entry.url == "http://alpha.localhost:8000/methodologie/table-ronde/"
    assert entry.kind == "methodology"
    assert entry.module == "workshop"


def test_republishing_updates_the_entry(alpha):
    with schema_context(alpha.schema_name):
        sheet = MethodologyPageFactory(title="Première version", slug="fiche")
        sheet.title = "Version revue"
        sheet.summary = "Après trois ateliers, ce qui a changé."
        sheet.save_revision().publish()

    (entry,) = SharedEntry.objects.filter(tenant=alpha)
    assert (entry.title, entry.summary) == (
        "Version revue",
        "Après trois ateliers, ce qui a changé.",
    )


def test_unpublishing_or_deleting_removes_the_entry(alpha):
    with schema_context(alpha.schema_name):
        first = MethodologyPageFactory(title="À dépublier")
        second = MethodologyPageFactory(title="À supprimer")
        published = [title for title, _url in index_of(alpha)]
        first.unpublish()
        Page.objects.get(pk=second.pk).delete()

    assert published == ["À dépublier", "À supprimer"]
    assert index_of(alpha) == []


def test_renaming_the_section_updates_the_address_of_its_sheets(
    alpha, django_capture_on_commit_callbacks
):
    with schema_context(alpha.schema_name):
        MethodologyPageFactory(title="Voyageuse", slug="voyageuse")
        section = MethodologyIndexPage.objects.get()
        section.slug = "nos-methodes"
        # Wagtail announces a new slug once the change is committed.
        with django_capture_on_commit_callbacks(execute=True):
            section.save_revision().publish()

    assert index_of(alpha) == [("Voyageuse", "http://alpha.localhost:8000/nos-methodes/voyageuse/")]


def test_moving_a_live_sheet_out_of_the_site_removes_it(alpha):
    with schema_context(alpha.schema_name):
        sheet = MethodologyPageFactory(title="Égarée", slug="egaree")
        published = index_of(alpha)
        root = Page.get_first_root_node()
        Page.objects.get(pk=sheet.pk).move(root, pos="last-child")

    assert published == [("Égarée", "http://alpha.localhost:8000/methodologie/egaree/")]
    assert index_of(alpha) == []


def test_an_article_is_shared_only_while_its_switch_is_on(alpha):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Article partagé", shared_with_network=True)
        ArticlePageFactory(title="Article local")
        shared = index_of(alpha)
        article.shared_with_network = False
        article.save_revision().publish()

    assert [title for title, _ in shared] == ["Article partagé"]
    assert index_of(alpha) == []


def test_sync_repairs_an_emptied_or_corrupted_index_and_a_second_run_changes_nothing(
    alpha, beta, capsys
):
    with schema_context(alpha.schema_name):
        MethodologyPageFactory(title="Fiche d'alpha")
    with schema_context(beta.schema_name):
        MethodologyPageFactory(title="Fiche de beta")
        MethodologyPageFactory(title="Fiche corrompue")
    expected = sorted(SharedEntry.objects.values_list("tenant_id", "page_id", "title", "url"))
    SharedEntry.objects.filter(tenant=alpha).delete()
    SharedEntry.objects.filter(title="Fiche corrompue").update(title="n'importe quoi", url="x")
    SharedEntry.objects.create(
        tenant=beta, page_id=999_999, kind="article", title="Fantôme", url="http://x/"
    )

    call_command("sync_federation_index")
    first_run = capsys.readouterr().out
    repaired = sorted(SharedEntry.objects.values_list("tenant_id", "page_id", "title", "url"))
    call_command("sync_federation_index")
    second_run = capsys.readouterr().out

    assert repaired == expected
    assert "1 ajoutée(s), 1 mise(s) à jour, 1 retirée(s)" in first_run
    assert "0 ajoutée(s), 0 mise(s) à jour, 0 retirée(s)" in second_run
    assert "portail 2/2" in first_run
