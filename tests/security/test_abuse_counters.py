"""Anti-abuse counters are shared by every worker process and never lose a hit.

Without Redis, Django's cache here is local to each process: a limit of five posts an
hour was five per gunicorn worker, and ``get`` + ``set`` could lose hits under load. The
counters now live in one PostgreSQL table, incremented by one ``INSERT ... ON CONFLICT DO
UPDATE ... RETURNING`` statement: atomic, and the same for every process and machine.

The concurrency tests use real separate processes and threads, each with its own
database connection, started together at a barrier (with timeouts, so that a bug hangs
nothing).
"""

from __future__ import annotations

import multiprocessing
import threading
import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from classifieds.forms import POSTS_PER_EMAIL
from core.abuse import HOUR, RateLimit
from tests.classifieds.conftest import SECTION, ad_form, outbox
from tests.security.counter_worker import count_hits

__all__ = ["outbox"]  # the fixture

pytestmark = pytest.mark.django_db

PROCESSES = 3
HITS_EACH = 10


def in_thread(work) -> threading.Thread:
    """Run ``work`` in a thread with its own database connection (closed at the end)."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def forget(scope: str) -> None:
    """Delete the committed counters of ``scope`` (from a connection of their own)."""

    def work() -> None:
        RateLimit.forget_scope(scope)

    in_thread(work).join(timeout=30)


def test_hits_counted_by_several_processes_add_up_in_one_counter(alpha):
    scope = f"test-processes-{uuid.uuid4().hex[:8]}"
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [
        context.Process(
            target=count_hits,
            args=(
                connection.settings_dict["NAME"],
                alpha.schema_name,
                scope,
                HITS_EACH,
                start,
                results,
            ),
        )
        for _ in range(PROCESSES)
    ]
    try:
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=120) for _ in workers]
        for worker in workers:
            worker.join(timeout=30)

        assert outcomes == ["ok"] * PROCESSES
        total = PROCESSES * HITS_EACH
        with schema_context(alpha.schema_name):
            assert RateLimit(scope, limit=total, period=HOUR).exceeded("voisin@example.org")
            assert not RateLimit(scope, limit=total + 1, period=HOUR).exceeded("voisin@example.org")
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        forget(scope)


def test_simultaneous_submissions_never_get_past_the_limit(alpha):
    scope = f"test-threads-{uuid.uuid4().hex[:8]}"
    limit = RateLimit(scope, limit=3, period=HOUR)
    start = threading.Barrier(8, timeout=60)
    accepted: list[bool] = []

    def submit() -> None:
        with schema_context(alpha.schema_name):
            connection.ensure_connection()
            start.wait()
            accepted.append(limit.take("voisine@example.org"))

    try:
        threads = [in_thread(submit) for _ in range(8)]
        for thread in threads:
            thread.join(timeout=60)

        assert sorted(accepted) == [False] * 5 + [True] * 3
    finally:
        forget(scope)


def test_each_portal_counts_its_own_visitors(alpha, beta):
    limit = RateLimit("test-portals", limit=1, period=HOUR)
    with schema_context(alpha.schema_name):
        limit.hit("voisin@example.org")
        at_alpha = limit.exceeded("voisin@example.org")
    with schema_context(beta.schema_name):
        at_beta = limit.exceeded("voisin@example.org")

    assert (at_alpha, at_beta) == (True, False)


@pytest.mark.parametrize(
    "written",
    [
        "samia@example.org",
        "Samia@Example.ORG",
        "  samia@example.org ",
        "samia+annonces@example.org",
        "SAMIA+velo+2@example.org",
    ],
)
def test_every_spelling_of_one_address_is_one_sender(written):
    from core.abuse import normalised_email

    assert normalised_email(written) == "samia@example.org"


def test_gmail_addresses_ignore_dots_as_gmail_does():
    from core.abuse import normalised_email

    assert normalised_email("Sa.Mia+x@googlemail.com") == normalised_email("samia@gmail.com")
    assert normalised_email("sa.mia@example.org") != normalised_email("samia@example.org")


def test_the_per_address_limit_counts_every_spelling_of_an_address(alpha, client_for, outbox):
    spellings = [f"Samia+{number}@Example.org" for number in range(POSTS_PER_EMAIL.limit)]

    answers = [
        client_for(alpha).post(
            f"{SECTION}deposer/",
            ad_form(alpha, author_email=address),
            REMOTE_ADDR=f"10.0.0.{number}",
        )
        for number, address in enumerate(spellings)
    ]
    one_more = client_for(alpha).post(
        f"{SECTION}deposer/",
        ad_form(alpha, author_email="samia@example.org"),
        REMOTE_ADDR="10.0.1.1",
    )
    someone_else = client_for(alpha).post(
        f"{SECTION}deposer/",
        ad_form(alpha, author_email="ines@example.org"),
        REMOTE_ADDR="10.0.1.2",
    )

    assert [answer.status_code for answer in answers] == [302] * POSTS_PER_EMAIL.limit
    assert one_more.status_code == 400
    assert "Trop d&#x27;envois" in one_more.text
    assert someone_else.status_code == 302
