"""Each view is filed under the kind of place it came from: a search engine, a social
network, another portal of the network, the infolettre, the portal itself, another site,
or nowhere (direct)."""

from __future__ import annotations

import pytest
from django.test import Client

from audience.models import Referrer
from audience.referrers import referrer_kind
from tests.audience.conftest import BROWSER, article
from tests.conftest import host

pytestmark = pytest.mark.django_db

OWN = "alpha.localhost"


@pytest.mark.parametrize(
    ("referer", "query", "kind"),
    [
        ("", {}, Referrer.DIRECT),
        ("https://www.google.fr/", {}, Referrer.SEARCH),
        ("https://www.google.co.uk/search?q=x", {}, Referrer.SEARCH),
        ("https://duckduckgo.com/", {}, Referrer.SEARCH),
        ("https://www.qwant.com/?q=quartier", {}, Referrer.SEARCH),
        ("https://www.bing.com/", {}, Referrer.SEARCH),
        ("https://www.ecosia.org/", {}, Referrer.SEARCH),
        ("https://mail.google.com/", {}, Referrer.OTHER),
        ("https://www.facebook.com/", {}, Referrer.SOCIAL),
        ("https://l.facebook.com/l.php?u=x", {}, Referrer.SOCIAL),
        ("https://t.co/abc", {}, Referrer.SOCIAL),
        ("https://mastodon.social/@quartier", {}, Referrer.SOCIAL),
        ("https://www.linkedin.com/", {}, Referrer.SOCIAL),
        ("", {"utm_medium": "social"}, Referrer.SOCIAL),
        ("", {"utm_source": "infolettre"}, Referrer.NEWSLETTER),
        ("https://webmail.free.fr/", {"utm_medium": "email"}, Referrer.NEWSLETTER),
        ("http://alpha.localhost:8000/actualites/", {}, Referrer.INTERNAL),
        ("https://www.alpha.localhost/", {}, Referrer.INTERNAL),
        ("https://asso-du-quartier.example.org/", {}, Referrer.OTHER),
        ("https://notgoogle.example/", {}, Referrer.OTHER),
        ("http://[::1", {}, Referrer.DIRECT),  # malformed: no host
        ("not a url", {}, Referrer.DIRECT),
    ],
)
def test_referrer_kinds(referer, query, kind):
    assert referrer_kind(OWN, referer, query) == kind


def test_another_portal_of_the_network_is_recognised_by_its_registered_host(alpha, beta):
    assert referrer_kind(host(alpha), f"https://{host(beta)}/agenda/", {}) == Referrer.NETWORK
    assert referrer_kind(host(alpha), "https://beta.example.org/", {}) == Referrer.OTHER


def test_a_view_coming_from_another_portal_counts_as_the_network(alpha, beta, views):
    page = article(alpha, slug="vu-du-reseau")
    reader = Client(HTTP_HOST=host(alpha), HTTP_USER_AGENT=BROWSER)

    reader.get(page.page_url, HTTP_REFERER=f"https://{host(beta)}/")
    reader.get(page.page_url, HTTP_REFERER="https://www.qwant.com/")
    reader.get(page.page_url, HTTP_REFERER=f"http://{host(alpha)}/")

    assert views(alpha) == {
        (page.pk, "network"): 1,
        (page.pk, "search"): 1,
        (page.pk, "internal"): 1,
    }
    assert views(beta) == {}
