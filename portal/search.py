"""The portal's own search page: Wagtail's PostgreSQL search, in this portal's schema only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.models import Page

from core.privacy import public_pages
from portal.listing import paginate, query_param

MAX_QUERY_LENGTH = 200


def search(request: HttpRequest) -> HttpResponse:
    """Live public pages of this portal matching ``?q=``, best first (French stemming)."""
    query = query_param(request, "q", MAX_QUERY_LENGTH)
    results = None
    if query:
        pages = public_pages(Page.objects.live()).filter(depth__gt=1).specific()
        results = paginate(request, pages.search(query), per_page=20)
    return render(
        request,
        "portal/search.html",
        {"query": query, "results": results, "filter_query": urlencode({"q": query})},
    )
