"""The network table's sortable headers (links, no script) and reading a row's value."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def sort_header(key: str, label: str, sort: str, descending: bool, query: str) -> str:
    """A column header whose link sorts the table by it (again: the other way round)."""
    current = key == sort
    order = "asc" if current and descending else "desc"
    state = ""
    if current:
        state = "descending" if descending else "ascending"
    hint = _("trier par ordre croissant") if order == "asc" else _("trier par ordre décroissant")
    return format_html(
        '<th scope="col"{}><a href="?{}&amp;tri={}&amp;ordre={}">{}'
        '<span class="w-sr-only"> ({})</span></a></th>',
        format_html(' aria-sort="{}"', state) if state else "",
        query,
        key,
        order,
        label,
        hint,
    )


@register.filter
def value_of(values: dict, key: str) -> int:
    """``values[key]``, 0 when absent."""
    return values.get(key, 0)
