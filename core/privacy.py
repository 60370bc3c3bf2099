"""What is private stays on its page: the one answer to "may this be shown elsewhere?".

A page under a view restriction (login, password or groups, set on it or on an ancestor)
and a document in a collection under a view restriction are served by Wagtail to those
allowed, on their own address only. Every listing, feed, calendar, home block, sitemap,
search, infolettre block and the federation's index asks here what it may show.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.models import CollectionViewRestriction, Page
from wagtail.query import PageQuerySet

from core import tenant_state


def may_have_private_pages() -> bool:
    """False when the portal's state knows that none of its pages is private (most
    portals): then nothing needs excluding, and no query is made."""
    return tenant_state.remembered("has_view_restrictions") is not False


def public_pages(pages: PageQuerySet) -> PageQuerySet:
    """``pages`` without those under a view restriction of their own or of an ancestor.

    Wagtail's ``PageQuerySet.public()``, which reads every restriction of the portal each
    time it is called, made free on a portal without private pages. Outside a portal's
    request (a command, the infolettre's sending, another portal's schema) the state is
    not at hand and Wagtail's answer is used.
    """
    if not may_have_private_pages():
        return pages
    return PageQuerySet.public(pages)


def is_private(page: Page) -> bool:
    """Whether ``page`` is under a view restriction of its own or of an ancestor."""
    if not may_have_private_pages():
        return False
    return Page.get_view_restrictions(page).exists()


def is_private_section(model: type[Page]) -> bool:
    """Whether a live page of ``model`` is under a view restriction: for sections whose
    items are not pages of their own (classifieds, actors), shown elsewhere only when their
    section is public."""
    if not may_have_private_pages():
        return False
    return model.objects.live().private().exists()


def public_documents(documents: QuerySet) -> QuerySet:
    """``documents`` without those in a collection under a view restriction (of its own
    or of a parent collection): Wagtail serves them to those allowed only, and they must
    never be copied or listed elsewhere."""
    restricted_paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    private = Q()
    for path in restricted_paths:
        private |= Q(collection__path__startswith=path)
    return documents.exclude(private) if private else documents
