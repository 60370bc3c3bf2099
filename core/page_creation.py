"""One page added under a parent at a time, so that a form posted twice meets a form
error, never a 500.

Wagtail's create view checks the slug in the form, then adds the page
(``parent.add_child``), which checks it again once the tree has locked the parent's row.
Two POSTs of one form (a double click, a form sent again, the editor's autosave still on
its way when "Soumettre" is pressed) both pass the form's check, then the second one's
``add_child`` raises ``ValidationError`` "slug déjà utilisé": a 500. Measured in
``tests/core/test_double_post.py``, which makes the overlap certain.

- ``hold_children_of`` (called by the ``before_create_page`` and ``before_edit_page``
  hooks of ``core.wagtail_hooks``) takes a PostgreSQL advisory lock on the parent for the
  rest of the request: the second POST waits for the first to be over, then the form's
  own check sees its page and answers in French (``explain_taken_slug``).
- ``add_with_free_slug`` is for the services that make pages themselves (a proposal
  accepted, a story picked, a sheet adopted): the parent's row is locked before the free
  slug is chosen, so two at once get two slugs instead of one error.
"""

from __future__ import annotations

import hashlib
import logging
import threading

from django.core.exceptions import ValidationError
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Page

logger = logging.getLogger(__name__)

# The advisory locks this thread's request holds: (its connection, keys). A module-level
# thread-local: ``request_finished`` runs on every request, and reading ``connection``
# (asgiref's ``Local``) there would cost each of them more than the check itself.
_held = threading.local()


def _key(parent: Page) -> int:
    """A signed 64-bit key for ``parent`` of this schema (advisory locks are per database,
    and every portal's pages count their ids from 1)."""
    name = f"quartiers:page-children:{connection.schema_name}:{parent.pk}".encode()
    return int.from_bytes(hashlib.blake2b(name, digest_size=8).digest(), "big", signed=True)


def hold_children_of(parent: Page) -> None:
    """Until this request ends, no other request adds a child under ``parent`` or renames
    one of its children (if they ask for the same hold, as Wagtail's views do here).
    ``parent`` is read again once held: its count of children may have changed.

    Inside a transaction (a test's), the lock lasts until that transaction ends instead.
    """
    key = _key(parent)
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        else:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
            _held.__dict__.setdefault("keys", []).append(key)
            _held.connection = connections[DEFAULT_DB_ALIAS]
    # The parent was read before the wait: a page added meanwhile must count, or the
    # tree takes it for a leaf and the form's slug check looks at no child at all.
    parent.refresh_from_db(fields=["numchild"])


def _release(**kwargs: object) -> None:
    """At the end of the request, let go of what ``hold_children_of`` held."""
    keys = _held.__dict__.pop("keys", None)
    if not keys:
        return
    held_on = _held.__dict__.pop("connection")
    if held_on.connection is None:
        return  # closed already: PostgreSQL let go with the session
    try:
        with held_on.cursor() as cursor:
            for key in keys:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    except DatabaseError:
        # A lock left behind would stop every later page under that parent: the session
        # goes, and its locks with it.
        logger.exception("Advisory lock not released; closing the connection")
        held_on.close()


def connect_signals() -> None:
    """Release the holds when the request ends (called by ``CoreConfig.ready``)."""
    request_finished.connect(_release, dispatch_uid="page-creation-release")


def explain_taken_slug(slug: str, parent: Page, page: Page | None) -> ValidationError | None:
    """The French answer to a page whose slug a sibling holds, naming that sibling: most
    often the very page the same form just made (a double click, the autosave)."""
    siblings = parent.get_children().filter(slug=slug)
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    twin = siblings.only("title").first()
    if twin is None:
        return None
    return ValidationError(
        _(
            "Une page « %(title)s » existe déjà à cette adresse dans « %(parent)s ». Si vous "
            "venez de l'enregistrer (double clic, enregistrement automatique), ouvrez-la "
            "depuis la liste des pages ; sinon, changez le titre ou le slug de la nouvelle "
            "page."
        )
        % {"title": twin.title, "parent": parent.title},
        code="slug_taken",
    )


@transaction.atomic
def add_with_free_slug(parent: Page, page: Page, wanted: str) -> Page:
    """Add ``page`` under ``parent`` with ``wanted`` as slug, or the first free
    ``wanted-1``, ``wanted-2``... (Wagtail's ``find_available_slug``); callers at the
    same time get different slugs."""
    # The row lock the tree takes in ``add_child``, taken before the slug is chosen; the
    # count of children read with it (a parent read as childless shows no slug taken).
    parent.numchild = (
        Page.objects.select_for_update().values_list("numchild", flat=True).get(pk=parent.pk)
    )
    page.slug = find_available_slug(parent, wanted)
    parent.add_child(instance=page)
    return page
