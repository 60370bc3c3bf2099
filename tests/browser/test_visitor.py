"""A visitor reads a portal: home, an article, the agenda, and takes the agenda home."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seed_content

# django_db makes pytest-django set up the test database; what the server must see is
# committed by module fixtures, outside the test's own transaction.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def portal(make_portal, django_db_blocker):
    portal = make_portal("lecture", name="Lecture-sur-Seine")
    with django_db_blocker.unblock():
        return seed_content(portal)


def test_a_visitor_reads_the_news_and_takes_the_agenda_home(
    browser_page, origin, portal, shoot
) -> None:
    page = browser_page
    page.goto(origin(portal) + "/")
    expect(page).to_have_title(re.compile("Lecture-sur-Seine"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "accueil")

    page.get_by_role("navigation").get_by_role("link", name="Actualités").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actualités")
    first_article = page.locator("main .card h2 a").first
    title = first_article.inner_text()
    first_article.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    shoot(page, "article")

    page.get_by_role("navigation").get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    upcoming = page.locator("main .event-list h3 a")
    expect(upcoming.first).to_be_visible()
    shoot(page, "agenda")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter l'agenda à mon calendrier (iCal)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert upcoming.first.inner_text() in summaries
