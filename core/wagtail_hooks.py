"""What core registers at its own extension points: the Wagtail and Django models it
installs that show on pages, and its own models."""

from __future__ import annotations

from collections.abc import Iterable

from wagtail import hooks

from core.caching import CORE_NOT_SHOWN_ON_PAGES, CORE_SHOWN_ON_PAGES
from core.extension_points import NOT_SHOWN_ON_PAGES, SHOWN_ON_PAGES


@hooks.register(SHOWN_ON_PAGES)
def core_models_shown_on_pages() -> Iterable[str]:
    """Images, documents, collections, tags, sites, locales, privacy rows, redirects, and
    the network's registry."""
    return CORE_SHOWN_ON_PAGES


@hooks.register(NOT_SHOWN_ON_PAGES)
def core_models_not_shown_on_pages() -> Iterable[str]:
    """Anti-abuse counters, the network's own bookkeeping, and the Wagtail and Django
    models of a portal's schema that no public page shows (accounts, editing's records)."""
    return CORE_NOT_SHOWN_ON_PAGES
