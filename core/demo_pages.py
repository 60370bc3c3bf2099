"""The demo's new pages, added and published with one validation instead of three.

A page added live (``add_child``), then given a revision (``save_revision``), then
published is validated three times over the same content: Wagtail's ``full_clean`` at
each save of a live page and at the revision, a dozen queries each (every foreign key
looked up, the slug's and the path's uniqueness). Seeding ten portals adds about five
hundred pages. Here the page is added as a draft (its title and slug checked, as any
draft's), its first revision is saved without validation, and the publication validates
it in full, once: what is published is what would have been, and an invalid demo page
still fails where it did.

Each new page is also given what Wagtail would otherwise look up at each of its saves:
its locale, its parent's (``Page.get_default_locale`` reads the parent again for it), and
that it is no site's root (``Page.is_site_root`` asks the sites at every save; Wagtail's
own ``annotate_site_root_state`` answers it the same way): two to three queries a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from wagtail.models import Page

P = TypeVar("P", bound=Page)


def publish_new_child(
    parent: Page, page: P, user: Any = None, before_publishing: Callable[[P], None] | None = None
) -> P:
    """Add ``page`` under ``parent`` and publish its first revision (saved by ``user``);
    ``before_publishing(page)``, if given, runs once the page has its id, before its
    revision (to give it what depends on the id, such as a drawn cover)."""
    page.live = False
    _add_child(parent, page)
    if before_publishing is not None:
        before_publishing(page)
    # Validated in full by the publication just below, on the same content.
    page.save_revision(user=user, clean=False).publish()
    return page


def add_new_post(
    parent: Page,
    page: P,
    user: Any,
    live: bool,
    before_revision: Callable[[P], None] | None = None,
) -> P:
    """Add ``page`` under ``parent`` with a first revision saved by ``user``: published
    when ``live`` (``publish_new_child``), else submitted to its workflow, as a resident's
    draft is (validated at its revision, since no publication follows).
    ``before_revision(page)``, if given, runs once the page has its id."""
    if live:
        return publish_new_child(parent, page, user, before_revision)
    page.live = False
    _add_child(parent, page)
    if before_revision is not None:
        before_revision(page)
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    return page


def _add_child(parent: Page, page: Page) -> None:
    """``parent.add_child(instance=page)``, ``page`` given its parent's locale and known to
    be no site's root (a new page under a section: the sites point at home pages)."""
    if page.locale_id is None:
        page.locale_id = parent.locale_id
    page._is_site_root = False
    parent.add_child(instance=page)
