"""Production settings pass Django's deploy checks and refuse to start without secrets."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(code_or_command: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' own, never a server's; without
        # DJANGO_SETTINGS_MODULE (pytest-django's tests.settings), manage.py and core.wsgi
        # read core.settings, as a server does.
        if key
        not in (
            "SECRET_KEY",
            "DJANGO_ENV",
            "QUARTIERS_LOCAL_HTTP",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DJANGO_SETTINGS_MODULE",
        )
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, *code_or_command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        # A hang guard only: a cold start of Django took over 120 s on a loaded machine.
        timeout=600,
        check=False,
    )


def test_production_passes_the_deploy_checks_without_any_warning():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_says_so_in_one_french_line():
    result = run(["manage.py", "check", "--deploy"], DJANGO_ENV="production")

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "exige une variable d'environnement SECRET_KEY" in result.stderr


def test_the_application_server_without_a_secret_key_says_so_in_one_line():
    result = run(["-c", "import core.wsgi"], DJANGO_ENV="production")

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "SECRET_KEY" in line


def test_production_refuses_a_short_secret_key():
    result = run(["manage.py", "check"], DJANGO_ENV="production", SECRET_KEY="court")

    assert result.returncode != 0
    assert "au moins 50 caractères" in result.stderr


# The settings as production reads them, without loading the apps (django.setup(): 4 s
# of CPU a process, twice a run) that no setting shown here depends on.
SHOW = (
    "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'core.settings'; "
    "from django.conf import settings as s; print(json.dumps({"
    "'hsts': s.SECURE_HSTS_SECONDS, 'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "'redirect': s.SECURE_SSL_REDIRECT, 'session_secure': s.SESSION_COOKIE_SECURE, "
    "'csrf_secure': s.CSRF_COOKIE_SECURE, 'session_name': s.SESSION_COOKIE_NAME, "
    "'session_domain': s.SESSION_COOKIE_DOMAIN, 'debug': s.DEBUG, "
    "'upgrade': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['upgrade-insecure-requests']}))"
)


def test_production_sends_hsts_and_secure_host_only_cookies():
    result = run(["-c", SHOW], DJANGO_ENV="production", SECRET_KEY=secrets.token_urlsafe(64))
    shown = json.loads(result.stdout.strip().splitlines()[-1])

    assert shown["hsts"] >= 31_536_000 and shown["subdomains"]
    assert shown["redirect"] and shown["session_secure"] and shown["csrf_secure"]
    assert shown["session_name"].startswith("__Host-")
    assert shown["session_domain"] is None
    assert shown["debug"] is False
    assert shown["upgrade"] is True


def test_debug_cannot_be_turned_on_in_production():
    result = run(
        ["-c", SHOW],
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_DEBUG="1",
    )

    assert json.loads(result.stdout.strip().splitlines()[-1])["debug"] is False


def test_a_provider_whose_webhook_checks_no_signature_needs_the_webhook_secret():
    """amazon_ses's, brevo's, postmark's webhooks check no signature of their own: a key
    named after one would leave the bounce webhook open to forged events."""
    forged_key = {"ANYMAIL_AMAZON_SES_WEBHOOK_SIGNING_KEY": "une-cle"}
    refused = run(["manage.py", "check"], ANYMAIL_PROVIDER="amazon_ses", **forged_key)
    accepted = run(
        ["manage.py", "check"],
        ANYMAIL_PROVIDER="amazon_ses",
        ANYMAIL_WEBHOOK_SECRET="relais:un-secret-long",
        **forged_key,
    )
    mailgun = run(
        ["manage.py", "check"],
        ANYMAIL_PROVIDER="mailgun",
        ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY="une-cle",
    )

    assert refused.returncode != 0
    assert "exige ANYMAIL_WEBHOOK_SECRET" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert accepted.returncode == 0, accepted.stderr
    assert mailgun.returncode == 0, mailgun.stderr
