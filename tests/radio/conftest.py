"""Fixtures of the radio tests: an oEmbed provider on 127.0.0.1, the editor's forms."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from tests.conftest import PASSWORD, pass_second_factor
from tests.local_server import LocalServer, local_server

PEERTUBE_HOST = "video.alpha.example"


class OEmbedHandler(BaseHTTPRequestHandler):
    """Answers like YouTube's and PeerTube's oEmbed endpoints, for any video address.

    An address containing "introuvable" gets a 404; one containing "piege" gets an
    answer whose player lives on another host, wrapped in a script.
    """

    server: OEmbedServer

    def do_GET(self) -> None:
        url = parse_qs(urlsplit(self.path).query).get("url", [""])[0]
        self.server.asked.append(url)  # the video asked about, whatever the endpoint
        video = url.rstrip("/").rsplit("/", 1)[-1].rsplit("=", 1)[-1]
        if "introuvable" in url:
            self.send_error(404)
            return
        if self.path.startswith("/peertube/"):
            player, provider = f"https://{PEERTUBE_HOST}/videos/embed/{video}", "PeerTube"
        else:
            player, provider = f"https://www.youtube.com/embed/{video}?feature=oembed", "YouTube"
        if "piege" in url:
            player = "https://pistage.example/player"
        html = (
            '<script src="https://pistage.example/track.js"></script>'
            f'<iframe width="560" height="315" src="{player}" frameborder="0" '
            'onload="alert(1)" allowfullscreen></iframe>'
        )
        body = json.dumps(
            {
                "type": "video",
                "version": "1.0",
                "title": f"Vidéo {video}",
                "provider_name": provider,
                "thumbnail_url": "https://pistage.example/miniature.jpg",
                "width": 560,
                "height": 315,
                "html": html,
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class OEmbedServer(LocalServer):
    """``tests.local_server.LocalServer`` answering as oEmbed providers; ``asked`` holds
    the video addresses it was asked about, in order."""

    handler = OEmbedHandler

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []


@pytest.fixture(scope="module")
def oembed_server() -> Iterator[OEmbedServer]:
    with local_server(OEmbedServer) as server:
        yield server


@pytest.fixture
def oembed_provider(oembed_server, settings) -> OEmbedServer:
    """YouTube's and PeerTube's oEmbed endpoints, answered on 127.0.0.1 (which outbound
    fetches refuse unless told otherwise: ``tests/security/test_outbound_fetches.py``)."""
    base = oembed_server.base
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.RADIO_OEMBED_ENDPOINTS = {
        "youtube": f"{base}/youtube/oembed",
        "peertube": f"{base}/peertube/services/oembed",
    }
    oembed_server.asked.clear()
    return oembed_server


@pytest.fixture
def editor(animator_of, client_for) -> Callable:
    """A browser logged into a portal's admin as its animator."""

    def login(portal) -> Client:
        animator = animator_of(portal)
        browser = client_for(portal)
        browser.post("/admin/login/", {"username": animator.username, "password": PASSWORD})
        pass_second_factor(browser)
        return browser

    return login


def episode_form(**fields: object) -> dict[str, object]:
    """What Wagtail's "add an episode" form posts, with ``fields`` filled in."""
    data = {
        "title": "Un épisode",
        "slug": "un-episode",
        "date": "2026-06-12",
        "description": rich_text(""),
        "duration": "00:30:00",
        "embed_url": "",
        "comments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)
