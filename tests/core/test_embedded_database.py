"""The tests' embedded PostgreSQL trades durability for speed (core/database.py)."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from core import database

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="DATABASE_URL : le serveur n'est pas l'embarqué des tests.",
    ),
]


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_tests_server_runs_without_durability_including_what_needs_a_restart():
    # The settings read only at start are in effect: the server was started again for them
    # (in a fresh clone, by the session that created it).
    for name, value in {**database.NOT_DURABLE, **database.NOT_DURABLE_AT_START}.items():
        assert setting(name) == value, name
