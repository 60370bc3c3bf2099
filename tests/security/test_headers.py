"""Every response carries a Content-Security-Policy a visitor's browser can enforce
without breaking the page: no inline script on public pages, embeds only from the
accepted providers, a laxer policy only in the admin."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django_tenants.utils import schema_context
from wagtail.models import Page

from core.security import style_hash
from portal.factories import ArticlePageFactory, EventPageFactory
from radio.embeds import PROVIDERS
from radio.models import RadioSettings
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = [
    "/",
    "/actualites/",
    "/actualites/entretien-des-jardins/",
    "/agenda/",
    "/agenda/fete-des-voisins/",
    "/petites-annonces/",
    "/petites-annonces/deposer/",
    "/recherche/?q=jardin",
    "/page-inconnue/",
]


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in directives}


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, handlers, styles."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.handlers += [name for name in attributes if name.startswith("on")]
        if any((value or "").lower().startswith("javascript:") for value in attributes.values()):
            self.handlers.append("javascript:")
        data_only = attributes.get("type") in ("application/json", "application/ld+json")
        if tag == "script" and not attributes.get("src") and not data_only:
            self._in = "script"
        elif tag == "style":
            self._in = "style"

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.inline_scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = None


@pytest.fixture
def pages(alpha):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Entretien des jardins", slug="entretien-des-jardins")
        EventPageFactory(title="Fête des voisins", slug="fete-des-voisins")


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_run_no_inline_code_the_policy_would_block(alpha, pages, client_for, path):
    response = client_for(alpha).get(path)
    found = InlineCode()
    found.feed(response.text)
    csp = policy(response)

    assert response.status_code in (200, 404)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert found.inline_scripts == []
    assert found.handlers == []
    # The only inline style is the accent colour, allowed by its exact hash.
    assert all(style_hash(css) in csp["style-src"] for css in found.styles)
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/petites-annonces/", "/petites-annonces/deposer/"])
def test_the_accent_colour_still_applies_under_the_policy(alpha, client_for, path):
    response = client_for(alpha).get(path)
    found = InlineCode()
    found.feed(response.text)

    assert any("--accent" in css for css in found.styles)
    assert all(style_hash(css) in policy(response)["style-src"] for css in found.styles)


def test_frames_only_from_the_accepted_embed_providers(alpha, client_for):
    frames = policy(client_for(alpha).get("/"))["frame-src"]

    expected = {f"https://{host}" for p in PROVIDERS for host in p.player_hosts}
    assert expected <= set(frames)
    assert "https://www.youtube-nocookie.com" in frames
    assert "*" not in frames and "https:" not in frames
    assert set(frames) - expected == {"'self'"}


def test_a_portals_own_peertube_instance_is_allowed_in_frames_once_listed(alpha, beta, client_for):
    client_for(alpha).get("/")  # the list is remembered...
    with schema_context(alpha.schema_name):
        radio_settings = RadioSettings.load()
        radio_settings.peertube_hosts = "video.quartier-alpha.fr"
        radio_settings.save()  # ...and forgotten when the animator changes it

    at_alpha = policy(client_for(alpha).get("/"))["frame-src"]
    at_beta = policy(client_for(beta).get("/"))["frame-src"]

    assert "https://video.quartier-alpha.fr" in at_alpha
    assert "https://video.quartier-alpha.fr" not in at_beta


def test_network_directory_and_unknown_hosts_carry_the_policy(client_for):
    directory = client_for(None).get("/")
    unknown = client_for(None).get("/", HTTP_HOST="inconnu.localhost")

    assert policy(directory)["script-src"] == ["'self'"]
    assert "Content-Security-Policy" in unknown


def test_permissions_and_referrer_policies_on_every_page(alpha, client_for):
    response = client_for(alpha).get("/")

    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    # Other sites learn the portal a visitor came from, never the page (docs/audience.md).
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def animator_browser(alpha, animator_of, client_for):
    return logged_in(client_for(alpha), animator_of(alpha))


def test_admin_dashboard_and_page_editor_work_under_the_admin_policy(
    alpha, pages, animator_browser
):
    with schema_context(alpha.schema_name):
        article = Page.objects.get(slug="entretien-des-jardins")

    dashboard = animator_browser.get("/admin/")
    editor = animator_browser.get(f"/admin/pages/{article.pk}/edit/")

    assert dashboard.status_code == 200
    assert editor.status_code == 200
    assert "Entretien des jardins" in editor.text
    csp = policy(editor)
    # Wagtail's admin writes inline scripts; the admin's policy lets them run...
    assert "'unsafe-inline'" in csp["script-src"]
    # ...but still frames and connects only to what the portal accepts.
    assert "https://www.youtube-nocookie.com" in csp["frame-src"]
    assert csp["connect-src"] == ["'self'"]
    assert not re.search(r"gravatar|releases\.wagtail", editor.text)


def test_session_and_csrf_cookies_belong_to_the_portals_own_host(alpha, animator_of, client_for):
    animator = animator_of(alpha)
    response = client_for(alpha).post(
        "/admin/login/", {"username": animator.username, "password": PASSWORD}
    )

    session = response.cookies["quartiers_session"]
    assert session["domain"] == ""
    assert session["httponly"]
    assert session["samesite"] == "Lax"
