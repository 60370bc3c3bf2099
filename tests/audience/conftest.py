"""Helpers for the audience tests: a clean tally at each test, and the views a portal's
table holds once the tally is folded into it (as the rollup does)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from audience.daily import fold_tally
from audience.models import PageViews
from core.caching import CACHE_ALIAS
from portal.factories import ArticlePageFactory

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def spool_root() -> Path:
    return Path(settings.CACHES[CACHE_ALIAS]["LOCATION"]).parent / "audience"


@pytest.fixture(autouse=True)
def _empty_tally():
    """Each test counts from nothing: what earlier tests counted is thrown away."""
    shutil.rmtree(spool_root(), ignore_errors=True)
    yield
    shutil.rmtree(spool_root(), ignore_errors=True)


@pytest.fixture
def views(django_capture_on_commit_callbacks):
    """``views(portal)``: the portal's counts {(page id, referrer kind): views}, once what
    was counted is folded into its table (the tally forgotten at commit, as in the rollup)."""

    def read(portal) -> Counter:
        with schema_context(portal.schema_name):
            with django_capture_on_commit_callbacks(execute=True):
                fold_tally()
            counts: Counter = Counter()
            for row in PageViews.objects.all():
                counts[(row.page_id, row.referrer)] += row.views
            return counts

    return read


def article(portal, **fields):
    """A published article of ``portal``, with its address read inside the portal."""
    with schema_context(portal.schema_name):
        page = ArticlePageFactory(**fields)
        page.page_url = page.url
        return page
