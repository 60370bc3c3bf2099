"""Errors reported to a Sentry-compatible service when ``SENTRY_DSN`` is set.

Each event says where it happened (the portal's schema, which is its slug, and the
request's path, as tags) and nothing about who: ``send_default_pii`` is off, local
variables are not sent, and ``scrub_event`` removes what the SDK or a message could still
carry: cookies, headers that identify (Cookie, Authorization, X-Forwarded-For...), the
query string (confirmation and management links carry their tokens there), form data,
the user, and any e-mail or IP address in the remaining text (messages, exceptions,
breadcrumbs, SQL).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import sentry_sdk
from django.db import connection
from sentry_sdk.integrations.django import DjangoIntegration

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b")
# Long opaque strings mixing letters and digits are tokens (signed links, session keys,
# in paths and in messages such as "Internal Server Error: /gerer/<token>/").
TOKEN = re.compile(r"(?=[\w\-:]*\d)(?=[\w\-:]*[A-Za-z])[\w\-:]{20,}")
# Headers kept: none of them says who the visitor is.
KEPT_HEADERS = {"host", "user-agent", "accept", "accept-language", "content-type", "referer"}


def _clean_text(text: str) -> str:
    text = TOKEN.sub("[jeton]", text)
    text = EMAIL.sub("[e-mail]", text)
    text = IPV4.sub("[ip]", text)
    return IPV6.sub("[ip]", text)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _clean_path(url: str) -> str:
    """The URL without query string nor fragment, tokens in the path replaced."""
    parts = urlsplit(url)
    path = TOKEN.sub("[jeton]", parts.path)
    return f"{parts.scheme}://{parts.netloc}{path}" if parts.netloc else path


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's ``before_send``: tag the portal and path, strip every personal datum."""
    event.pop("user", None)
    request = event.get("request") or {}
    for key in ("cookies", "data", "query_string", "env"):
        request.pop(key, None)
    headers = request.get("headers") or {}
    request["headers"] = {
        name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
    }
    if "referer" in {name.lower() for name in request["headers"]}:
        request["headers"] = {
            name: (_clean_path(value) if name.lower() == "referer" else value)
            for name, value in request["headers"].items()
        }
    if request.get("url"):
        request["url"] = _clean_path(request["url"])
    if request:
        event["request"] = request
    tags = event.setdefault("tags", {})
    # before_send runs in the thread that captured the event: the connection still has
    # the portal of the request or task that failed.
    tags["portal"] = getattr(connection, "schema_name", "") or "public"
    if request.get("url"):
        tags["path"] = urlsplit(request["url"]).path[:200]
    return _clean({key: value for key, value in event.items() if key != "request"}) | (
        {"request": _clean(request)} if request else {}
    )


def init_error_reporting(dsn: str, *, environment: str, release: str, **options: Any) -> None:
    """Start the SDK (Django, logging at ERROR) with the scrubbing above."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        # Performance tracing is another service's job; only errors are sent.
        traces_sample_rate=0,
        **options,
    )
