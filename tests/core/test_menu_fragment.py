"""The menu's HTML kept in the fragment cache and in each process
(core/templatetags/portal_navigation.py): its fragment key is the same in every portal
(each portal's site, cloned from the template, has the same id), so only the schema the
cache's key function adds keeps one portal's menu out of another's. Tried as an attacker
would: a section renamed in one portal, then the other portal's pages read, in both
orders, with the page cache off, fragments on and off; and a section renamed within one
second, every cache off."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django_tenants.utils import schema_context
from wagtail.models import Page

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Rubrique secrète d'Alpha"


def _menu(text: str) -> str:
    return text.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.fixture(params=[True, False], ids=["fragments", "every-cache-off"])
def fragments_only(settings, request) -> None:
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = request.param


def _rename_news_section(portal, title: str) -> str:
    """Publish the portal's news section under ``title``; returns its address."""
    with schema_context(portal.schema_name):
        section = Page.objects.get(slug="actualites").specific
        section.title = title
        section.save_revision().publish()
        return section.url


def test_a_section_renamed_in_one_portal_never_shows_in_anothers_menu(
    alpha, beta, client_for, fragments_only
):
    _rename_news_section(alpha, SECRET_TITLE)

    # Alpha's menu first, kept in the fragment cache; then beta's under the same parts.
    assert "Rubrique secrète" in _menu(client_for(alpha).get("/").text)
    beta_menu = _menu(client_for(beta).get("/").text)

    assert "Rubrique secrète" not in beta_menu
    assert "Actualités" in beta_menu


def test_a_marked_section_of_one_portal_marks_nothing_in_anothers_menu(
    alpha, beta, client_for, fragments_only
):
    # Beta's news section read first: its menu, with the section marked, is kept.
    beta_news = client_for(beta).get("/actualites/")
    assert 'aria-current="page"' in _menu(beta_news.text)
    _rename_news_section(alpha, SECRET_TITLE)

    alpha_news = _menu(client_for(alpha).get("/actualites/").text)

    assert "Rubrique secrète" in alpha_news
    assert "Actualités" not in alpha_news


def test_a_section_renamed_in_the_same_second_shows_at_its_new_address(alpha, client_for, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    visitor = client_for(alpha)

    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC), tick=False):
        before = _menu(visitor.get("/").text)
        with schema_context(alpha.schema_name):
            section = Page.objects.get(slug="actualites").specific
            section.title, section.slug = "Nouvelles du quartier", "nouvelles"
            section.save_revision().publish()
        after = _menu(visitor.get("/").text)

    assert 'href="/actualites/"' in before and "Actualités" in before
    assert 'href="/nouvelles/"' in after and "Nouvelles du quartier" in after
    assert "/actualites/" not in after
