"""The observatory's screens: each portal's animators read their own figures only, the
federation's staff read every portal side by side, and the exports say what the screens
say."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from audience.factories import PageViewsFactory
from portal.factories import ArticlePageFactory
from tenants.factories import DailyIndicatorFactory
from tenants.group_names import ANIMATORS, CONTRIBUTORS, FEDERATION_STAFF
from tenants.models import Neighbourhood
from tests.conftest import PASSWORD
from tests.federation.test_network_admin import logged_in, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/observatoire/"
NETWORK = "/admin/observatoire/reseau/"
ALPHA_ARTICLES = 7
BETA_ARTICLES = 918273  # a figure that cannot appear by chance


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


@pytest.fixture
def figures(alpha, beta) -> None:
    """Yesterday's articles of alpha and beta; alpha's subscribers over two days."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DailyIndicatorFactory(portal=alpha, day=yesterday, indicator="articles", value=ALPHA_ARTICLES)
    DailyIndicatorFactory(portal=beta, day=yesterday, indicator="articles", value=BETA_ARTICLES)
    DailyIndicatorFactory(
        portal=alpha, day=yesterday - datetime.timedelta(days=1), indicator="subscribers", value=40
    )
    DailyIndicatorFactory(portal=alpha, day=yesterday, indicator="subscribers", value=43)


def animator(portal: Neighbourhood, name: str = "anim"):
    return logged_in(portal, make_user(portal, f"{name}@{portal.schema_name}.example", ANIMATORS))


def refused(response) -> bool:
    """Wagtail's admin answers a refusal by sending back to its home (or to the login)."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"].startswith("/admin/")


def summary_value(html: str, key: str) -> str:
    """The period's value in the summary row of indicator ``key``."""
    row = html.split(f'data-indicator="{key}"', 1)[1].split("</tr>", 1)[0]
    return row.split("<td>", 2)[1].split("</td>", 1)[0].strip()


def test_an_animator_reads_their_portals_figures_with_charts_and_tables(alpha, figures):
    response = animator(alpha).get(DASHBOARD)

    assert response.status_code == 200
    html = response.text
    assert summary_value(html, "articles") == str(ALPHA_ARTICLES)
    # A snapshot's period value is its latest, not a sum of days.
    assert summary_value(html, "subscribers") == "43"
    assert '<svg role="img"' in html
    assert '<title id="titre-articles">Articles</title>' in html
    assert "7 au total" in html  # the chart's description says it in a sentence
    assert "Les données : Articles" in html  # its data table beside it


def test_another_portals_figures_never_show_whatever_the_query_says(alpha, beta, figures):
    browser = animator(alpha, "curieux")

    for query in ["", "?portail=beta", f"?portal={beta.pk}", "?tri=articles&slug=beta"]:
        response = browser.get(DASHBOARD + query)
        assert response.status_code == 200
        assert str(BETA_ARTICLES) not in response.text

    export = browser.get(DASHBOARD + "export.csv?portail=beta")
    assert str(BETA_ARTICLES) not in export.content.decode()
    assert refused(browser.get(NETWORK))
    assert refused(browser.get(NETWORK + "beta/"))
    assert refused(browser.get(NETWORK + "export.csv"))


def test_an_animators_session_does_not_open_another_portals_dashboard(alpha, beta, figures):
    browser = animator(alpha, "voyageur")
    browser.defaults["HTTP_HOST"] = beta.get_primary_domain().domain

    response = browser.get(DASHBOARD)

    assert response.status_code == 302  # to beta's login: sessions live in each portal
    assert "/admin/login/" in response["Location"]


def test_contributors_do_not_read_the_dashboard(alpha, figures):
    writer = logged_in(alpha, make_user(alpha, "plume@alpha.example", CONTRIBUTORS))

    assert refused(writer.get(DASHBOARD))
    assert refused(writer.get(DASHBOARD + "export.xlsx"))
    assert refused(writer.get(DASHBOARD + "bilan/"))
    assert "Observatoire" not in writer.get("/admin/").text


def test_a_wrong_period_gets_a_french_message_not_an_error(alpha, figures):
    browser = animator(alpha, "distrait")

    backwards = browser.get(DASHBOARD + "?debut=2026-05-10&fin=2026-05-01")
    garbage = browser.get(DASHBOARD + "?debut=hier&fin=%00&jours=mille")
    too_long = browser.get(DASHBOARD + "?debut=2000-01-01&fin=2026-01-01")
    year_one = [
        browser.get(f"{DASHBOARD}{view}?debut=0001-01-01&fin=0001-01-03")
        for view in ("", "export.csv", "bilan/")
    ]

    assert "La date de fin précède la date de début." in backwards.text
    assert garbage.status_code == 200
    assert "Choisissez une période de trois ans au plus." in too_long.text
    assert "à partir du 1er janvier 2000" in year_one[0].text
    # The export and the bilan cover the default period instead, as for any wrong one.
    assert [response.status_code for response in year_one] == [200, 200, 200]
    assert browser.get(DASHBOARD + "export.pdf").status_code == 404


def test_a_chosen_period_leaves_out_the_days_outside_it(alpha, figures):
    last_week = timezone.localdate() - datetime.timedelta(days=8)
    query = f"?debut={last_week - datetime.timedelta(days=3)}&fin={last_week}"

    response = animator(alpha, "archiviste").get(DASHBOARD + query)

    assert summary_value(response.text, "articles") == "0"


def test_the_csv_export_holds_the_portals_figures(alpha, figures):
    response = animator(alpha, "comptable").get(DASHBOARD + "export.csv?jours=7")

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Portail", "Indicateur", "Code"]
    by_key = {row[2]: row for row in rows[1:]}
    assert by_key["articles"][0] == alpha.name
    assert by_key["articles"][5] == str(ALPHA_ARTICLES)
    assert by_key["subscribers"][5] == "43"
    assert by_key["subscribers"][7] == "état en fin de période"


def test_the_xlsx_export_holds_the_same_figures_and_the_days(alpha, figures):
    response = animator(alpha, "tableur").get(DASHBOARD + "export.xlsx?jours=7")

    book = load_workbook(io.BytesIO(response.content))
    totals = {row[2]: row for row in book["Indicateurs"].iter_rows(min_row=2, values_only=True)}
    assert totals["articles"][5] == ALPHA_ARTICLES
    days = list(book["Détail"].iter_rows(min_row=2, values_only=True))
    assert sum(row[3] for row in days if row[1] == "Articles") == ALPHA_ARTICLES
    assert len([row for row in days if row[1] == "Articles"]) == 7


def test_a_formula_typed_as_a_portals_name_stays_text_in_the_csv(alpha, figures):
    Neighbourhood.objects.filter(pk=alpha.pk).update(name='=HYPERLINK("http://evil.example")')
    try:
        response = animator(alpha, "prudent").get(DASHBOARD + "export.csv")
    finally:
        Neighbourhood.objects.filter(pk=alpha.pk).update(name=alpha.name)

    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_a_formula_typed_as_a_portals_name_stays_text_in_the_xlsx(alpha, figures):
    formula = '=HYPERLINK("http://evil.example";"Cliquez")'
    Neighbourhood.objects.filter(pk=alpha.pk).update(name=formula)
    try:
        response = animator(alpha, "tableur-prudent").get(DASHBOARD + "export.xlsx")
    finally:
        Neighbourhood.objects.filter(pk=alpha.pk).update(name=alpha.name)

    book = load_workbook(io.BytesIO(response.content))
    names = [row[0] for row in book["Indicateurs"].iter_rows(min_row=2)]
    assert names and all(cell.data_type == "s" and cell.value == formula for cell in names)


def test_the_bilan_is_one_printable_page_of_the_periods_figures(alpha, figures):
    response = animator(alpha, "bilan").get(DASHBOARD + "bilan/?jours=30")

    html = response.text
    assert response.status_code == 200
    assert f"Bilan de {alpha.name}" in html
    assert "@media print" in html
    assert f"<td>{ALPHA_ARTICLES}</td>" in html
    assert '<html lang="fr">' in html


def test_federation_staff_compare_every_portal_and_the_networks_totals(
    alpha, beta, federation, figures
):
    staff = logged_in(federation, make_user(federation, "obs@federation.example", FEDERATION_STAFF))
    Neighbourhood.objects.filter(pk=alpha.pk).update(latitude=48.87, longitude=2.38)
    Neighbourhood.objects.filter(pk=beta.pk).update(latitude=48.89, longitude=2.36)

    response = staff.get(NETWORK + "?tri=articles&ordre=desc")

    html = response.text
    assert response.status_code == 200
    assert html.index('data-portal="beta"') < html.index('data-portal="alpha"')
    totals = html.split('id="totaux"', 1)[1].split("</tr>", 1)[0]
    assert f'data-column="articles">{ALPHA_ARTICLES + BETA_ARTICLES}<' in totals
    assert 'aria-sort="descending"' in html
    assert html.count('<circle class="obs-dot"') == 2
    assert f"Le plus actif : {beta.name}" in html  # the map's description
    ascending = staff.get(NETWORK + "?tri=articles&ordre=asc").text
    assert ascending.index('data-portal="alpha"') < ascending.index('data-portal="beta"')
    assert staff.get(NETWORK + "?tri=<script>").status_code == 200
    assert str(BETA_ARTICLES) in staff.get(NETWORK + "beta/").text
    assert staff.get(NETWORK + "inconnu/").status_code == 404
    assert staff.get(NETWORK + "federation/").status_code == 404


def test_the_network_export_lists_every_portal(alpha, beta, federation, figures):
    staff = logged_in(
        federation, make_user(federation, "export@federation.example", FEDERATION_STAFF)
    )

    response = staff.get(NETWORK + "export.csv?jours=7")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    articles = {row[0]: row[5] for row in rows[1:] if row[2] == "articles"}
    assert articles[alpha.name] == str(ALPHA_ARTICLES)
    assert articles[beta.name] == str(BETA_ARTICLES)


def test_the_federations_own_animators_are_not_its_staff(federation, figures):
    browser = animator(federation, "animfed")

    assert refused(browser.get(NETWORK))
    assert browser.get(DASHBOARD).status_code == 200  # their own portal's figures


def test_a_neighbourhoods_superuser_does_not_see_the_network(alpha, figures):
    with schema_context(alpha.schema_name):
        boss = get_user_model().objects.create_superuser("chef", "chef@alpha.example", PASSWORD)
    browser = logged_in(alpha, boss)

    assert refused(browser.get(NETWORK))


def test_the_dashboard_lists_the_portals_most_read_pages(alpha, beta, figures):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="La fresque du square")
        PageViewsFactory(page_id=article.pk, day=yesterday, views=57)
    with schema_context(beta.schema_name):
        theirs = ArticlePageFactory(title="Un secret de beta")
        PageViewsFactory(page_id=theirs.pk, day=yesterday, views=999)

    html = animator(alpha, "lecteur").get(DASHBOARD).text

    top = html.split('id="pages-les-plus-lues"', 1)[1].split("</div>", 1)[0]
    assert "La fresque du square" in top and "57 vues" in top
    assert "Un secret de beta" not in html
