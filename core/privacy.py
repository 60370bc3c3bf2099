"""What is private stays on its page: the one answer to "may this be shown elsewhere?".

A page under a view restriction (login, password or groups, set on it or on an ancestor)
and a document in a collection under a view restriction are served by Wagtail to those
allowed, on their own address only. Every listing, feed, calendar, home block, sitemap,
search, infolettre block and the federation's index asks here what it may show.

Within a portal's request the answers cost no query: the portal's state
(``core.tenant_state``) remembers where its private sections start, and a page is private
exactly when its tree path starts with one of those (Wagtail's ``descendant_of``, which is
what ``PageQuerySet.public()`` excludes). Outside a request (a command, the infolettre's
sending, another portal's schema), or once a restriction was written during the request,
Wagtail's own queries answer.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.html import escape
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.models import CollectionViewRestriction, Page
from wagtail.query import PageQuerySet

from core import tenant_state


def _private_paths() -> list[str] | None:
    """The paths of the current portal's restricted pages, or None when not known here."""
    return tenant_state.remembered("private_paths")


def _under_any(paths: list[str], field: str = "path") -> Q:
    """Rows whose tree ``field`` lies at or below any of ``paths`` (Wagtail's treebeard
    paths: a descendant's path starts with its ancestor's)."""
    below = Q()
    for path in paths:
        below |= Q(**{f"{field}__startswith": path})
    return below


def may_have_private_pages() -> bool:
    """False when the portal's state knows that none of its pages is private (most
    portals): then nothing needs excluding, and no query is made."""
    return tenant_state.remembered("has_view_restrictions") is not False


def public_pages(pages: PageQuerySet) -> PageQuerySet:
    """``pages`` without those under a view restriction of their own or of an ancestor:
    Wagtail's ``PageQuerySet.public()``, without its query when the state is at hand."""
    paths = _private_paths()
    if paths is not None:
        return pages.exclude(_under_any(paths)) if paths else pages
    if not may_have_private_pages():
        return pages
    return PageQuerySet.public(pages)


def may_be_private(page: Page) -> bool:
    """False when the portal's state knows that no restriction covers ``page``."""
    paths = _private_paths()
    if paths is not None:
        return any(page.path.startswith(path) for path in paths)
    return may_have_private_pages()


def is_private(page: Page) -> bool:
    """Whether ``page`` is under a view restriction of its own or of an ancestor."""
    if not may_be_private(page):
        return False
    return Page.get_view_restrictions(page).exists()


def may_link_to(page: Page | None) -> bool:
    """Whether a block that names ``page`` (a page chooser's value) may show it elsewhere:
    live and public. A chooser loads the page's row, which holds an unpublished page's
    latest draft: its title, and a link to a 404 or a login."""
    return page is not None and page.live and not is_private(page)


def is_private_section(model: type[Page]) -> bool:
    """Whether a live page of ``model`` is under a view restriction: for sections whose
    items are not pages of their own (classifieds, actors), shown elsewhere only when their
    section is public."""
    if not may_have_private_pages():
        return False
    return model.objects.live().private().exists()


def is_private_document(document) -> bool:
    """Whether ``document`` lies in a collection under a view restriction (of its own or of
    a parent collection): it is then listed nowhere, not even on a public page."""
    if document is None:
        return False
    return not public_documents(type(document).objects.filter(pk=document.pk)).exists()


def public_documents(documents: QuerySet) -> QuerySet:
    """``documents`` without those in a collection under a view restriction (of its own
    or of a parent collection): Wagtail serves them to those allowed only, and they must
    never be copied or listed elsewhere."""
    restricted_paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    private = _under_any(restricted_paths, "collection__path")
    return documents.exclude(private) if private else documents


class PublicDocumentLinkHandler(DocumentLinkHandler):
    """Rich text's links to documents, as Wagtail renders them, except that a link to a
    document in a private collection becomes plain text: no address, so neither its file
    name nor its place is given away on a public page, a feed, an e-mail or a search
    result. The editor's words stay; those allowed find the document in the admin.

    Registered for the ``document`` link type in ``core/wagtail_hooks.py``, after
    Wagtail's own handler. Two queries for a text holding document links (the documents,
    then which of them are public), none for a text without any.
    """

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        documents = cls.get_many(attrs_list)
        ids = [document.pk for document in documents if document is not None]
        shown: set[int] = set()
        if ids:
            found = public_documents(cls.get_model().objects.filter(pk__in=ids))
            shown = set(found.values_list("pk", flat=True))
        # An anchor without href, as Wagtail writes for a missing document: read as text,
        # never focused, and the closing tag the rewriter leaves in place still matches.
        return [
            f'<a href="{escape(document.url)}">' if document and document.pk in shown else "<a>"
            for document in documents
        ]
