"""A portal suspended or reactivated from the shell is seen by every server process within
``TENANT_REGISTRY_RECHECK_SECONDS`` (a second by default), not after the host cache's
lifetime; the process that makes the change sees it at once.

The command runs in a process of its own, as an operator's would; this process plays a
server worker that has just served the portal (its host is in its local cache)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test import Client

from core.page_cache import HEADER
from tenants import host_cache
from tenants.models import Domain, Neighbourhood, NetworkAction

pytestmark = pytest.mark.django_db


def database_url() -> str:
    """This test database, as another process reaches it."""
    db = connection.settings_dict
    return (
        f"postgres://{quote(db['USER'], safe='')}:{quote(db['PASSWORD'] or '', safe='')}"
        f"@{quote(str(db['HOST']), safe='')}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"
    )


def run_in_another_process(*arguments: str) -> subprocess.CompletedProcess:
    """``manage.py <arguments>`` in a process of its own, on this test database and the
    cache files this test process shares with it (as a server's workers share them)."""
    shared = Path(django_settings.CACHES["network"]["LOCATION"]).parent
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "PAGE_CACHE_DIR": str(shared),
        "SUDO_USER": "alice",
    }
    return subprocess.run(  # noqa: S603 -- our own manage.py, fixed arguments
        [sys.executable, "manage.py", *arguments],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        # A hang guard only: a cold start of Django took over 120 s on a loaded machine.
        timeout=600,
        check=True,
    )


@pytest.fixture
def long_host_cache(settings):
    """Host lookups remembered for an hour: only the shared generation can forget them."""
    settings.TENANT_HOST_CACHE_SECONDS = 3600
    settings.TENANT_REGISTRY_RECHECK_SECONDS = RECHECK_SECONDS


RECHECK_SECONDS = 0.3


def after_the_bound() -> None:
    """Let the time another process's change may take to be seen here go by."""
    time.sleep(RECHECK_SECONDS + 0.05)


def test_a_suspension_by_the_command_is_seen_within_the_bound_then_the_reactivation_too(
    alpha, client_for, long_host_cache
):
    browser = client_for(alpha)
    assert browser.get("/").status_code == 200  # this process now remembers alpha's host

    suspended = run_in_another_process("portal_status", "alpha", "suspended")
    after_the_bound()
    after_suspension = [browser.get("/").status_code for _ in range(3)]
    run_in_another_process("portal_status", "alpha", "active")
    after_the_bound()
    after_reactivation = [browser.get("/").status_code for _ in range(3)]

    assert "Suspendu" in suspended.stdout
    assert after_suspension == [503, 503, 503]
    assert after_reactivation == [200, 200, 200]
    assert list(
        NetworkAction.objects.filter(portal="alpha", who="shell:alice")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    ) == ["suspend", "reactivate"]


def test_the_generation_another_process_bumps_is_what_forgets_this_ones_hosts(
    alpha, long_host_cache
):
    assert host_cache.tenant_for_host("alpha.localhost").status == "active"
    # The row changes behind this process's back (no signal here), as when another
    # process changes it: the local entry would be served for an hour...
    Neighbourhood.objects.filter(pk=alpha.pk).update(status=Neighbourhood.Status.SUSPENDED)
    assert host_cache.tenant_for_host("alpha.localhost").status == "active"

    # ...until the shared generation moves (what the other process's save does) and this
    # process reads it again, within the bound.
    caches[host_cache.SHARED_CACHE_ALIAS].incr(host_cache.GENERATION_KEY)
    after_the_bound()

    assert host_cache.tenant_for_host("alpha.localhost").status == "suspended"


def test_the_process_that_suspends_a_portal_refuses_it_at_its_next_request(
    alpha, client_for, long_host_cache, settings
):
    settings.TENANT_REGISTRY_RECHECK_SECONDS = 3600  # only this process's own change counts
    browser = client_for(alpha)
    assert browser.get("/").status_code == 200

    portal = Neighbourhood.objects.get(pk=alpha.pk)
    portal.status = Neighbourhood.Status.SUSPENDED
    portal.save()

    assert browser.get("/").status_code == 503


def test_a_host_taken_away_by_another_process_stops_serving_its_cached_pages_within_the_bound(
    alpha, client_for, long_host_cache
):
    old_host = client_for(alpha)
    old_host.get("/")
    assert old_host.get("/")[HEADER] == "HIT"  # the page is in the page cache, the host here

    # Another process gives the portal another host name (no signal in this process: only
    # the shared registry generation it bumps reaches it).
    Domain.objects.filter(tenant=alpha, domain="alpha.localhost").update(
        domain="alpha-nouveau.localhost"
    )
    caches[host_cache.SHARED_CACHE_ALIAS].incr(host_cache.GENERATION_KEY)
    after_the_bound()
    gone = old_host.get("/")
    new_host = Client(HTTP_HOST="alpha-nouveau.localhost").get("/")

    # The cached page is no longer served on the old name, even though it is still stored.
    assert gone.status_code == 404
    assert gone.get(HEADER) != "HIT"
    # The portal under its new name: its own entry, rendered afresh.
    assert new_host.status_code == 200
    assert new_host[HEADER] == "MISS"
