"""Views nginx serves from its own cache are counted from the log it writes of them
(``count_proxy_views``), with the same rules as the application's: nothing counted twice,
robots and other hosts left out, and no cookie set on the way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import CommandError, call_command
from django.test.testcases import LiveServerThread
from django.utils import timezone

from audience.middleware import PAGE_HEADER
from tests.audience.conftest import BROWSER, article
from tests.conftest import host
from tests.nginx_front import NOT_INSTALLED, Visitor, nginx_in_front_of, nginx_installed

pytestmark = pytest.mark.django_db

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def line(portal, page_id: int, **fields: str) -> str:
    entry = {
        "day": timezone.localdate().isoformat(),
        "host": host(portal),
        "method": "GET",
        "status": "200",
        "page": str(page_id),
        "referer_host": "",
        "utm_source": "",
        "utm_medium": "",
        "agent": BROWSER,
        "purpose": "",
        "gpc": "",
        "dnt": "",
    }
    return json.dumps(entry | fields)


def test_the_log_of_nginx_cached_views_is_counted_then_deleted(alpha, beta, views, tmp_path):
    log = tmp_path / "quartiers-views.log"
    lines = [
        line(alpha, 11),
        line(alpha, 11, referer_host="www.qwant.com"),
        line(alpha, 11, referer_host=host(beta)),
        line(beta, 22, referer_host=host(beta)),
        line(alpha, 11, agent=GOOGLEBOT),  # a robot
        line(alpha, 11, purpose="prefetch"),
        line(alpha, 11, gpc="1"),  # the browser objects
        line(alpha, 11, dnt="1"),
        line(alpha, 11, status="404"),
        line(alpha, 11, page=""),  # no page: a feed, a file
        line(alpha, 11, page="12; DROP TABLE"),
        line(alpha, 11, host="inconnu.example.org"),
        line(alpha, 11, method="HEAD"),
        line(alpha, 11, day="hier"),
        "{pas du json",
        "",
    ]
    log.write_text("\n".join(lines) + "\n")

    call_command("count_proxy_views", str(log), stdout=None)

    assert not log.exists()
    assert views(alpha) == {(11, "direct"): 1, (11, "search"): 1, (11, "network"): 1}
    assert views(beta) == {(22, "internal"): 1}


def test_an_unknown_log_is_refused_in_french(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("count_proxy_views", str(tmp_path / "absent.log"))


@pytest.fixture(scope="module")
def views_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("nginx") / "quartiers-views.log"


@pytest.fixture(scope="module")
def nginx_port(django_db_setup, django_db_blocker, views_log) -> Iterator[int]:
    """nginx with the deployed configuration in front of a live server of the project."""
    if not nginx_installed():
        pytest.skip(NOT_INSTALLED)
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    with django_db_blocker.unblock():
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        with nginx_in_front_of(server.port, views_log=views_log) as port:
            yield port
        server.terminate()


@pytest.fixture(scope="module")
def page_behind_nginx(alpha, django_db_blocker):
    """An article committed, so that the live server's own connection sees it."""
    with django_db_blocker.unblock():
        return article(alpha, slug="derriere-nginx")


@pytest.mark.nginx
def test_views_served_by_nginx_cache_are_counted_once_each(
    alpha, page_behind_nginx, nginx_port, views_log, views
):
    page = page_behind_nginx
    reader = Visitor(nginx_port, host(alpha), "127.0.0.2")
    robot = Visitor(nginx_port, host(alpha), "127.0.0.3")

    answers = [reader.get(page.page_url, {"User-Agent": BROWSER}) for _ in range(3)]
    robot.get(page.page_url, {"User-Agent": GOOGLEBOT})

    statuses = [status for status, _, _ in answers]
    assert statuses == [200, 200, 200]
    # The first reached the application (counted there), the next came from nginx's cache.
    assert answers[0][1]["x-proxy-cache"] != "HIT"
    assert answers[1][1]["x-proxy-cache"] == "HIT"
    for _, headers, _ in answers:
        assert "set-cookie" not in headers
        assert headers[PAGE_HEADER.lower()] == str(page.pk)
    assert reader.cookies == {}
    logged = views_log.read_text()
    assert "127.0.0" not in logged  # no visitor address in nginx's log
    call_command("count_proxy_views", str(views_log), stdout=None)

    assert views(alpha) == {(page.pk, "direct"): 3}
