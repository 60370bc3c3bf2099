"""The committed deployment agrees with the application: nginx recognises the session
cookie the application really sets, and gunicorn listens only where nginx reaches it."""

from __future__ import annotations

import json
import re
import runpy
import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from tests.security.test_deploy_settings import run

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx" / "quartiers.conf"
GUNICORN_CONF = ROOT / "core" / "gunicorn.conf.py"


def nginx_private_cookie_pattern() -> re.Pattern[str]:
    """The regular expression nginx's ``$quartiers_private`` map applies to ``Cookie``."""
    block = re.search(
        r"map \$http_cookie \$quartiers_private \{(.*?)\}", NGINX_CONF.read_text(), re.S
    )
    assert block, "quartiers.conf n'a plus de map $quartiers_private"
    found = re.search(r'"~\*(.+)"\s+1;', block.group(1))
    assert found, "la map $quartiers_private n'a plus d'expression ~* ... 1"
    return re.compile(found.group(1), re.IGNORECASE)


def production_cookie_names() -> dict[str, str]:
    show = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'core.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'session': s.SESSION_COOKIE_NAME, 'csrf': s.CSRF_COOKIE_NAME}))"
    )
    result = run(["-c", show], DJANGO_ENV="production", SECRET_KEY=secrets.token_urlsafe(64))
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_nginx_never_serves_its_cache_to_a_logged_in_visitor():
    private = nginx_private_cookie_pattern()
    sessions = [settings.SESSION_COOKIE_NAME, production_cookie_names()["session"]]

    for name in sessions:
        for cookie in (f"{name}=abc", f"quartiers_csrf=x; {name}=abc; autre=1"):
            assert private.search(cookie), f"nginx servirait son cache à {cookie!r}"


def test_nginx_never_serves_its_cache_to_a_visitor_with_messages_waiting():
    private = nginx_private_cookie_pattern()

    assert private.search(f"{CookieStorage.cookie_name}=abc")


def test_nginx_keeps_its_cache_for_anonymous_visitors():
    private = nginx_private_cookie_pattern()
    names = production_cookie_names()

    for cookie in ("", "theme=sombre", f"{names['csrf']}=abc", "old_quartiers_session=abc"):
        assert not private.search(cookie), cookie


@pytest.fixture
def gunicorn_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("GUNICORN_BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_gunicorn_listens_on_the_loopback_only_by_default(gunicorn_env):
    config = runpy.run_path(str(GUNICORN_CONF))

    assert config["bind"] == "127.0.0.1:8000"


def test_gunicorn_listens_where_the_operator_says(gunicorn_env):
    gunicorn_env.setenv("PORT", "8100")
    assert runpy.run_path(str(GUNICORN_CONF))["bind"] == "127.0.0.1:8100"

    gunicorn_env.setenv("GUNICORN_BIND", "10.0.0.12:8000")
    assert runpy.run_path(str(GUNICORN_CONF))["bind"] == "10.0.0.12:8000"


def test_a_mistyped_trusted_proxy_stops_the_application_with_a_clear_message():
    result = run(["manage.py", "check"], TRUSTED_PROXIES="127.0.0.1,nginx.local")

    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr
    assert "« nginx.local » n'est ni une adresse IP ni un réseau" in result.stderr
