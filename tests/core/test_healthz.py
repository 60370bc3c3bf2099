"""/healthz on any host (core/health.py): the database, the cache and the task queue's
delay, each able to fail it with a 503 that names what failed."""

from __future__ import annotations

import datetime
import socket

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import get_public_schema_name, schema_context

from core.mail_queue import deliver_email
from tests.conftest import host
from tests.task_worker import DATABASE_QUEUE

pytestmark = pytest.mark.django_db


def probe(hostname: str = "127.0.0.1"):
    return Client(HTTP_HOST=hostname).get("/healthz")


def _closed_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]  # closed again at once: connections refused


@pytest.mark.parametrize("hostname", ["127.0.0.1", "localhost", "inconnu.example", "alpha"])
def test_healthz_answers_on_every_host_and_is_never_cached(alpha, hostname):
    response = probe(host(alpha) if hostname == "alpha" else hostname)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert {"database", "cache", "tasks"} <= response.json().keys()
    assert "no-store" in response["Cache-Control"]


def test_a_task_waiting_past_the_limit_fails_healthz(alpha, settings):
    settings.TASKS = DATABASE_QUEUE
    settings.HEALTHZ_MAX_QUEUE_DELAY_MINUTES = 10
    with schema_context(alpha.schema_name):
        EmailMessage("Sujet", "Texte", to=["samia@example.org"]).send()
    assert probe().status_code == 200  # just queued: a worker has time

    with schema_context(get_public_schema_name()):
        DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=30))
    response = probe()

    assert response.status_code == 503
    assert response.json()["tasks"] == "en retard"
    assert response.json()["tasks_delay_seconds"] >= 30 * 60
    assert response.json()["database"] == "ok"


def test_a_task_deferred_to_later_does_not_count_as_late(alpha, settings):
    settings.TASKS = DATABASE_QUEUE
    with schema_context(alpha.schema_name):
        deliver_email.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue(
            schema_name=alpha.schema_name, message={}
        )
    with schema_context(get_public_schema_name()):
        DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=2))

    assert probe().status_code == 200


def test_an_unreachable_cache_fails_healthz(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        },
    }

    response = probe("inconnu.example")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["cache"] == "injoignable"
    assert response.json()["database"] == "ok"
