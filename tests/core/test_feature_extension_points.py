"""A feature extends another's pages without that feature naming it: it adds sub-views to
a routable page type (``register_page_routes``) and sections to a page
(``{% added_sections %}``), from its own hooks alone."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.http import HttpResponse
from django.urls import path
from django_tenants.utils import schema_context
from wagtail import hooks

from portal.factories import EventPageFactory
from portal.models import EventPage

pytestmark = pytest.mark.django_db

EVENT = "/agenda/repair-cafe/"


@pytest.fixture
def event(alpha) -> EventPage:
    start = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=5)
    with schema_context(alpha.schema_name):
        return EventPageFactory(title="Repair café", slug="repair-cafe", start=start)


def _practical_information(page: EventPage, request) -> HttpResponse:
    return HttpResponse(f"Infos pratiques : {page.title}")


def _routes(page_class: type) -> list:
    if not issubclass(page_class, EventPage):
        return []
    return [path("infos-pratiques/", _practical_information, name="practical_information")]


def _forget_resolver() -> None:
    # Wagtail keeps a page class's resolver once built: built again, it reads the hooks.
    if "_routablepage_urlresolver" in EventPage.__dict__:
        del EventPage._routablepage_urlresolver


@pytest.fixture
def fresh_resolver() -> Iterator[None]:
    """EventPage's routes read again from the hooks in the test, and after it."""
    _forget_resolver()
    yield
    _forget_resolver()


def test_a_feature_adds_a_sub_view_under_an_event_address(event, alpha, client_for, fresh_resolver):
    with hooks.register_temporarily("register_page_routes", _routes):
        response = client_for(alpha).get(f"{EVENT}infos-pratiques/")
        reversed_path = event.reverse_subpage("practical_information")

    assert response.status_code == 200
    assert response.text == "Infos pratiques : Repair café"
    assert reversed_path == "infos-pratiques/"


def test_an_event_keeps_its_own_sub_views_before_added_ones(
    event, alpha, client_for, fresh_resolver
):
    # The page type's own routes come first: a feature cannot take its calendar file.
    taking_ical = lambda page_class: [path("ical/", _practical_information)]  # noqa: E731

    with hooks.register_temporarily("register_page_routes", taking_ical):
        response = client_for(alpha).get(f"{EVENT}ical/")

    assert response["Content-Type"].startswith("text/calendar")


def _volunteers_section(page: EventPage, request) -> tuple[str, dict]:
    return "core/tests/volunteers.html", {"volunteers": ["Awa", "Louis"]}


def test_a_feature_adds_a_section_to_an_event_page(event, alpha, client_for, tmp_path, settings):
    (tmp_path / "core" / "tests").mkdir(parents=True)
    (tmp_path / "core" / "tests" / "volunteers.html").write_text(
        "<section>Bénévoles : {{ volunteers|join:', ' }} · {{ page.title }}</section>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    with hooks.register_temporarily("register_event_page_sections", _volunteers_section):
        response = client_for(alpha).get(EVENT)

    assert response.status_code == 200
    # Rendered in the page's own context (page) plus the section's values.
    assert "<section>Bénévoles : Awa, Louis · Repair café</section>" in response.text
