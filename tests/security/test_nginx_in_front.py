"""Through the repository's own nginx configuration (deploy/nginx), each visitor is
counted under the address nginx sees, whatever they write in X-Forwarded-For, and a
logged-in person is never served a page nginx cached for someone else.

The application is Django's live-server thread, in this process (same test database and
cache); nginx runs from the committed files (tests/nginx_front.py). Visitors connect from
their own loopback addresses (127.0.0.2, 127.0.0.3...), nginx itself from 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from classifieds.forms import POSTS_PER_IP
from portal.factories import ArticlePageFactory
from tenants.accounts import NetworkAccount
from tenants.models import Neighbourhood
from tenants.network_login import set_network_password
from tests.classifieds.conftest import SECTION, ad_form
from tests.conftest import PASSWORD, give_second_factor, next_code
from tests.nginx_front import NOT_INSTALLED, Visitor, nginx_in_front_of, nginx_installed
from tests.security.test_deploy_proxy import production_cookie_names

# django_db sets up the test database; what the server must see is committed by the
# module's fixtures, outside each test's own transaction. Each test uses visitor addresses
# of its own: the lockouts it causes, committed by the server, never meet another test's.
pytestmark = [
    pytest.mark.nginx,
    pytest.mark.django_db,
    pytest.mark.skipif(not nginx_installed(), reason=NOT_INSTALLED),
]

LOGIN = "/admin/login/"
CODE = "/admin/login/code/"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture(scope="module")
def portal(make_portal, django_db_blocker) -> Neighbourhood:
    portal = make_portal("relais", name="Relais-sur-Loire")
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        animator = get_user_model().objects.get(groups__name="Animateurs")
        animator.set_password(PASSWORD)
        animator.save(update_fields=["password"])
        # Their network password (as their invitation link makes it), and their app.
        set_network_password(animator, animator.password)
        give_second_factor(animator)
    return portal


@pytest.fixture(scope="module")
def animator(portal, django_db_blocker) -> str:
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        return get_user_model().objects.get(groups__name="Animateurs").username


@pytest.fixture(scope="module")
def nginx_port(django_db_setup, django_db_blocker) -> Iterator[int]:
    """nginx with the deployed configuration in front of a live server of the project."""
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    # The server's threads reach the database outside any test's own access window.
    with django_db_blocker.unblock():
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        with nginx_in_front_of(server.port) as port:
            yield port
        server.terminate()


@pytest.fixture
def visitor(nginx_port, portal):
    """A browser of the portal connecting to nginx from ``address``."""

    def make(address: str) -> Visitor:
        return Visitor(nginx_port, portal.get_primary_domain().domain, address)

    return make


def log_in(visitor: Visitor, username: str, password: str, forwarded: str = "") -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    data = {"username": username, "password": password}
    return visitor.post(LOGIN, data, headers)[0]


def test_failures_of_one_visitor_lock_that_visitor_only(visitor, animator):
    guesser, owner = visitor("127.0.0.2"), visitor("127.0.0.3")
    failures = [log_in(guesser, animator, "mauvais") for _ in range(LIMIT)]

    assert failures == [200] * (LIMIT - 1) + [429]
    assert log_in(guesser, animator, PASSWORD) == 429
    assert log_in(owner, animator, PASSWORD) == 302


def test_a_visitor_cannot_pick_the_address_they_are_counted_under(visitor, animator):
    guesser, owner = visitor("127.0.0.4"), visitor("127.0.0.5")
    # A new forged address at every try: still one visitor, locked out at the limit.
    for number in range(LIMIT):
        log_in(guesser, animator, "mauvais", forwarded=f"198.51.100.{number}")

    assert log_in(guesser, animator, PASSWORD, forwarded="198.51.100.77") == 429
    # Claiming the locked-out address does not lock the owner out either.
    assert log_in(owner, animator, PASSWORD, forwarded="127.0.0.4") == 302


def test_public_form_limits_count_each_visitor(visitor, portal):
    flooder, neighbour = visitor("127.0.0.6"), visitor("127.0.0.7")
    form = f"{SECTION}deposer/"

    def ad(number: int) -> dict:
        return ad_form(portal, author_email=f"voisin{number}@example.org")

    accepted = [flooder.post(form, ad(number))[0] for number in range(POSTS_PER_IP.limit)]
    refused_status, _, refused = flooder.post(form, ad(99))
    neighbour_status = neighbour.post(form, ad(100))[0]

    assert accepted == [302] * POSTS_PER_IP.limit
    assert refused_status == 400
    assert "Trop d&#x27;envois" in refused
    assert neighbour_status == 302


@pytest.fixture(scope="module")
def members_only_article(portal, django_db_blocker) -> str:
    """The address of an article only logged-in members may read."""
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        article = ArticlePageFactory(title="Compte rendu du bureau", slug="bureau")
        PageViewRestriction.objects.create(page=article, restriction_type="login")
        return article.url


@pytest.fixture(params=["development", "production"])
def session_cookie(request, settings) -> str:
    """The session cookie's name as the application sets it: ``quartiers_session`` in
    development, ``__Host-quartiers_session`` in production (read from the production
    settings), which nginx's map must recognise as well."""
    if request.param == "production":
        settings.SESSION_COOKIE_NAME = production_cookie_names()["session"]
    return settings.SESSION_COOKIE_NAME


def test_a_logged_in_visitor_is_never_served_a_page_nginx_cached(
    visitor, animator, session_cookie, members_only_article
):
    number = 8 if session_cookie == "quartiers_session" else 10
    anonymous, animator_browser = visitor(f"127.0.0.{number}"), visitor(f"127.0.0.{number + 1}")
    assert log_in(animator_browser, animator, PASSWORD) == 302
    device = NetworkAccount.objects.get(email=animator).second_factor
    assert animator_browser.post(CODE, {"code": next_code(device)})[0] == 302
    assert session_cookie in animator_browser.cookies

    anonymous.get("/")
    # The cache works: the anonymous visitor gets nginx's copy (UPDATING: a copy past its
    # few seconds, sent while one request refreshes it).
    assert anonymous.get("/")[1].get("x-proxy-cache") in ("HIT", "UPDATING")
    pages = [animator_browser.get("/") for _ in range(3)]
    status, _, page = animator_browser.get(members_only_article)

    assert [headers.get("x-proxy-cache") for _, headers, _ in pages] == ["BYPASS"] * 3
    assert [answer for answer, _, _ in pages] == [200] * 3
    # Signed in, through the same nginx: the members' page opens for the animator.
    assert status == 200
    assert "Compte rendu du bureau" in page
    assert anonymous.get(members_only_article)[0] == 302  # to the login page
