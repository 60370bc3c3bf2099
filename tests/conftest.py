"""Test fixtures: one migrated template schema per session, portals cloned per module.

Nothing here is mocked: every test talks to a real PostgreSQL (the embedded one unless
DATABASE_URL is set), through django-tenants' real middleware and Wagtail.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import connection, connections
from django.test import Client
from django.test.utils import setup_databases, teardown_databases
from django_tenants.utils import get_public_schema_name, schema_context

from tenants import host_cache
from tenants.factories import PortalSpecFactory
from tenants.models import Neighbourhood, NetworkAccount, NetworkAction
from tenants.provisioning import provision_neighbourhood
from tenants.template_schema import ensure_template_schema
from tests.seed_database import (
    DatabaseConfig,
    drop_seed,
    end_other_sessions,
    setup_worker_database,
)

# QUARTIERS_REQUIRE: the markers whose skipped tests fail the run (CI sets it); the slowest
# modules first, so that xdist's workers finish together (tests/schedule.py).
pytest_plugins = ["tests.required", "tests.schedule"]

PASSWORD = "un-mot-de-passe-solide"

# Uploads made by tests stay apart from `make run`'s, in one folder per xdist worker
# (each worker has its own database, where portals of the same name exist at once).
settings.MEDIA_ROOT = (
    settings.BASE_DIR / "var/test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
)
shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
# So do the file caches shared by a machine's processes (the page cache without Redis):
# workers' portals have the same schema names, and clearing one worker's cache must not
# empty another's, nor `make run`'s.
for _alias, _cache in settings.CACHES.items():
    if _cache["BACKEND"].endswith("FileBasedCache"):
        _cache["LOCATION"] = str(
            settings.BASE_DIR
            / "var/test-cache"
            / os.environ.get("PYTEST_XDIST_WORKER", "main")
            / _alias
        )


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """The test database, plus the template schema every portal is cloned from.

    Replaces pytest-django's fixture of the same name: under xdist, one worker builds its
    database and the others copy it (``tests/seed_database.py``) instead of each running
    every migration again.
    """
    verbosity = request.config.option.verbose
    keepdb = django_db_keepdb and not django_db_createdb
    worker = os.environ.get("PYTEST_XDIST_WORKER")

    def build() -> DatabaseConfig:
        config = setup_databases(verbosity=verbosity, interactive=False, keepdb=keepdb)
        ensure_template_schema(verbosity=0)
        tidy_catalog()
        return config

    built = True
    with django_db_blocker.unblock():
        if worker and not keepdb:
            config, built = setup_worker_database(
                build, worker=worker, lock_file=settings.BASE_DIR / "var/test-seed.lock"
            )
        else:
            config = build()
    yield
    if keepdb:
        return
    with django_db_blocker.unblock():
        connections.close_all()
        for leftover in end_other_sessions():
            sys.stderr.write(f"\nSession encore ouverte sur la base de test, fermée : {leftover}\n")
        teardown_databases(config, verbosity=verbosity)
        if worker and built:
            drop_seed(worker=worker)


@pytest.fixture(scope="session", autouse=True)
def _mail_through_the_queue(django_test_environment) -> None:
    """Every message goes through the e-mail queue (core/mail_queue.py) as in production:
    Django's test set-up puts locmem in EMAIL_BACKEND; locmem becomes the backend the
    queue's task delivers to (immediate in the tests), so mail.outbox fills as before."""
    settings.EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _back_to_public_and_cold_cache() -> Iterator[None]:
    """Each test starts on the public schema with an empty cache, as a new process would."""
    cache.clear()
    caches["pages"].clear()
    caches["network"].clear()
    host_cache.forget_in_this_process()
    yield
    connection.set_schema_to_public()
    cache.clear()
    caches["pages"].clear()
    caches["network"].clear()
    host_cache.forget_in_this_process()


def _provision(slug: str, **overrides: object) -> Neighbourhood:
    overrides.setdefault("name", f"Portail {slug.capitalize()}")
    spec = PortalSpecFactory(slug=slug, **overrides)
    return provision_neighbourhood(spec).neighbourhood


def _drop(portal: Neighbourhood) -> None:
    with schema_context(get_public_schema_name()):
        portal.delete(force_drop=True)
        # Opening it was logged (every path logs): the next module starts with a clean log.
        NetworkAction.objects.filter(portal=portal.schema_name).delete()
        # Its people's network accounts, unless they hold a role in another portal.
        NetworkAccount.objects.filter(memberships__isnull=True).delete()


# Cloning a schema reads PostgreSQL's catalog hundreds of times. A test session creates
# and drops schemas far faster than autovacuum tidies up after it, and a bloated catalog
# made each clone 20 times slower by the end of the suite: tidy it ourselves.
CATALOG_TABLES = [
    "pg_class",
    "pg_attribute",
    "pg_depend",
    "pg_type",
    "pg_constraint",
    "pg_index",
    "pg_attrdef",
    "pg_namespace",
    "pg_sequence",
    "pg_trigger",
    "pg_description",
    "pg_statistic",
    "pg_shdepend",
]


def tidy_catalog() -> None:
    """VACUUM ANALYZE the catalog tables that schema creation and removal churn, then
    start a new database session: a session that saw thousands of relations come and go
    keeps caches that make each later DROP SCHEMA take seconds."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + ", ".join(f"pg_catalog.{t}" for t in CATALOG_TABLES))
    connection.close()


@pytest.fixture(scope="module")
def make_portal(django_db_setup, django_db_blocker) -> Iterator[Callable[..., Neighbourhood]]:
    """Provision portals (committed) for the whole module; drop them at its end."""
    made: list[Neighbourhood] = []

    def make(slug: str, **overrides: object) -> Neighbourhood:
        with django_db_blocker.unblock():
            portal = _provision(slug, **overrides)
        made.append(portal)
        return portal

    yield make
    with django_db_blocker.unblock():
        connection.close()
        for portal in made:
            _drop(portal)
        tidy_catalog()


@pytest.fixture(scope="module")
def alpha(make_portal) -> Neighbourhood:
    return make_portal("alpha")


@pytest.fixture(scope="module")
def beta(make_portal) -> Neighbourhood:
    return make_portal("beta")


def logged_in(client: Client, user) -> Client:
    """The client, logged into the portal's admin through its login form."""
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def host(portal: Neighbourhood) -> str:
    return portal.get_primary_domain().domain


@pytest.fixture
def client_for() -> Callable[[Neighbourhood], Client]:
    """A test client whose requests go to a portal's host, as a browser's would."""

    def make(portal: Neighbourhood | None) -> Client:
        return Client(HTTP_HOST=host(portal) if portal else "localhost")

    return make


@pytest.fixture
def animator_of(db) -> Callable[[Neighbourhood], object]:
    """The portal's first animator, with a known password."""

    def get(portal: Neighbourhood):
        with schema_context(portal.schema_name):
            user = get_user_model().objects.get(groups__name="Animateurs")
            user.set_password(PASSWORD)
            user.save()
        return user

    return get
