"""Factories for the audience (tests and benchmarks). Build them inside a portal's schema."""

from __future__ import annotations

import factory
from django.utils import timezone

from audience.models import PageViews, Referrer


class PageViewsFactory(factory.django.DjangoModelFactory):
    """Today's direct views of a page (give it ``page_id=``)."""

    day = factory.LazyFunction(timezone.localdate)
    referrer = Referrer.DIRECT
    views = 1

    class Meta:
        model = PageViews
