"""The observatory's figures as files for funders and partners: CSV and XLSX.

One row per portal and indicator: its value over the period and over the period before.
The XLSX file adds a sheet of the days. Every CSV cell goes through
``core.spreadsheets.spreadsheet_text`` (a portal's name is typed by people); in the XLSX
file every string is written as text, never as a formula (openpyxl would make one of a
string that starts with "=").
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import spreadsheet_text
from observatory.figures import Indicator, Period

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _headings() -> list[str]:
    return [
        _("Portail"),
        _("Indicateur"),
        _("Code"),
        _("Du"),
        _("Au"),
        _("Valeur"),
        _("Période précédente"),
        _("Nature"),
    ]


def rows(figures: list[tuple[str, list[Indicator]]], period: Period) -> list[list[object]]:
    """One row per portal and indicator (the portal's name, then the figures)."""
    return [
        [
            name,
            indicator.label,
            indicator.key,
            period.first.isoformat(),
            period.last.isoformat(),
            indicator.value,
            indicator.previous,
            _("état en fin de période") if indicator.counter.is_snapshot else _("total"),
        ]
        for name, indicators in figures
        for indicator in indicators
    ]


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(
    figures: list[tuple[str, list[Indicator]]], period: Period, filename: str
) -> HttpResponse:
    """The figures as a CSV file (UTF-8 with its mark, so that Excel reads the accents)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_headings())
    for row in rows(figures, period):
        writer.writerow([spreadsheet_text(cell) for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"{filename}.csv")


def _append_as_text(sheet, row: list) -> None:
    """openpyxl writes a string that starts with "=" as a formula: every string is text
    here (a portal's name is typed by a person)."""
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def xlsx_response(
    figures: list[tuple[str, list[Indicator]]], period: Period, filename: str
) -> HttpResponse:
    """The figures as an XLSX workbook: the totals, and the chart's points by portal."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicateurs")
    sheet.append(_headings())
    for row in rows(figures, period):
        _append_as_text(sheet, row)
    detail = book.create_sheet(_("Détail"))
    detail.append([_("Portail"), _("Indicateur"), _("Intervalle"), _("Valeur")])
    for name, indicators in figures:
        for indicator in indicators:
            for label, value in indicator.buckets:
                _append_as_text(detail, [name, indicator.label, label, value])
    out = io.BytesIO()
    book.save(out)
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX_TYPE), f"{filename}.xlsx")
