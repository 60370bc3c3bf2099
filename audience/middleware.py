"""Counting the views of a portal's pages, whichever of the application's layers served them.

Placed before the page cache's middleware (``core.page_cache``), it sees the pages the
cache serves as well as those rendered. A page served by Wagtail carries its id in the
``X-Quartiers-Page`` header (``audience.wagtail_hooks``, after Wagtail's own checks of
private pages): a cached page keeps it, and nginx writes it in its log of the views it
serves from its own cache (``count_proxy_views``). Nothing else is a page view: the admin,
previews, searches, feeds, forms' answers, errors.

Counted: a ``GET`` answered 200 with a page, to a visitor without a session (a logged-in
editor's own visits are no audience; a visitor of a private page has a session, or is
sent to the login or the password form, neither counted), and not by a known robot nor a
browser's prefetch, nor by a browser that objects (``Sec-GPC: 1`` or ``DNT: 1``). The view
is one increment in the shared store (``audience.tally``): no query, no cookie, nothing of
the visitor kept but the kind of referrer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from audience.referrers import referrer_kind
from audience.robots import is_robot
from audience.tally import count_view

PAGE_HEADER = "X-Quartiers-Page"


def objects(gpc: str, dnt: str) -> bool:
    """Whether the browser says its user objects to being counted (Global Privacy Control,
    or the older Do Not Track): their views are then left out (docs/audience.md)."""
    return gpc.strip() == "1" or dnt.strip() == "1"


def is_a_view(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether ``response`` to ``request`` is a page view the audience counts."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and response.has_header(PAGE_HEADER)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and request.headers.get("Sec-Purpose", request.headers.get("Purpose", "")) == ""
        and not objects(request.headers.get("Sec-GPC", ""), request.headers.get("DNT", ""))
        and not is_robot(request.headers.get("User-Agent", ""))
    )


class AudienceMiddleware:
    """Counts each page view (see the module): after the response is made, never in its way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_a_view(request, response):
            page_id = response[PAGE_HEADER]
            if page_id.isdigit():
                host = request.get_host().rsplit(":", 1)[0].lower()
                referer = request.headers.get("Referer", "")
                kind = referrer_kind(host, referer, request.GET)
                count_view(timezone.localdate(), kind, int(page_id))
        return response
