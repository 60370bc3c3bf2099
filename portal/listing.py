"""Paginating and filtering listings the same way in every section."""

from __future__ import annotations

import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from core import page_cache

PER_PAGE = 12
# PostgreSQL refuses NUL in text, and other control characters mean nothing in a search.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def query_param(request: HttpRequest, name: str, max_length: int = 200) -> str:
    """A visitor's ``?name=`` value, safe to filter or search with: trimmed, bounded,
    without control characters."""
    value = CONTROL_CHARACTERS.sub(" ", request.GET.get(name, ""))
    return value.strip()[:max_length]


def paginate(request: HttpRequest, items: QuerySet, per_page: int = PER_PAGE):
    """The page of ``items`` asked for by ``?page=``; a bad or too-large number gives a
    valid page (first or last), never an error, and is not kept in the page cache."""
    paginator = Paginator(items, per_page)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    page_cache.keep_out_unless_asked_page(request, page)
    return page
