"""Each portal's activity, folded day by day into the public schema (``rollup_activity``),
is what the network's list shows: counted once however often the fold runs, resumed after
a failure, and read in the same few queries whatever the number of portals."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from portal.factories import ArticlePageFactory
from tenants.group_names import FEDERATION_STAFF
from tenants.models import DailyIndicator, Neighbourhood
from tests.federation.test_network_admin import logged_in, make_user

pytestmark = pytest.mark.django_db

NETWORK = "/admin/reseau/"


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


def opened_days_ago(portal: Neighbourhood, days: int) -> None:
    """As if ``portal`` had been opened ``days`` ago from a template built before (its
    publications since then count, the template's do not)."""
    opened = timezone.now() - datetime.timedelta(days=days)
    Neighbourhood.objects.filter(pk=portal.pk).update(created_at=opened)
    with schema_context(portal.schema_name):
        Page.objects.exclude(last_published_at=None).update(
            last_published_at=opened - datetime.timedelta(days=1)
        )


def publish_article(portal: Neighbourhood, title: str, on: datetime.date) -> None:
    """An article of ``portal`` published (first and last) at noon on ``on``."""
    noon = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    with schema_context(portal.schema_name):
        article = ArticlePageFactory(title=title)
        # First published then too: the articles' own counter reads that date.
        Page.objects.filter(pk=article.pk).update(last_published_at=noon, first_published_at=noon)


def folded(portal: Neighbourhood, indicator: str) -> dict[datetime.date, int]:
    rows = DailyIndicator.objects.filter(portal=portal, indicator=indicator)
    return {row.day: row.value for row in rows}


def rollup(*args: str) -> str:
    out = StringIO()
    call_command("rollup_activity", *args, stdout=out)
    return out.getvalue()


def test_each_day_is_counted_once_however_often_the_rollup_runs(alpha, beta, today):
    yesterday = today - datetime.timedelta(days=1)
    opened_days_ago(alpha, 3)
    publish_article(alpha, "Le marché de Noël", on=yesterday)
    publish_article(alpha, "La fête de l'école", on=today)
    publish_article(alpha, "La chorale du samedi", on=today)

    first = rollup("--portal", "alpha")
    rows_after_first = DailyIndicator.objects.filter(portal=alpha).count()
    rollup("--portal", "alpha")
    rollup("--portal", "alpha")

    pages = folded(alpha, "pages")
    assert pages[yesterday] == 1
    assert pages[today] == 2
    assert sum(pages.values()) == 3
    assert DailyIndicator.objects.filter(portal=alpha).count() == rows_after_first
    assert folded(alpha, "editors")[today] >= 1  # the portal's first animator
    assert "alpha … 4 jour(s)" in first  # opened three days ago: four days, today's so far
    # Alpha's publications are alpha's alone.
    rollup("--portal", "beta")
    assert sum(folded(beta, "pages").values()) == 0


def test_a_run_resumes_from_the_last_day_it_folded(alpha, today):
    opened_days_ago(alpha, 10)
    rollup("--portal", "alpha", "--until", str(today - datetime.timedelta(days=5)))
    publish_article(alpha, "Le conseil citoyen", on=today - datetime.timedelta(days=2))

    report = rollup("--portal", "alpha")

    # The last day folded is folded again (it may have been folded under way), then on.
    assert "alpha … 6 jour(s)" in report
    assert folded(alpha, "pages")[today - datetime.timedelta(days=2)] == 1
    assert len(folded(alpha, "pages")) == 11


def test_a_portal_that_fails_is_named_the_others_are_folded_and_the_next_run_resumes_it(
    alpha, beta, today
):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE beta.wagtailcore_page RENAME TO wagtailcore_page_away")

    with pytest.raises(CommandError, match="Échec sur 1 portail\\(s\\) : beta"):
        rollup()

    assert today in folded(alpha, "pages")
    assert folded(beta, "pages") == {}
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE beta.wagtailcore_page_away RENAME TO wagtailcore_page")
    assert "beta … 1 jour(s)" in rollup("--portal", "beta")
    assert today in folded(beta, "pages")


def test_a_mistyped_day_is_answered_in_french():
    with pytest.raises(CommandError, match="illisible : écrivez-la AAAA-MM-JJ"):
        rollup("--until", "30/11/2026")


def test_the_network_list_shows_the_folded_month(alpha, federation, today):
    opened_days_ago(alpha, 40)
    publish_article(alpha, "Il y a trois semaines", on=today - datetime.timedelta(days=21))
    publish_article(alpha, "Il y a deux mois", on=today - datetime.timedelta(days=35))
    rollup("--portal", "alpha")
    browser = logged_in(
        federation, make_user(federation, "equipe@federation.example", FEDERATION_STAFF)
    )

    page = browser.get(NETWORK).text

    row = re.search(r'<tr data-portal="alpha">.*?</tr>', page, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[3] == "1"  # pages over 30 days: the one of three weeks ago
    three_weeks_ago = today - datetime.timedelta(days=21)
    assert any(
        f"{three_weeks_ago.day} " in cell and str(three_weeks_ago.year) in cell for cell in cells
    )
    assert "Activité rangée jusqu&#x27;au" in page or "Activité rangée jusqu'au" in page


def test_the_network_list_reads_the_same_queries_for_two_portals_or_two_hundred(
    alpha, beta, federation
):
    rollup()
    browser = logged_in(
        federation, make_user(federation, "equipe@federation.example", FEDERATION_STAFF)
    )
    browser.get(NETWORK)  # the session and the admin's menus, once
    with CaptureQueriesContext(connection) as few:
        few_page = browser.get(NETWORK)
    # Portals without a schema of their own: a list that visited each schema would fail.
    Neighbourhood.objects.bulk_create(
        [
            Neighbourhood(schema_name=f"fantome{n}", name=f"Fantôme {n}", city="Nulle part")
            for n in range(198)
        ]
    )
    with CaptureQueriesContext(connection) as many:
        many_page = browser.get(NETWORK)

    assert few_page.status_code == many_page.status_code == 200
    assert many_page.text.count("<tr data-portal=") == few_page.text.count("<tr data-portal=") + 198
    assert len(many) == len(few)
