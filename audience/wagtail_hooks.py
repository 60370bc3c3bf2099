"""The audience in Wagtail and in the network: pages say who they are, the rollup folds
the views, the network's admin counts them."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page

from audience.daily import fold_tally, forget_old_views, views_since
from audience.middleware import PAGE_HEADER
from audience.top_pages import TopPage, top_pages
from core.extension_points import NOT_SHOWN_ON_PAGES
from tenants.extension_points import ACTIVITY_COUNTERS, BEFORE_FOLD, TOP_PAGES, ActivityCounter
from tenants.models import Neighbourhood

VIEWS = "views"

Serve = Callable[[Page, HttpRequest, tuple, dict], HttpResponse]


# Last of the chain, so innermost: Wagtail's own check of private pages (an ``on_serve_page``
# hook too) runs first, and a private page's login or password form never says its id.
@hooks.register("on_serve_page", order=1000)
def mark_served_page(serve: Serve) -> Serve:
    """A page Wagtail serves says its id (``audience.middleware``)."""

    def serve_and_mark(page: Page, request: HttpRequest, args: tuple, kwargs: dict):
        response = serve(page, request, args, kwargs)
        if response.status_code == 200:
            response[PAGE_HEADER] = str(page.pk)
        return response

    return serve_and_mark


@hooks.register(BEFORE_FOLD)
def fold_views(today: datetime.date) -> None:
    """The views counted since the last rollup go to the portal's table; counts older than
    25 months go away."""
    fold_tally()
    forget_old_views(today)


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """Page views (indicator "views"), folded day by day by the rollup."""
    return [ActivityCounter(key=VIEWS, label=_("Pages vues"), count=views_since)]


@hooks.register(TOP_PAGES)
def dashboard_top_pages(
    portal: Neighbourhood, first_day: datetime.date, last_day: datetime.date, limit: int
) -> list[TopPage]:
    """The portal's most seen public pages, for its observatory's dashboard."""
    return top_pages(portal, first_day, last_day, limit)


@hooks.register(NOT_SHOWN_ON_PAGES)
def audience_not_shown_on_pages() -> Iterable[str]:
    """Counts are never shown on a public page: writing them forgets no cached page."""
    return ["audience.PageViews"]
