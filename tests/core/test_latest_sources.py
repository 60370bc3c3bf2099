""" "Latest" sources are registered by features; a source no feature answers any more is
reported by a system check, and shows nothing to visitors."""

import json
import logging
from types import SimpleNamespace

import pytest
from django.core import checks
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail import hooks

from core.extension_points import LATEST_SOURCES
from core.latest import LatestSource, LetterLine
from home.blocks import LatestBlock
from home.models import HomePage
from newsletter.blocks import LatestItemsBlock
from newsletter.latest import latest_items
from tests.newsletter.conftest import publish_issue

pytestmark = pytest.mark.django_db

NOTES = [
    SimpleNamespace(
        title="Troc de graines samedi",
        url="/notes/troc/",
        summary="",
        locale="fr",
        tenant=SimpleNamespace(name="Épinglé"),
    )
]


def _notes_source() -> list[LatestSource]:
    return [
        LatestSource(
            key="notes",
            label="Le tableau d'affichage",
            items=lambda limit: NOTES[:limit],
            template="portal/latest/toolkit.html",
            letter_label="Les nouvelles notes",
            letter_line=lambda note: LetterLine(note.title, note.url),
            appeared_at=None,
        )
    ]


def _store_body(table: str, pk: int, body: list) -> None:
    # Written as it is stored, without Wagtail's validation: as an old release left it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET body = %s::jsonb WHERE page_ptr_id = %s",  # noqa: S608
            [json.dumps(body), pk],
        )


def _latest(source: str, **value: object) -> dict:
    return {"type": "latest", "value": {"source": source, **value}, "id": f"id-{source}"}


def _stored_source_warnings() -> list[checks.CheckMessage]:
    found = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
    return [message for message in found if message.id == "quartiers.W002"]


def test_a_source_registered_by_a_feature_is_offered_by_the_blocks_and_renders(alpha, client_for):
    with hooks.register_temporarily(LATEST_SOURCES, _notes_source):
        home_choices = dict(LatestBlock().child_blocks["source"].field.choices)
        letter_choices = dict(LatestItemsBlock().child_blocks["source"].field.choices)
        with schema_context(alpha.schema_name):
            home = HomePage.objects.get()
            home.body = [("latest", {"source": "notes", "title": "", "count": 3})]
            home.save_revision().publish()
            lines = latest_items("notes", 5, since=None)
        page = client_for(alpha).get("/").text

    assert home_choices["notes"] == "Le tableau d'affichage"
    assert "news" in home_choices and "on_air" in home_choices  # the features' own
    assert letter_choices["notes"] == "Les nouvelles notes"
    assert "Le tableau d&#x27;affichage" in page
    assert "Troc de graines samedi" in page
    assert [line.title for line in lines] == ["Troc de graines samedi"]


def test_the_check_reports_a_page_storing_a_retired_source(alpha):
    with schema_context(alpha.schema_name):
        home = HomePage.objects.get()
        _store_body(
            "home_homepage",
            home.pk,
            [_latest("news", title="", count=3), _latest("retired-source", title="", count=3)],
        )
        issue = publish_issue(alpha, "Lettre de juin")
        _store_body("newsletter_newsletterpage", issue.pk, [_latest("ancienne-rubrique", limit=5)])

        in_portal = _stored_source_warnings()
    on_public = _stored_source_warnings()

    reported = "\n".join(message.msg for message in in_portal)
    assert len(in_portal) == 2
    assert "retired-source" in reported and home.title in reported
    assert "ancienne-rubrique" in reported and "Lettre de juin" in reported
    assert "« news »" not in reported
    assert on_public == []


def test_a_retired_source_shows_nothing_to_visitors_and_is_logged(alpha, client_for, caplog):
    with schema_context(alpha.schema_name):
        home = HomePage.objects.get()
        _store_body(
            "home_homepage",
            home.pk,
            [_latest("retired-source", title="Ancienne rubrique", count=3)],
        )

    with caplog.at_level(logging.WARNING, logger="core.latest"):
        response = client_for(alpha).get("/")

    assert response.status_code == 200
    assert "Ancienne rubrique" not in response.text
    assert "retired-source" in caplog.text


def test_the_check_reports_the_other_rows_when_one_page_stores_odd_data(alpha):
    # all_tenants_command check (and a plain migrate_schemas) runs it in every portal in
    # turn: a check that raises on one portal's odd row (blocks without a type, a list
    # where an object was expected) would stop there, the next portals unchecked.
    with schema_context(alpha.schema_name):
        issue = publish_issue(alpha, "Lettre de juillet")
        _store_body("newsletter_newsletterpage", issue.pk, [_latest("ancienne-rubrique", limit=5)])
        _store_body(
            "home_homepage",
            HomePage.objects.get().pk,
            [{"value": {"source": "news"}}, "junk", _latest("retired-source", title="", count=3)],
        )

        reported = "\n".join(message.msg for message in _stored_source_warnings())

    assert "ancienne-rubrique" in reported and "Lettre de juillet" in reported
    assert "retired-source" in reported


def test_the_check_never_scans_the_whole_catalogue(alpha):
    # It runs in every schema (all_tenants_command check): a query over every table of every
    # schema (Django's table list, pg_table_is_visible on each row of pg_class) grows with
    # the number of portals, so that migrating n portals would cost n² rows read.
    with schema_context(alpha.schema_name), CaptureQueriesContext(connection) as queries:
        _stored_source_warnings()

    scans = [query["sql"] for query in queries if "pg_table_is_visible" in query["sql"]]
    assert scans == []
