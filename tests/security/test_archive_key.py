"""The key that signs archives: required where archives are made or read in production,
never weak, never the SECRET_KEY."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]

# Lists or backs up every schema of the database: no spare portal schema (tests/portal_pool.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spare_schemas")]


def check_with(**env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DJANGO_ENV", "ARCHIVE_SIGNING_KEY")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        # A hang guard only: a cold start of Django took over 120 s on a loaded machine.
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize(
    "key",
    [pytest.param("court", id="short"), pytest.param(None, id="same-as-secret-key")],
)
def test_a_weak_archive_key_stops_every_command(key):
    secret_key = secrets.token_urlsafe(64)

    result = check_with(SECRET_KEY=secret_key, ARCHIVE_SIGNING_KEY=key or secret_key)

    assert result.returncode != 0
    assert "ARCHIVE_SIGNING_KEY doit compter au moins 50 caractères" in result.stderr


def test_without_a_key_the_archive_commands_refuse_in_one_french_line(alpha, tmp_path, settings):
    # What production without ARCHIVE_SIGNING_KEY comes to (development derives one).
    settings.ARCHIVE_SIGNING_KEY = ""

    with pytest.raises(CommandError, match="exige une variable d'environnement ARCHIVE_SIGNING"):
        call_command("export_neighbourhood", alpha.schema_name, str(tmp_path / "a.tar.gz"))
    with pytest.raises(CommandError, match="exige une variable d'environnement ARCHIVE_SIGNING"):
        call_command("backup", str(tmp_path / "sauvegardes"))

    assert list(tmp_path.rglob("*.tar*")) == []
