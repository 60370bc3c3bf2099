"""Paginating and filtering listings the same way in every section."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 12


def paginate(request: HttpRequest, items: QuerySet, per_page: int = PER_PAGE):
    """The page of ``items`` asked for by ``?page=``; a bad or too-large number gives a
    valid page (first or last), never an error."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
