"""When the database cannot be reached: a French 503 page with Retry-After, not a 500.

Django turns any exception raised while handling a request (in a view or in a middleware,
the tenant middleware's host lookup included) into a call of the URLconf's
``handler500``, still inside the ``except`` block: this handler looks at that exception.
A lost connection is an outage the visitor can wait out; anything else is a real error
and gets the ordinary 500 page. Neither page touches the database.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

from tenants.middleware import network_page

logger = logging.getLogger(__name__)

# What a client should wait before trying again: a restart of PostgreSQL takes seconds.
RETRY_AFTER_SECONDS = 10
DATABASE_DOWN = (OperationalError, InterfaceError)


def database_unavailable_page(request: HttpRequest | None = None) -> HttpResponse:
    """The 503 page shown while the database is unreachable (in the visitor's language)."""
    response = network_page("core/database_unavailable.html", 503, request)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 for a database outage, the plain 500 page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        logger.warning("Database unreachable for %s: %s", request.path, error)
        return database_unavailable_page(request)
    return HttpResponseServerError(render_to_string("500.html"))
