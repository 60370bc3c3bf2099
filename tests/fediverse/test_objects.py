"""What goes out, as Mastodon reads it: an article is an ``Article`` with its cover (an
image with its alt text), its tags as one-word hashtags, its language and a short
``preview`` ``Note``; a resident's blog post is a ``Note`` with no ``summary`` (Mastodon
would hide the post behind it as a content warning); an edit carries ``updated``
(Mastodon applies an ``Update`` only then).

Contract tests: the expected JSON is written out here as Mastodon's parser takes it
(``app/lib/activitypub/parser/status_parser.rb``, ``activity/create.rb``), and compared
with what a follower's server receives and what it fetches at the object's address.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django_tenants.utils import schema_context
from wagtail.models import Locale
from wagtail_factories import ImageFactory

from fediverse.documents import hashtag_name
from fediverse.factories import FollowerFactory
from portal.factories import ArticlePageFactory, BlogPageFactory, BlogPostPageFactory
from tenants.addresses import portal_base_url
from tests.fediverse.conftest import AP_ACCEPT

pytestmark = pytest.mark.django_db

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _contains(actual: Any, expected: Any, where: str = "") -> None:
    """``expected`` is part of ``actual``: every key it names, with that value (lists
    compared item by item)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not an object"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} is missing from {sorted(actual)}"
            _contains(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r}"
        for index, (got, wanted) in enumerate(zip(actual, expected, strict=True)):
            _contains(got, wanted, f"{where}[{index}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def _base(portal) -> str:
    return portal_base_url(portal)


def _sent(peer) -> list[dict]:
    return [json.loads(post.body) for post in peer.server.posts_to(peer.inbox_path)]


@pytest.fixture
def follower(peer):
    """The peer follows ``portal`` (its row made directly: the Follow is tested elsewhere)."""

    def follow(portal) -> None:
        with schema_context(portal.schema_name):
            FollowerFactory(actor_id=peer.actor_id, inbox=peer.inbox, shared_inbox="")

    return follow


def test_an_article_goes_out_with_its_cover_tags_language_and_preview(
    alpha, peer, follower, client_for
):
    follower(alpha)
    with schema_context(alpha.schema_name):
        cover = ImageFactory(title="Vide-grenier")
        page = ArticlePageFactory(
            title="Vide-grenier rue des Envierges",
            intro="<p>Samedi, rue des Envierges &amp; alentours : <b>venez</b>.</p>",
            cover=cover,
            cover_alt="Des tables chargées d'objets sur le trottoir",
        )
        page.tags.add("vide-grenier", "fête de quartier")
        page.save_revision().publish()
        page.refresh_from_db()
        url = page.url
    base = _base(alpha)
    summary = "Samedi, rue des Envierges & alentours : venez."
    content = "<p>Samedi, rue des Envierges &amp; alentours : venez.</p>"
    news = f"{base}/actualites/"
    image = {"mediaType": "image/jpeg", "name": "Des tables chargées d'objets sur le trottoir"}
    expected_article = {
        "id": f"{base}/ap/articles/{page.pk}",
        "type": "Article",
        "attributedTo": f"{base}/",
        "name": "Vide-grenier rue des Envierges",
        "summary": summary,
        "content": content,
        "contentMap": {"fr": content},
        "summaryMap": {"fr": summary},
        "url": f"{base}{url}",
        "to": [PUBLIC],
        "cc": [f"{base}/ap/followers"],
        "tag": [
            {
                "type": "Hashtag",
                "name": "#FêteDeQuartier",
                "href": f"{news}?tag=f%C3%AAte+de+quartier",
            },
            {"type": "Hashtag", "name": "#VideGrenier", "href": f"{news}?tag=vide-grenier"},
        ],
        "image": {"type": "Image", **image},
        "attachment": [{"type": "Document", **image}],
        "preview": {
            "type": "Note",
            "attributedTo": f"{base}/",
            "content": (
                f"<p>Vide-grenier rue des Envierges — Samedi, rue des Envierges &amp; "
                f'alentours : venez.</p><p><a href="{base}{url}">{base}{url}</a></p>'
            ),
            "attachment": [{"type": "Document", **image}],
        },
    }

    update = _sent(peer)[-1]
    fetched = client_for(alpha).get(f"/ap/articles/{page.pk}", HTTP_ACCEPT=AP_ACCEPT).json()

    for article in (update["object"], fetched):
        _contains(article, expected_article)
        # The picture is a rendition of the cover, served at that address by the portal.
        picture = article["attachment"][0]
        assert picture["url"].startswith(f"{base}/") and picture["width"] <= 1200
        served = client_for(alpha).get(picture["url"].removeprefix(base))
        assert served.status_code == 200
        assert served.getvalue()[:3] == b"\xff\xd8\xff"  # a JPEG, as mediaType says


def test_an_edited_article_says_when_it_was_updated(alpha, peer, follower):
    follower(alpha)
    with schema_context(alpha.schema_name):
        page = ArticlePageFactory(title="Réunion publique")
        page.refresh_from_db()
        page.title = "Réunion publique (reportée)"
        page.save_revision().publish()

    create, update = _sent(peer)

    assert "updated" not in create["object"]
    assert update["type"] == "Update" and update["object"]["id"] == create["object"]["id"]
    updated, published = (
        datetime.datetime.fromisoformat(update["object"][name]) for name in ("updated", "published")
    )
    assert updated > published
    assert update["object"]["name"] == "Réunion publique (reportée)"


def test_an_arabic_article_says_its_language(alpha, peer, follower):
    follower(alpha)
    with schema_context(alpha.schema_name):
        arabic, _ = Locale.objects.get_or_create(language_code="ar")
        french = ArticlePageFactory(title="Fête des voisins", slug="fete-des-voisins-ar")
        translation = french.copy_for_translation(arabic, copy_parents=True)
        translation.title = "عيد الجيران"
        translation.intro = "<p>يوم السبت في الحديقة</p>"
        translation.save_revision().publish()

    arabic_article = _sent(peer)[-1]["object"]

    _contains(
        arabic_article,
        {
            "name": "عيد الجيران",
            "nameMap": {"ar": "عيد الجيران"},
            "summaryMap": {"ar": "يوم السبت في الحديقة"},
            "contentMap": {"ar": "<p>يوم السبت في الحديقة</p>"},
        },
    )
    assert "/ar/" in arabic_article["url"]


def test_an_article_without_cover_or_tags_sends_no_empty_picture(alpha, peer, follower):
    follower(alpha)
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Brève")

    [create] = _sent(peer)

    assert "image" not in create["object"] and "attachment" not in create["object"]
    assert create["object"]["tag"] == []


def test_a_blog_post_goes_out_as_a_note_mastodon_shows_in_full(alpha, peer, follower):
    follower(alpha)
    with schema_context(alpha.schema_name):
        blog = BlogPageFactory(title="Le blog des jardiniers")
        cover = ImageFactory(title="Potager")
        post = BlogPostPageFactory(
            parent=blog,
            title="Les tomates sont là",
            intro="<p>Première récolte <i>au jardin</i> partagé.</p>",
            cover=cover,
            cover_alt="Des tomates dans un panier",
        )
        url = post.url
    base = _base(alpha)
    content = (
        "<p><strong>Les tomates sont là</strong></p><p>Première récolte au jardin partagé.</p>"
        f'<p><a href="{base}{url}">{base}{url}</a></p>'
    )

    [create] = _sent(peer)

    _contains(
        create,
        {
            "type": "Create",
            "actor": f"{base}/",
            "to": [PUBLIC],
            "object": {
                "id": f"{base}/ap/notes/{post.pk}",
                "type": "Note",
                "attributedTo": f"{base}/",
                "content": content,
                "contentMap": {"fr": content},
                "url": f"{base}{url}",
                "to": [PUBLIC],
                "cc": [f"{base}/ap/followers"],
                "sensitive": False,
                "attachment": [
                    {
                        "type": "Document",
                        "mediaType": "image/jpeg",
                        "name": "Des tomates dans un panier",
                    }
                ],
            },
        },
    )
    # A summary on a Note is a content warning in Mastodon: the post would be hidden.
    assert "summary" not in create["object"]
    assert "published" in create["object"] and "updated" not in create["object"]


@pytest.mark.parametrize(
    ("tag", "hashtag"),
    [
        ("quartier", "#quartier"),
        ("fête de quartier", "#FêteDeQuartier"),
        ("vide-grenier", "#VideGrenier"),
        ("jeunesse 2026", "#Jeunesse2026"),
        ("!!!", ""),
    ],
)
def test_a_tag_becomes_a_one_word_hashtag(tag, hashtag):
    assert hashtag_name(tag) == hashtag


def test_a_cover_whose_file_is_lost_leaves_the_article_going_out_without_it(alpha, peer, follower):
    follower(alpha)
    with schema_context(alpha.schema_name):
        cover = ImageFactory(title="Disparue")
        cover.file.delete(save=False)
        ArticlePageFactory(title="Sans image", cover=cover, cover_alt="Une image perdue")

    [create] = _sent(peer)

    assert create["object"]["name"] == "Sans image"
    assert "attachment" not in create["object"] and "image" not in create["object"]
