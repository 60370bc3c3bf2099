"""Each kind of portal gets its own sections: the federation no neighbourhood's
classifieds, radio or residents' blogs; a neighbourhood no "launch a media" page."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context
from wagtail.models import Page, PageLogEntry

from classifieds.models import ClassifiedsPage
from frontdoor.models import LaunchPage
from home.models import HomePage
from portal.models import BlogIndexPage
from radio.models import RadioPage
from tenants.default_portal import bring_portals_up_to_date
from tenants.extension_points import portal_sections
from tenants.models import Neighbourhood

pytestmark = pytest.mark.django_db

NEIGHBOURHOOD_MENU = ("Petites annonces", "Radio &amp; TV", "Blogs des habitants", "Participer")


def _menu(text: str) -> str:
    return text.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]


def test_federation_menu_has_no_classifieds_radio_or_blogs(federation, client_for):
    menu = _menu(client_for(federation).get("/").text)

    for title in NEIGHBOURHOOD_MENU:
        assert title not in menu
    assert "Lancer un média" in menu
    assert "Actualités" in menu


def test_federation_has_no_neighbourhood_section_pages_at_all(federation, client_for):
    visitor = client_for(federation)

    assert visitor.get("/petites-annonces/").status_code == 404
    assert visitor.get("/radio-tv/").status_code == 404
    assert visitor.get("/blogs/").status_code == 404
    with schema_context(federation.schema_name):
        assert not ClassifiedsPage.objects.exists()
        assert not RadioPage.objects.exists()

        # Every neighbourhoods' section the template held is gone, page and row, each
        # deletion logged as Wagtail logs one, and the tree still counts its children.
        withdrawn = [
            section for section in portal_sections() if not section.is_for(federation.kind)
        ]
        assert withdrawn
        for section in withdrawn:
            assert not section.model.objects.exists()
        logged = set(
            PageLogEntry.objects.filter(action="wagtail.delete").values_list("label", flat=True)
        )
        assert {str(section.title) for section in withdrawn} <= logged
        home = HomePage.objects.get()
        assert home.numchild == home.get_children().count()
        assert Page.find_problems() == ([], [], [], [], [])


def test_neighbourhood_keeps_its_sections_and_has_no_launch_page(alpha, client_for):
    visitor = client_for(alpha)
    menu = _menu(visitor.get("/").text)

    for title in NEIGHBOURHOOD_MENU:
        assert title in menu
    assert "Lancer un média" not in menu
    assert visitor.get("/lancer-un-media/").status_code == 404


def test_each_portal_records_the_sections_of_its_kind(alpha, federation):
    federation = Neighbourhood.objects.get(pk=federation.pk)
    alpha = Neighbourhood.objects.get(pk=alpha.pk)
    sections = portal_sections()

    assert set(federation.sections_offered) == {s.slug for s in sections if s.is_for("federation")}
    assert set(alpha.sections_offered) == {s.slug for s in sections if s.is_for("neighbourhood")}


def test_migrate_network_fits_a_federation_opened_as_a_neighbourhood(make_portal):
    # A federation opened before sections had kinds: the neighbourhoods' sections, with
    # content, and the neighbourhoods' home blocks.
    old = make_portal("ancienne", kind="federation", name="Ancienne fédération")
    with schema_context(old.schema_name):
        home = HomePage.objects.get()
        LaunchPage.objects.all().delete()
        blogs = BlogIndexPage(title="Blogs des habitants", slug="blogs", show_in_menus=True)
        home.add_child(instance=blogs)
        blogs.save_revision().publish()
        home.body = [("latest", {"source": "classifieds", "title": "", "count": 4})]
        home.save_revision().publish()
    Neighbourhood.objects.filter(pk=old.pk).update(
        sections_offered=["actualites", "agenda", "blogs", "petites-annonces"]
    )

    added = bring_portals_up_to_date(lambda line: None)

    with schema_context(old.schema_name):
        kept = BlogIndexPage.objects.get(pk=blogs.pk)
        assert not kept.live and not kept.show_in_menus  # withdrawn, never deleted
        assert LaunchPage.objects.live().exists()
        assert [block.block_type for block in HomePage.objects.get().body][:2] == [
            "hero",
            "pilots",
        ]
    assert "Lancer un média" in added[old.schema_name]
    assert "lancer-un-media" in Neighbourhood.objects.get(pk=old.pk).sections_offered
    # Run again: the staff's later choices stand (a blog section published again stays).
    with schema_context(old.schema_name):
        kept.save_revision().publish()
    assert old.schema_name not in bring_portals_up_to_date(lambda line: None)
    with schema_context(old.schema_name):
        assert BlogIndexPage.objects.get(pk=blogs.pk).live
