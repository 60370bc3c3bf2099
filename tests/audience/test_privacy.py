"""The audience sets no cookie and keeps nothing of the visitor: no address, no browser,
no referring address, no time of day; only a page, a day, a kind of referrer, a number."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from audience.models import PageViews
from core.page_cache import HEADER
from tests.audience.conftest import BROWSER, article, spool_root
from tests.conftest import host

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.42"
AGENT = BROWSER + " Quartiers-Empreinte/7.3"
REFERER = "https://www.google.fr/search?q=samia+benali+rue+des+lilas"


def test_public_pages_set_no_cookie_cached_or_not(alpha):
    page = article(alpha)
    reader = Client(HTTP_HOST=host(alpha), HTTP_USER_AGENT=BROWSER)

    for path in ("/", "/", page.page_url, page.page_url):
        response = reader.get(path, HTTP_REFERER=REFERER)
        assert response.status_code == 200
        assert response[HEADER] in ("MISS", "HIT")
        assert not response.cookies, (path, response[HEADER])
        assert "Set-Cookie" not in response
    assert reader.cookies == {}


def test_nothing_personal_is_stored_in_the_table_nor_on_the_way(alpha, views):
    page = article(alpha, title="Réunion publique")
    reader = Client(
        HTTP_HOST=host(alpha),
        HTTP_USER_AGENT=AGENT,
        HTTP_X_FORWARDED_FOR=ADDRESS,
        REMOTE_ADDR=ADDRESS,
    )

    reader.get(page.page_url, HTTP_REFERER=REFERER, HTTP_ACCEPT_LANGUAGE="fr-FR")
    reader.get(page.page_url + "?utm_source=infolettre&utm_campaign=mai-samia")

    # What waits to be folded: a kind and a page id a line.
    waiting = "".join(spool.read_text() for spool in spool_root().rglob("*.tally"))
    assert sorted(waiting.split("\n")) == ["", f"newsletter {page.pk}", f"search {page.pk}"]
    counts = views(alpha)
    assert counts == {(page.pk, "search"): 1, (page.pk, "newsletter"): 1}
    with schema_context(alpha.schema_name):
        with connection.cursor() as cursor:
            columns = [
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, PageViews._meta.db_table
                )
            ]
        rows = list(PageViews.objects.values_list())
    assert columns == ["id", "day", "page_id", "referrer", "views"]
    stored = repr(rows)
    for personal in (ADDRESS, "Quartiers-Empreinte", "google", "samia", "mai-samia", "fr-FR"):
        assert personal not in stored
