"""The network's podcast: the episodes portals share, read back the way podcast apps
read them (feedparser), on the federation's host only."""

from __future__ import annotations

import datetime

import feedparser
import pytest
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction

from core.page_cache import HEADER
from radio.demo import silent_mp3
from radio.factories import EpisodePageFactory, ShowPageFactory, StationPageFactory
from tenants.lifecycle import suspend
from tenants.models import Domain, Neighbourhood
from tests.conftest import logged_in
from tests.radio.conftest import episode_form

pytestmark = pytest.mark.django_db

PODCAST = "/reseau/podcast.rss"


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


@pytest.fixture
def show(alpha):
    """alpha's show for adults, with a square cover: its shared episode must be listed."""
    with schema_context(alpha.schema_name):
        show = ShowPageFactory(
            parent=StationPageFactory(title="Radio Alpha", slug="radio-alpha"),
            title="Les nuits du quartier",
            slug="les-nuits",
            explicit=True,
            cover=wagtail_factories.ImageFactory(
                title="Micro", file__width=1500, file__height=1500
            ),
        )
        EpisodePageFactory(
            parent=show,
            title="Dédicaces de minuit",
            slug="dedicaces",
            date=datetime.date(2026, 11, 20),
            description=(
                "<p>Musiques <i>du monde</i> &amp; dédicaces, l&#x27;antenne est à vous.</p>"
            ),
            duration=datetime.timedelta(minutes=52, seconds=30),
            shared_with_network=True,
        )
    return show


def read(client) -> tuple[bytes, feedparser.FeedParserDict]:
    response = client.get(PODCAST)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return response.content, feedparser.parse(response.content)


def test_the_network_podcast_has_what_podcast_apps_require(show, federation, client_for):
    content, feed = read(client_for(federation))

    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Le podcast du réseau · Fédération Quartiers"
    assert feed.feed.author == "Fédération Quartiers"
    assert feed.feed.image.href.startswith("http://federation.localhost:8000/media/federation/")
    assert len(feed.feed.podcast_guid) == 36
    [item] = feed.entries
    assert item.title == "Dédicaces de minuit (Portail Alpha)"
    assert item.link == "http://alpha.localhost:8000/radio-tv/radio-alpha/les-nuits/dedicaces/"
    assert item.author == "Portail Alpha"
    assert item.summary == (
        "Musiques du monde & dédicaces, l'antenne est à vous. Une émission de Portail Alpha."
    )
    assert item.itunes_duration == "00:52:30"
    assert b"<itunes:explicit>true</itunes:explicit>" in content  # the show is for adults
    assert item.image.href.startswith("http://alpha.localhost:8000/media/alpha/images/")
    assert item.id.startswith("urn:uuid:") and item.guidislink is False
    assert item.published_parsed[:3] == (2026, 11, 20)


def test_the_enclosure_is_the_sound_served_by_its_own_portal(show, alpha, federation, client_for):
    _, feed = read(client_for(federation))
    [enclosure] = feed.entries[0].enclosures

    sound = client_for(alpha).get(enclosure.href.removeprefix("http://alpha.localhost:8000"))

    assert enclosure.href.startswith("http://alpha.localhost:8000/media/alpha/radio/episodes/")
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == len(silent_mp3(1))
    assert sound.status_code == 200
    assert b"".join(sound.streaming_content) == silent_mp3(1)


def test_identifiers_do_not_depend_on_the_host_the_feed_is_asked_through(
    show, federation, client_for
):
    _, by_primary = read(client_for(federation))
    Domain.objects.create(domain="reseau.quartiers.localhost", tenant=federation, is_primary=False)
    try:
        _, by_alias = read(Client(HTTP_HOST="reseau.quartiers.localhost"))
    finally:
        Domain.objects.filter(domain="reseau.quartiers.localhost").delete()

    assert by_alias.feed.podcast_guid == by_primary.feed.podcast_guid
    assert [e.id for e in by_alias.entries] == [e.id for e in by_primary.entries]


def test_item_guid_survives_a_rename_and_a_move(show, alpha, federation, client_for):
    _, before = read(client_for(federation))
    with schema_context(alpha.schema_name):
        episode = Page.objects.get(slug="dedicaces").specific
        episode.title, episode.slug = "Dédicaces (rediffusion)", "rediffusion"
        episode.save_revision().publish()
        other = ShowPageFactory(parent=show.get_parent(), title="Micro jeunesse")
        Page.objects.get(pk=episode.pk).move(other, pos="last-child")

    _, after = read(client_for(federation))

    assert after.entries[0].title == "Dédicaces (rediffusion) (Portail Alpha)"
    assert "/micro-jeunesse/rediffusion/" in after.entries[0].link
    assert after.entries[0].id == before.entries[0].id


def test_publishing_the_show_updates_its_shared_episodes_flag(show, alpha, federation, client_for):
    with schema_context(alpha.schema_name):
        show.explicit = False
        show.save_revision().publish()

    content, _ = read(client_for(federation))

    assert content.count(b"<itunes:explicit>false</itunes:explicit>") == 2  # channel, item
    assert b"<itunes:explicit>true</itunes:explicit>" not in content


def test_unshared_hosted_draft_and_private_episodes_never_show(show, alpha, federation, client_for):
    with schema_context(alpha.schema_name):
        EpisodePageFactory(parent=show, title="Épisode local")  # not shared
        EpisodePageFactory(
            parent=show,
            title="Vidéo sur PeerTube",
            media_file="",
            embed_url="https://youtu.be/abc",
            shared_with_network=True,
        )  # no file of its own: nothing for a podcast app
        private = EpisodePageFactory(
            parent=show, title="Réservé à l'équipe", shared_with_network=True
        )
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        gone = EpisodePageFactory(parent=show, title="Retiré", shared_with_network=True)
        gone.unpublish()

    _, feed = read(client_for(federation))

    assert [entry.title for entry in feed.entries] == ["Dédicaces de minuit (Portail Alpha)"]


def test_a_suspended_portal_episodes_leave_the_cached_podcast(show, alpha, federation, client_for):
    visitor = client_for(federation)
    assert len(read(visitor)[1].entries) == 1
    assert visitor.get(PODCAST)[HEADER] == "HIT"

    suspend(Neighbourhood.objects.get(pk=alpha.pk), reason="Travaux")
    _, feed = read(visitor)

    assert feed.entries == []


def test_an_episode_shared_by_another_portal_joins_the_feed_newest_first(
    show, beta, federation, client_for
):
    with schema_context(beta.schema_name):
        EpisodePageFactory(
            title="Micro jeunesse à Beta",
            date=datetime.date(2026, 11, 25),
            shared_with_network=True,
        )

    _, feed = read(client_for(federation))

    assert [entry.title for entry in feed.entries] == [
        "Micro jeunesse à Beta (Portail Beta)",
        "Dédicaces de minuit (Portail Alpha)",
    ]


def test_an_animator_shares_an_episode_by_ticking_the_box_when_publishing(
    alpha, federation, animator_of, client_for
):
    with schema_context(alpha.schema_name):
        show = ShowPageFactory(title="La matinale")
    browser = logged_in(client_for(alpha), animator_of(alpha))

    def publish(title: str, slug: str, **fields: object) -> int:
        upload = SimpleUploadedFile(f"{slug}.mp3", silent_mp3(1), content_type="audio/mpeg")
        form = episode_form(title=title, slug=slug, media_file=upload, **fields)
        form["action-publish"] = "action-publish"
        return browser.post(f"/admin/pages/add/radio/episodepage/{show.pk}/", form).status_code

    statuses = [
        publish("Le marché en direct", "marche", shared_with_network="on"),
        publish("Réunion de rédaction", "redaction"),  # the box is off unless ticked
    ]
    _, feed = read(client_for(federation))

    assert statuses == [302, 302]
    assert [entry.title for entry in feed.entries] == ["Le marché en direct (Portail Alpha)"]
