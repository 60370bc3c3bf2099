"""What visitors see of the classifieds: published ads, newest first, with filters."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Q

from classifieds.models import Classified, ClassifiedQuerySet


def published_ads() -> ClassifiedQuerySet:
    """Published, unexpired ads, newest first, with what a listing shows in two queries."""
    return (
        Classified.objects.published()
        .newest_first()
        .select_related("category")
        .prefetch_related("photos")
    )


def latest_published(limit: int = 5) -> ClassifiedQuerySet:
    """The newest published ads, for the home page (render them with
    ``classifieds/includes/latest_classifieds.html`` as ``classifieds``)."""
    return published_ads()[:limit]


def filter_ads(
    ads: ClassifiedQuerySet, kind: str = "", category: str = "", text: str = ""
) -> ClassifiedQuerySet:
    """Narrow a listing by kind, category slug and words (French stemming, or a substring)."""
    if kind:
        ads = ads.filter(kind=kind)
    if category:
        ads = ads.filter(category__slug=category)
    if text:
        words = SearchQuery(text, config="french", search_type="websearch")
        vector = SearchVector("title", "text", "area", config="french")
        ads = ads.annotate(search=vector).filter(
            Q(search=words) | Q(title__icontains=text) | Q(area__icontains=text)
        )
    return ads
