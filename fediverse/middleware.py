"""The portal's home page is also its actor: an ActivityPub client asking for it gets the
actor document, a browser the page. Before the page cache: the actor is never looked up
in it nor stored there, and the page carries ``Vary: Accept`` for the caches outside.
At a host the actor has left (``fediverse.moves``), the answer is the former actor, with
``movedTo``."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_tenants.utils import get_public_schema_name

from fediverse.moves import actor_for_host
from fediverse.negotiation import wants_activity_json
from fediverse.views import activity_response

ACTOR_PATH = "/"


class ActorMiddleware:
    """Answers the actor document at the home page's address to ActivityPub clients."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != ACTOR_PATH or connection.schema_name == get_public_schema_name():
            return self.get_response(request)
        if request.method in ("GET", "HEAD") and wants_activity_json(request):
            host = request.get_host().rsplit(":", 1)[0].lower()
            response = activity_response(actor_for_host(host))
        else:
            response = self.get_response(request)
        patch_vary_headers(response, ["Accept"])
        return response
