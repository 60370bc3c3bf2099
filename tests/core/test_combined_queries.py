"""Rows read together in one round trip are the rows the ORM reads one query at a time:
a portal's settings, pages and locales as the request's state holds them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import Locale, Page

from core.combined_queries import rows_of
from home.site_settings import PortalSettings
from portal.factories import EventPageFactory
from portal.models import EventPage

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_rows_read_together_equal_the_orms_rows(alpha):
    with schema_context(alpha.schema_name):
        settings_row = PortalSettings.load()
        settings_row.name = "Média d'Alpha — « le journal »"
        settings_row.save()
        EventPageFactory(
            title="Rencontre de quartier",
            slug="rencontre-de-quartier",
            start=datetime.datetime(2026, 12, 24, 18, 30, tzinfo=datetime.UTC),
        )
        querysets = [
            PortalSettings.objects.order_by("pk")[:1],
            Locale.objects.order_by("pk"),
            Page.objects.filter(depth__lte=2).order_by("path"),
            EventPage.objects.filter(slug="rencontre-de-quartier"),
        ]

        with CaptureQueriesContext(connection) as captured:
            together = rows_of(querysets)

        assert len(captured) == 1
        for queryset, rows in zip(querysets, together, strict=True):
            expected = list(queryset.all())
            assert [type(row) for row in rows] == [type(row) for row in expected]
            assert [field_values(row) for row in rows] == [field_values(row) for row in expected]
        event = together[3][0]
        assert event.start == datetime.datetime(2026, 12, 24, 18, 30, tzinfo=datetime.UTC)
        assert event.url_path.endswith("/rencontre-de-quartier/")


def test_an_empty_table_gives_no_rows(alpha):
    with schema_context(alpha.schema_name):
        assert rows_of([Page.objects.filter(slug="nulle-part")]) == [[]]
