"""Test fixtures: one migrated template schema per session, portals opened per module
(in a spare schema of an earlier module's portal, put back into the template's rows, when
there is one: ``tests/portal_pool.py``).

Nothing here is mocked: every test talks to a real PostgreSQL (the embedded one unless
DATABASE_URL is set), through django-tenants' real middleware and Wagtail.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import connection, connections
from django.test import Client
from django.test.utils import teardown_databases
from django_tenants.utils import get_public_schema_name, schema_context

from core import page_cache
from tenants import host_cache
from tenants.factories import PortalSpecFactory
from tenants.models import Neighbourhood, NetworkAccount, NetworkAction
from tenants.network_login import set_network_password
from tenants.provisioning import provision_neighbourhood
from tests import portal_costs, portal_pool
from tests.seed_database import (
    DatabaseConfig,
    build_test_database,
    end_other_sessions,
    setup_database_from_seed,
    tidy_catalog,
)

# QUARTIERS_REQUIRE: the markers whose skipped tests fail the run (CI sets it); the slowest
# modules first, so that xdist's workers finish together (tests/schedule.py); each distinct
# rendition, and each distinct picture drawn in a portal's colours, drawn once a process
# (tests/rendition_memo.py, tests/drawing_memo.py); the cycle collector tuned for a test
# process (tests/garbage_collection.py).
pytest_plugins = [
    "tests.required",
    "tests.garbage_collection",
    "tests.schedule",
    "tests.rendition_memo",
    "tests.drawing_memo",
]

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

# A process remembers a host's portal for TENANT_HOST_CACHE_SECONDS (30 s), then looks it
# up again: two queries more (the public schema's search path, the domain) for whichever
# request comes next. A test that counts a page's queries on a worker's second visit took
# them when its earlier visits had lasted 30 s on a loaded machine (issue 23 §6: a journal
# issue at 9 instead of 7). Here the lookup lasts the session (each test still forgets it
# at its start, ``_back_to_public_and_cold_cache``); a test about its expiry sets its own.
HOST_LOOKUP_KEPT_SECONDS = 24 * 3600
settings.TENANT_HOST_CACHE_SECONDS = HOST_LOOKUP_KEPT_SECONDS


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):
        portal_costs.forget_earlier_runs()


def pytest_sessionfinish(session: pytest.Session) -> None:
    portal_costs.write()


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    lines = portal_costs.summary()
    if lines:
        terminalreporter.write_sep("-", "portails des modules (tests/portal_costs.py)")
        for line in lines:
            terminalreporter.write_line(line)


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

    Replaces pytest-django's fixture of the same name: a session copies the database the
    last build left (``tests/seed_database.py``) instead of running every migration again,
    unless the code changed since; under xdist, one worker builds it and the others copy
    it. ``--reuse-db`` keeps a database between sessions as pytest-django does.
    """
    verbosity = request.config.option.verbose
    keepdb = django_db_keepdb and not django_db_createdb
    worker = os.environ.get("PYTEST_XDIST_WORKER")

    def build() -> DatabaseConfig:
        return build_test_database(verbosity=verbosity, keepdb=keepdb)

    with django_db_blocker.unblock():
        if keepdb:
            config = build()
        else:
            config = setup_database_from_seed(
                build,
                lock_file=settings.BASE_DIR / "var/test-seed.lock",
                worker=worker,
                rebuild=django_db_createdb,
            )
        # Spare portal schemas a kept database may hold from an interrupted run.
        portal_pool.drop_spares()
    yield
    if keepdb:
        return
    with django_db_blocker.unblock():
        connections.close_all()
        for leftover in end_other_sessions():
            sys.stderr.write(f"\nSession encore ouverte sur la base de test, fermée : {leftover}\n")
        teardown_databases(config, verbosity=verbosity)


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
    page_cache.process_pages.forget()
    yield
    connection.set_schema_to_public()
    cache.clear()
    caches["pages"].clear()
    caches["network"].clear()
    host_cache.forget_in_this_process()
    page_cache.process_pages.forget()


def _provision(slug: str, **overrides: object) -> Neighbourhood:
    """Open a portal as staff would, in a spare schema of an earlier module's portal when
    there is one (``tests/portal_pool.py``: the template's rows exactly), else in a new
    copy of the template."""
    overrides.setdefault("name", f"Portail {slug.capitalize()}")
    spec = PortalSpecFactory(slug=slug, **overrides)
    spare = portal_pool.take(slug)
    try:
        portal = provision_neighbourhood(spec).neighbourhood
    except BaseException:
        if spare is not None:
            portal_pool.put_back(slug, spare)
        raise
    portal_pool.opened(slug)
    return portal


def _drop(portal: Neighbourhood) -> None:
    """Remove the portal from the network, as a drop would; its schema, put back into the
    template's state, waits for the next module (``tests/portal_pool.py``)."""
    with schema_context(get_public_schema_name()):
        portal.delete(force_drop=False)
        # Opening it was logged (every path logs): the next module starts with a clean log.
        NetworkAction.objects.filter(portal=portal.schema_name).delete()
        # Its people's network accounts, unless they hold a role in another portal.
        NetworkAccount.objects.filter(memberships__isnull=True).delete()
        portal_pool.give_back(portal.schema_name)


# Rows of pg_class written or removed since the session's start, when the catalogue was
# last tidied (``tidy_catalog_if_churned``).
_churn_when_tidied = 0
# About three portals' worth of tables, indexes and sequences created or dropped.
CHURN_WORTH_TIDYING = 2_000


def catalog_churn() -> int:
    """Rows inserted into or deleted from pg_class so far (PostgreSQL's statistics)."""
    with connection.cursor() as cursor:
        # This session's counts reach the statistics once its transaction is over.
        if connection.pg_version >= 150000:  # a DATABASE_URL server may be older
            cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT n_tup_ins + n_tup_del FROM pg_stat_sys_tables WHERE relname = 'pg_class'"
        )
        return cursor.fetchone()[0]


def tidy_catalog_if_churned() -> None:
    """``tidy_catalog`` once schemas came and went since it last ran: a module whose
    portals all came from spare schemas and went back to them (``tests/portal_pool.py``)
    left the catalogue as it found it."""
    global _churn_when_tidied
    churn = catalog_churn()
    if churn - _churn_when_tidied >= CHURN_WORTH_TIDYING:
        tidy_catalog()
        _churn_when_tidied = catalog_churn()


@pytest.fixture(scope="module")
def make_portal(django_db_setup, django_db_blocker) -> Iterator[Callable[..., Neighbourhood]]:
    """Provision portals (committed) for the whole module; remove them at its end (their
    schemas wait for the next modules' portals, reset: ``tests/portal_pool.py``)."""
    made: list[Neighbourhood] = []

    def make(slug: str, **overrides: object) -> Neighbourhood:
        with django_db_blocker.unblock(), portal_costs.timed("provision"):
            portal = _provision(slug, **overrides)
        made.append(portal)
        return portal

    yield make
    with django_db_blocker.unblock():
        # The database session goes on into the next module, unless a test broke it:
        # its catalogue caches are warm, which the pool's queries over every table of a
        # schema (``tests/portal_pool.py``) and the next module's first queries need (a
        # new session each module: about 0.1 s of CPU more in this teardown alone). One
        # that saw thousands of relations come and go (a module that copied or dropped
        # schemas), which makes each later DROP SCHEMA slow, is ended by ``tidy_catalog``
        # before the drops, as after them.
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        with portal_costs.timed("tidy"):
            tidy_catalog_if_churned()
        with portal_costs.timed("drop"), portal_pool.template_left_alone():
            for portal in made:
                _drop(portal)
        with portal_costs.timed("tidy"):
            tidy_catalog_if_churned()


@pytest.fixture(scope="module")
def no_spare_schemas(django_db_setup, django_db_blocker) -> None:
    """No spare portal schema in the database (``tests/portal_pool.py``): for the modules
    that look at every schema of the database (backups, restores)."""
    with django_db_blocker.unblock():
        portal_pool.drop_spares()


@pytest.fixture(scope="module")
def alpha(make_portal) -> Neighbourhood:
    return make_portal("alpha")


@pytest.fixture(scope="module")
def beta(make_portal) -> Neighbourhood:
    return make_portal("beta")


def logged_in(client: Client, user) -> Client:
    """The client, logged into the portal's admin through its login form, typing the code
    of the person's second factor when asked (given one first if their role requires it:
    ``give_second_factor``)."""
    with schema_context(_schema_of(client)):
        give_second_factor(user)
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the login form refused the account"
    pass_second_factor(client)
    return client


def _schema_of(client: Client) -> str:
    """The schema of the portal a test client's host names."""
    from tenants.models import Domain

    domain = Domain.objects.select_related("tenant").get(domain=client.defaults["HTTP_HOST"])
    return domain.tenant.schema_name


def give_second_factor(user) -> None:
    """Give ``user`` (a local account of the portal the connection is on) a TOTP device on
    their network account if their role requires one and they have none: the device of
    ``tenants.factories.SecondFactorDeviceFactory``, whose codes ``pass_second_factor``
    types. Without it, the login form would lead them to the enrolment."""
    from core.second_factor import open_account, required
    from tenants.factories import SecondFactorDeviceFactory
    from tenants.second_factor import device_of

    user.refresh_from_db()
    account = open_account(user)
    if account is not None and required(user) and device_of(account) is None:
        SecondFactorDeviceFactory(account=account)


def next_code(device, wait: bool = False) -> str:
    """A code of ``device`` that it accepts now: of a 30 s step near now never used yet,
    the current step's first (a code of the step before would be refused if the request
    reached the server after the next step began).

    A test that signs one person in more than twice within 30 s has used every step the
    device accepts from now on; a person would wait for the next code. In place of the
    wait, the device's record of the last step used is moved back by those 30 s. With
    ``wait`` (a browser test: the live server reads only what is committed, and the test's
    own transaction is not) it is moved back in a transaction of its own, committed at
    once (``_step_back_committed``); the next step is waited for, as the person would,
    only if that cannot be done. Either way the device still refuses a code of a step it
    marks as used: the server's own check is untouched."""
    from tenants.second_factor import SecondFactorDevice, current_code, totp

    while True:
        device.refresh_from_db()  # READ COMMITTED: sees the steps the live server spent
        now = totp(device.key).t()
        for offset in (0, 1):
            if now + offset > device.last_step:
                return current_code(device.key, offset)
        if not wait:
            SecondFactorDevice.objects.filter(pk=device.pk).update(last_step=now - 1)
            return current_code(device.key)
        if _step_back_committed(device, now - 1):
            continue  # read it again, as the server will
        # A browser journey waited here up to 30 s a third sign-in (issue 23 §6).
        with portal_costs.timed("totp-wait"):
            time.sleep(1)


def _step_back_committed(device, step: int) -> bool:
    """Set the device's last step used to ``step`` (when it is later) on a connection of
    its own, in autocommit: the live server's threads see it at once, whatever the test's
    own transaction holds. False if the row stays locked (the test's transaction wrote
    it): the caller then waits for the next step instead."""
    from django.db import DEFAULT_DB_ALIAS, OperationalError

    from tenants.second_factor import SecondFactorDevice

    table = connection.ops.quote_name(SecondFactorDevice._meta.db_table)
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    own.set_schema_to_public()
    try:
        with own.cursor() as cursor:
            # Never wait long for a lock only this test's thread could release.
            cursor.execute("SET lock_timeout = '2s'")
            cursor.execute(
                f"UPDATE {table} SET last_step = %s WHERE id = %s AND last_step > %s",  # noqa: S608
                [step, device.pk, step],
            )
    except OperationalError:
        return False
    finally:
        own.close()
    return True


SPACE_CODE = "/reseau/espace/connexion/code/"


def pass_second_factor(client: Client, code: str | None = None):
    """After a right password on the login form (the admin's, or the animators' space's):
    type the person's code on the code page
    (or, with no device yet, set one up on the enrolment page with the key it shows), as a
    person would. Does nothing when no sign-in is waiting (a contributor's password is
    enough). The sign-in's "unknown browser" e-mail is left out of ``mail.outbox``: the
    tests that are about it look at it themselves."""
    from django.core import mail

    from core.second_factor import PENDING
    from core.second_factor_views import NEW_KEY
    from network_space.access import SESSION_PENDING as SPACE_PENDING
    from tenants.second_factor import current_code, device_of

    with schema_context(_schema_of(client)):
        session = client.session
        waiting = session.get(PENDING) or session.get(SPACE_PENDING)
        code_page, enrol_page = (
            ("/admin/login/code/", "/admin/login/code/activer/")
            if PENDING in session
            else (SPACE_CODE, SPACE_CODE)
        )
    if not waiting:
        _forget_sign_in_mail(mail)
        return None
    account = NetworkAccount.objects.get(pk=waiting["account"])
    device = device_of(account)
    if device is None:
        client.get(enrol_page)
        with schema_context(_schema_of(client)):
            key = client.session[NEW_KEY]
        response = client.post(enrol_page, {"code": current_code(key)})
        assert response.status_code == 200, response.status_code
    else:
        response = client.post(code_page, {"code": code or next_code(device)})
        assert response.status_code == 302, response.status_code
    _forget_sign_in_mail(mail)
    return response


def known_browser(client: Client, email: str) -> Client:
    """Give ``client`` the cookie of a browser that signed ``email``'s network account in
    before at its host: its next sign-in mails nobody (for tests that count the mail queue's
    tasks, where the "unknown browser" e-mail would be one more)."""
    from core.second_factor import known_browser_cookie

    name, value = known_browser_cookie([NetworkAccount.objects.get(email=email).pk])
    client.cookies[name] = value
    return client


def _forget_sign_in_mail(mail) -> None:
    """Leave the sign-in's "unknown browser" e-mail out of ``mail.outbox``."""
    from core.second_factor import SIGN_IN_SUBJECT

    mail.outbox[:] = [m for m in mail.outbox if not m.subject.startswith(SIGN_IN_SUBJECT)]


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
            # As their invitation link would: the password becomes their network password
            # (else it stays the portal's own, docs/accounts.md).
            set_network_password(user, user.password)
        return user

    return get
