"""The pages of a portal most seen over a period: what its dashboard lists.

Read from the portal's table of daily views (as of the last rollup). Only pages that
anyone may see today are listed: a page since deleted, unpublished or made private (a
login, a password or groups asked) is left out, so a title never reaches someone who
could not open the page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django_tenants.utils import tenant_context
from wagtail.models import Page, PageViewRestriction

from audience.models import PageViews, Referrer
from tenants.models import Neighbourhood


@dataclass(frozen=True)
class TopPage:
    """A page of the portal, its views over the period, and those by kind of referrer."""

    page_id: int
    title: str
    url: str
    views: int
    by_referrer: dict[str, int] = field(default_factory=dict)

    def referrer_views(self, kind: Referrer | str) -> int:
        """The views that came from ``kind`` (0 when none)."""
        return self.by_referrer.get(str(kind), 0)


def _public_pages(page_ids: list[int]) -> dict[int, Page]:
    """Those of ``page_ids`` that are live and under no view restriction."""
    pages = {page.pk: page for page in Page.objects.live().filter(pk__in=page_ids)}
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    return {
        pk: page
        for pk, page in pages.items()
        if not any(page.path.startswith(path) for path in restricted)
    }


def top_pages(
    portal: Neighbourhood, start: datetime.date, end: datetime.date, limit: int = 10
) -> list[TopPage]:
    """The ``limit`` pages of ``portal`` most seen from ``start`` to ``end`` (both
    included), most seen first (ties by page id), with their views by referrer kind."""
    with tenant_context(portal):
        period = PageViews.objects.filter(day__gte=start, day__lte=end)
        ranked = list(
            period.values("page_id").annotate(total=Sum("views")).order_by("-total", "page_id")
        )
        public = _public_pages([row["page_id"] for row in ranked[: limit * 3 + 20]])
        chosen = [row for row in ranked if row["page_id"] in public][:limit]
        ids = [row["page_id"] for row in chosen]
        split: dict[int, dict[str, int]] = {page_id: {} for page_id in ids}
        for row in (
            period.filter(page_id__in=ids).values("page_id", "referrer").annotate(n=Sum("views"))
        ):
            split[row["page_id"]][row["referrer"]] = row["n"]
        return [
            TopPage(
                page_id=row["page_id"],
                title=public[row["page_id"]].title,
                url=public[row["page_id"]].get_url() or "",
                views=row["total"],
                by_referrer=split[row["page_id"]],
            )
            for row in chosen
        ]
