"""While PostgreSQL cannot be reached, visitors get a French 503 page that says to retry,
never a traceback; once it is back, pages are served again.

The database is really unreachable here: the connection is pointed at a folder with no
server socket, or its server process is ended from another connection. No test
transaction wraps these tests (they only read a committed portal), so that breaking the
connection breaks nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client

from core.outage import RETRY_AFTER_SECONDS
from tests.conftest import host


@pytest.fixture
def committed(alpha, django_db_blocker) -> Iterator[None]:
    """Database access without a test transaction (nothing here writes)."""
    with django_db_blocker.unblock():
        yield
        connection.close()


@contextmanager
def database_unreachable(nowhere: Path) -> Iterator[None]:
    """Point Django's connection at a socket folder where no server listens."""
    host = connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"] = str(nowhere)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["HOST"] = host


def visitor(portal) -> Client:
    """A browser: it gets the page the server answers, as gunicorn would send it."""
    return Client(HTTP_HOST=host(portal), raise_request_exception=False)


def assert_clean_outage_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Service momentanément indisponible" in response.text
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text
    assert "Content-Security-Policy" in response


def test_unreachable_database_gives_a_french_503_then_pages_come_back(alpha, committed, tmp_path):
    browser = visitor(alpha)
    with database_unreachable(tmp_path):
        # The host lookup itself (in the tenant middleware) cannot reach the registry.
        during = browser.get("/")

    after = browser.get("/")

    assert_clean_outage_page(during)
    assert after.status_code == 200


def test_connection_killed_while_serving_a_page_gives_a_503(alpha, committed):
    browser = visitor(alpha)
    assert browser.get("/").status_code == 200  # the host is now cached
    backend_pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(
        host=params["host"],
        port=params.get("port"),
        user=params["user"],
        dbname=params["dbname"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (backend_pid,))

    during = browser.get("/actualites/")
    # What Django does at the start of each request outside tests (CONN_HEALTH_CHECKS).
    connection.close_if_unusable_or_obsolete()
    after = browser.get("/actualites/")

    assert_clean_outage_page(during)
    assert after.status_code == 200


# Marked so that pytest-django sets the test database up when this module runs alone.
@pytest.mark.django_db
def test_other_errors_still_give_the_plain_500_page(rf):
    from core.outage import server_error

    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
