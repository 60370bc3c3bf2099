"""A Mastodon user finds a portal by ``@<slug>@<host>``: WebFinger, NodeInfo, the actor
document (by content negotiation on the home page's address), its outbox and followers,
in the shapes Mastodon reads; nothing of another portal, nothing private."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from portal.factories import ArticlePageFactory
from tests.conftest import host
from tests.fediverse.conftest import AP_ACCEPT, actor_of

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _webfinger(client, resource: str):
    return client.get("/.well-known/webfinger", {"resource": resource})


def test_webfinger_points_the_portals_handle_to_its_actor(alpha, client_for):
    answer = _webfinger(client_for(alpha), f"acct:{alpha.slug}@{host(alpha)}")

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/jrd+json")
    jrd = answer.json()
    assert jrd["subject"] == f"acct:{alpha.slug}@{host(alpha)}"
    self_link = next(link for link in jrd["links"] if link["rel"] == "self")
    assert self_link["type"] == "application/activity+json"
    assert self_link["href"] == actor_of(client_for(alpha))["id"]


def test_webfinger_knows_nobody_else_at_a_portals_host(alpha, beta, client_for):
    at_alpha = client_for(alpha)

    assert _webfinger(at_alpha, f"acct:{beta.slug}@{host(alpha)}").status_code == 404
    assert _webfinger(at_alpha, f"acct:{beta.slug}@{host(beta)}").status_code == 404
    assert _webfinger(at_alpha, f"acct:{alpha.slug}@{host(beta)}").status_code == 404
    assert _webfinger(at_alpha, "acct:admin@" + host(alpha)).status_code == 404
    assert _webfinger(at_alpha, "").status_code == 400
    assert at_alpha.get("/.well-known/webfinger").status_code == 400


def test_the_actor_document_has_what_mastodon_reads(alpha, client_for):
    answer = client_for(alpha).get("/", HTTP_ACCEPT=AP_ACCEPT)

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/activity+json")
    actor = answer.json()
    assert "https://www.w3.org/ns/activitystreams" in actor["@context"]
    assert actor["type"] == "Organization"
    assert actor["preferredUsername"] == alpha.slug
    assert actor["name"]
    for endpoint in ("inbox", "outbox", "followers"):
        assert actor[endpoint].startswith(actor["id"].rstrip("/") + "/ap/")
    assert actor["url"] == actor["id"]
    key = actor["publicKey"]
    assert key["owner"] == actor["id"] and key["id"].startswith(actor["id"])
    public = serialization.load_pem_public_key(key["publicKeyPem"].encode())
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048


def test_ld_json_with_the_activitystreams_profile_gets_the_actor_too(alpha, client_for):
    accept = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
    answer = client_for(alpha).get("/", HTTP_ACCEPT=accept)

    assert answer.json()["type"] == "Organization"


def test_each_portal_has_its_own_actor_and_key(alpha, beta, client_for):
    actor_a, actor_b = actor_of(client_for(alpha)), actor_of(client_for(beta))

    assert actor_a["id"] != actor_b["id"]
    assert actor_a["preferredUsername"] == alpha.slug and actor_b["preferredUsername"] == beta.slug
    assert actor_a["publicKey"]["publicKeyPem"] != actor_b["publicKey"]["publicKeyPem"]


def test_the_key_pair_is_made_once_and_its_private_half_never_shown(alpha, client_for):
    client = client_for(alpha)
    first, again = actor_of(client), actor_of(client)
    shown = [
        client.get("/", HTTP_ACCEPT=AP_ACCEPT).content,
        client.get("/").content,
        client.get("/ap/outbox?page=1").content,
        client.get("/ap/followers").content,
        client.get("/nodeinfo/2.1").content,
    ]

    assert first["publicKey"] == again["publicKey"]
    assert not any(b"PRIVATE KEY" in body for body in shown)


@pytest.mark.parametrize("ap_first", [True, False])
def test_the_page_cache_never_mixes_the_page_and_the_actor(alpha, client_for, settings, ap_first):
    settings.PAGE_CACHE_ENABLED = True
    client = client_for(alpha)

    def as_browser():
        return client.get("/", HTTP_ACCEPT=BROWSER_ACCEPT)

    def as_mastodon():
        return client.get("/", HTTP_ACCEPT=AP_ACCEPT)

    if ap_first:
        answers = [as_mastodon(), as_browser(), as_browser(), as_mastodon()]
    else:
        answers = [as_browser(), as_mastodon(), as_browser(), as_mastodon()]

    for answer in answers:
        assert "Accept" in answer["Vary"]
    browsers = [a for a in answers if a["Content-Type"].startswith("text/html")]
    actors = [a for a in answers if a["Content-Type"].startswith("application/activity+json")]
    assert len(browsers) == 2 and len(actors) == 2
    assert [a["X-Cache"] for a in browsers] == ["MISS", "HIT"]
    assert all(a.json()["type"] == "Organization" for a in actors)
    assert all(b"<html" in a.content for a in browsers)


def test_a_client_asking_any_page_for_json_ld_never_gets_nor_leaves_a_cached_page(
    alpha, client_for, settings
):
    settings.PAGE_CACHE_ENABLED = True
    with schema_context(alpha.schema_name):
        page = ArticlePageFactory(title="Article en cache")
        url = page.url
    client = client_for(alpha)

    first = client.get(url, HTTP_ACCEPT=AP_ACCEPT)
    browser = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)

    assert first["X-Cache"] == "BYPASS"
    assert browser["X-Cache"] == "MISS"


def _articles(portal):
    """A public article, a private one, a draft; returns their titles."""
    with schema_context(portal.schema_name):
        ArticlePageFactory(title="Public pour tous")
        private = ArticlePageFactory(title="Réservé aux connectés")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        draft = ArticlePageFactory(title="Brouillon en cours")
        draft.unpublish()


def test_the_outbox_holds_public_live_articles_only(alpha, client_for):
    _articles(alpha)
    client = client_for(alpha)

    collection = client.get("/ap/outbox").json()
    first_address = urlsplit(collection["first"])
    first = client.get(f"{first_address.path}?{first_address.query}")
    items = first.json()["orderedItems"]

    assert collection["type"] == "OrderedCollection"
    assert collection["totalItems"] == len(items) >= 1
    titles = [item["object"]["name"] for item in items]
    assert "Public pour tous" in titles
    assert "Réservé aux connectés" not in titles and "Brouillon en cours" not in titles
    create = items[titles.index("Public pour tous")]
    assert create["type"] == "Create" and create["object"]["type"] == "Article"
    assert create["actor"] == actor_of(client)["id"]
    assert "https://www.w3.org/ns/activitystreams#Public" in create["object"]["to"]


def test_an_outbox_page_that_does_not_exist_is_a_404(alpha, client_for):
    client = client_for(alpha)

    assert client.get("/ap/outbox?page=999").status_code == 404
    assert client.get("/ap/outbox?page=abc").status_code == 404
    assert client.get("/ap/outbox?page=0").status_code == 404


def test_nodeinfo_counts_public_pages_only(alpha, client_for):
    _articles(alpha)
    client = client_for(alpha)

    link = client.get("/.well-known/nodeinfo").json()["links"][0]
    document = client.get("/nodeinfo/2.1").json()

    assert link["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.1"
    assert link["href"].endswith("/nodeinfo/2.1")
    assert document["version"] == "2.1"
    assert document["software"]["name"] == "quartiers"
    assert document["protocols"] == ["activitypub"]
    assert document["usage"]["localPosts"] == client.get("/ap/outbox").json()["totalItems"]


def test_an_articles_object_is_json_for_mastodon_and_its_page_for_a_browser(alpha, client_for):
    with schema_context(alpha.schema_name):
        page = ArticlePageFactory(title="Vide-grenier")
        url = page.url
    client = client_for(alpha)

    as_json = client.get(f"/ap/articles/{page.pk}", HTTP_ACCEPT=AP_ACCEPT)
    as_page = client.get(f"/ap/articles/{page.pk}", HTTP_ACCEPT=BROWSER_ACCEPT)

    assert as_json.json()["type"] == "Article" and as_json.json()["name"] == "Vide-grenier"
    assert as_page.status_code == 302 and as_page["Location"].endswith(url)


def test_a_private_article_is_no_object(alpha, client_for):
    with schema_context(alpha.schema_name):
        private = ArticlePageFactory(title="Compte rendu interne")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    answer = client_for(alpha).get(f"/ap/articles/{private.pk}", HTTP_ACCEPT=AP_ACCEPT)

    assert answer.status_code in (404, 410)
    assert b"Compte rendu interne" not in answer.content


def test_an_article_of_another_portal_is_unknown_here(alpha, beta, client_for):
    with schema_context(beta.schema_name):
        page_b = ArticlePageFactory(title="Seulement chez B")

    answer = client_for(alpha).get(f"/ap/articles/{page_b.pk}", HTTP_ACCEPT=AP_ACCEPT)

    assert b"Seulement chez B" not in answer.content


def test_the_public_host_serves_no_actor(client_for):
    public = client_for(None)

    assert (
        public.get("/.well-known/webfinger", {"resource": "acct:alpha@localhost"}).status_code
        == 404
    )
    assert public.get("/", HTTP_ACCEPT=AP_ACCEPT)["Content-Type"].startswith("text/html")
