"""Every cache of a portal, under one key scheme: forgotten the moment what it shows changes.

One key builder, ``portal_key(kind, *parts)``, makes the keys of the page cache
(``core.page_cache``), the portal state (``core.tenant_state``), the menu
(``core.templatetags.portal_navigation``), the home page's "latest" fragments
(``home.blocks``) and the embed hosts a portal may frame (``core.security``)::

    <release>:<kind>:<portal generation>:<network generation>:<parts...>

- the schema is added by the ``KEY_FUNCTION`` of the cache backends (``core.cache_keys``,
  django-tenants' own), so portal A's entry can never be read at portal B, whatever the key;
- the *release* (``settings.CACHE_RELEASE``, ``core.release``): a deploy never reads what
  older code stored;
- the portal's *generation*, a number kept in the ``pages`` cache under the portal's prefix
  and bumped when anything a visitor sees in that portal changes (a page written, published,
  unpublished, moved or deleted; a row of a model shown on pages): every entry of that
  portal is forgotten at once, and no other portal's;
- the *network generation*, kept in the same ``pages`` cache under a key without a schema
  (``core.cache_keys.NETWORK_KEY_PREFIX``) and bumped when the federation index or the
  registry changes, because every portal's home page shows the network's toolkit and the
  federation's pages (hub, agenda, podcast) credit every open portal by name. Being in
  the same cache as the portal's generation, both are read in one ``get_many`` (one round
  trip to Redis).

The generations themselves are not under the release: during a rolling deploy, a change
seen by a server of one release is seen by the other's too. A request reads them once
(``generations_read_once``, opened by the page cache's middleware for every request), not
once for each fragment it looks up; a bump made during the request is seen at once.

A portal's request that the page cache does not answer then asks the default cache, in
one ``get_many``, for every entry the last request for the same address read (its state,
menu, footer, blocks...: ``reads_ahead``, opened by ``core.tenant_state``'s middleware),
and its readers (``fragment``, ``fragments_found``, ``kept``) take them from there: two
round trips to Redis (the generations, then the entries) instead of one for each. What
is remembered in the process is which keys an address read, never their values; an entry
the request's own writes change (a generation bumped: new keys) is read again.

The page cache (``core.page_cache``) keeps the generations in its entries rather than in
its keys, so that one ``get_many`` reads a page and what it depends on together.

The host cache (``tenants.host_cache``) sits below core and cannot import it: it keeps its
lookups in each process's memory under its own registry generation.

Some rows show on one page only (a reaction under its article): a change to one must not
forget the whole portal. Each address (a path ending in "/") may have an *address
generation* of its own, bumped by ``address_changed(path)``; a cached page carries the
generations of every address above it (``address_generations``: ``/actualites/``,
``/actualites/mon-article/``...; none for the home page), read in the same ``get_many`` as
the page, so bumping a page's address forgets that page and its sub-views (its comments
feed, its forms), and nothing else.

Which models are shown on pages is registered by each app (``SHOWN_ON_PAGES``, and the
others declared ``NOT_SHOWN_ON_PAGES``, see ``core.extension_points``); labels are read at
the first signal, once every app's ``wagtail_hooks`` can be imported.

Why not ``wagtail-cache`` or Django's ``cache_page``: both clear the whole cache backend (or
a keyring of URLs) on publish, which with one cache for the network would flush every
portal; neither knows about sessions living in each tenant's schema.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail import hooks
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.cache_keys import NETWORK_KEY_PREFIX
from core.extension_points import NOT_SHOWN_ON_PAGES, SHOWN_ON_PAGES, SHOWN_ON_THEIR_PAGE
from tenants.bulk_writes import defer_once
from tenants.models import Domain, Neighbourhood

CACHE_ALIAS = "pages"
GENERATION_KEY = "pagecache:generation"
# The same at every portal: ``core.cache_keys`` keeps the schema out of this key only.
NETWORK_GENERATION_KEY = NETWORK_KEY_PREFIX + "pagecache:generation"
ADDRESS_GENERATION_KEY = "pagecache:address-generation:"
# Deeper addresses share the generation of their first levels: a robot inventing paths
# cannot make the key's lookup longer than this.
MAX_ADDRESS_LEVELS = 6

# The generations read during the current request, by schema (and the network's under
# NETWORK_GENERATION_KEY): each request reads them from the store once, not once a key.
_known: ContextVar[dict[str, int] | None] = ContextVar("cache_generations", default=None)
# The entries of the default cache the current request read already (asked ahead by
# ``reads_ahead``, looked up by ``fragments_found``, ``kept`` or ``fragment``), by schema
# and key, a miss as ``_MISSING``: none is asked of the store twice within a request.
_looked_up: ContextVar[dict[tuple[str, str], object] | None] = ContextVar(
    "cache_fragments_looked_up", default=None
)
_MISSING = object()
# What the request ``reads_ahead`` serves read of the default cache in its own schema, as
# the (kind, parts) of each entry's ``portal_key``, in the order read.
_reading: ContextVar[tuple[str, dict[tuple[str, tuple], None]] | None] = ContextVar(
    "cache_reading", default=None
)
# For each address of a portal, under its generations (schema, portal and network
# generations, host, path, language): the (kind, parts) of the entries its last request
# read, asked for together, in one ``get_many``, when the next request for it starts. No
# entry's value is kept here, only which keys to ask for: the values come from the store,
# under the schema and generations of the request that asks. Bounded (oldest out first).
_read_last_time: dict[tuple, tuple[tuple[str, tuple], ...]] = {}
MAX_ADDRESSES_READ_AHEAD = 2_000
_read_last_time_lock = threading.Lock()


# --- Generations and keys ----------------------------------------------------------------


@contextmanager
def generations_read_once() -> Iterator[None]:
    """Within this block (a request), the generations are read from the store once: every
    ``portal_key`` then costs no round trip of its own. A bump made by this process is
    seen at once; one made by another process while the block runs, at the next block.
    A fragment looked up with ``fragments_found`` is not asked of the store again by
    ``fragment`` within the block (the home page's banner: looked up, then shown)."""
    token = _known.set({})
    looked_up = _looked_up.set({})
    try:
        yield
    finally:
        _looked_up.reset(looked_up)
        _known.reset(token)


def _bump(key: str, alias: str = CACHE_ALIAS) -> None:
    cache = caches[alias]
    try:
        cache.incr(key)
        # Django's incr on a backend of its own (``BaseCache.incr``: the file cache's)
        # writes the value back with the default 300 s timeout: a generation must never
        # expire (its loss empties every process's memo at once, and made query counts
        # depend on the test's duration). The project's file and Redis backends keep the
        # expiry themselves (``incr_keeps_expiry``): no second write, no round trip.
        if not getattr(cache, "incr_keeps_expiry", False):
            cache.touch(key, None)
    except ValueError:
        # Never set, or evicted: start from a value no stale entry can have been stored under.
        cache.set(key, _fresh_generation(), timeout=None)
    known = _known.get()
    if known is not None:
        known.clear()  # read again, this request included


def _fresh_generation() -> int:
    return time.time_ns()


def _bump_now_and_after_commit(key: str, schema_name: str, alias: str = CACHE_ALIAS) -> None:
    # Within a block of bulk writes (a portal's demo content), once at its end: nobody reads
    # what the block writes before it ends.
    if defer_once(
        ("generation", key, schema_name, alias), lambda: _bump_in(key, schema_name, alias)
    ):
        return
    # Bumped now (this process sees the change at once, and so do tests that never commit)
    # and again after commit: a visitor's request that read the old rows while the
    # transaction was open must not stay cached under the new generation.
    _bump(key, alias)

    def again() -> None:
        with _in_schema(schema_name):
            _bump(key, alias)

    transaction.on_commit(again)


def _bump_in(key: str, schema_name: str, alias: str) -> None:
    with _in_schema(schema_name):
        _bump_now_and_after_commit(key, schema_name, alias)


def _in_schema(schema_name: str) -> AbstractContextManager[object]:
    """``schema_context(schema_name)``, or nothing when the connection is there already:
    django-tenants empties Django's content type cache at every change of schema, even to
    the same one, and the next page read asked for its types again."""
    if connection.schema_name == schema_name:
        return nullcontext()
    return schema_context(schema_name)


def portal_changed(schema_name: str | None = None) -> None:
    """Forget every cached page and fragment of one portal (the current schema's by default)."""
    schema_name = schema_name or connection.schema_name
    if schema_name == get_public_schema_name():
        return
    if schema_name == connection.schema_name:
        _bump_now_and_after_commit(GENERATION_KEY, schema_name)
    else:
        with schema_context(schema_name):
            _bump_now_and_after_commit(GENERATION_KEY, schema_name)


def _address_levels(path: str) -> list[str]:
    """The addresses a path sits under, itself included: ``/a/b/`` -> ``/a/``, ``/a/b/``.
    The root is not one: forgetting everything under it is ``portal_changed``."""
    parts = [part for part in path.split("/") if part][:MAX_ADDRESS_LEVELS]
    return [
        "/" + "".join(f"{part}/" for part in parts[:depth]) for depth in range(1, len(parts) + 1)
    ]


def _address_key(address: str) -> str:
    # Hashed: a long or odd path makes a short key that every cache backend accepts.
    return ADDRESS_GENERATION_KEY + hashlib.sha256(address.encode()).hexdigest()[:32]


def address_changed(path: str, schema_name: str | None = None) -> None:
    """Forget the cached answers of the current portal at ``path`` and below it (a page
    and its sub-views), and no other: for a row that shows on one page only."""
    schema_name = schema_name or connection.schema_name
    if schema_name == get_public_schema_name() or not path.startswith("/"):
        return
    levels = _address_levels(path)
    if not levels:
        portal_changed(schema_name)
        return
    _bump_now_and_after_commit(_address_key(levels[-1]), schema_name)


def address_generation_keys(path: str) -> list[str]:
    """The keys of the generations of the addresses ``path`` sits under (none for "/")."""
    return [_address_key(address) for address in _address_levels(path)]


def address_generations(path: str, found: dict[str, object] | None = None) -> str:
    """The generations of the addresses ``path`` sits under, as one part of a page's key
    (read from the store, or from ``found``, what a ``get_many`` of the keys returned).

    An address never bumped counts as 0 and costs no write: only pages with rows of their
    own (``SHOWN_ON_THEIR_PAGE``) ever have one. Were a bumped generation evicted, the
    entries kept under 0 before its first bump expire within ``PAGE_CACHE_SECONDS``.
    """
    keys = address_generation_keys(path)
    if not keys:
        return ""
    if found is None:
        found = caches[CACHE_ALIAS].get_many(keys)
    return ".".join(str(found.get(key, 0)) for key in keys)


def network_changed() -> None:
    """Forget every portal's cached pages: something every portal shows has changed."""
    _bump_now_and_after_commit(NETWORK_GENERATION_KEY, connection.schema_name)


def read_with_generations(keys: Iterable[str] = ()) -> dict[str, object]:
    """The entries of the ``pages`` cache at ``keys`` with, under ``GENERATION_KEY`` and
    ``NETWORK_GENERATION_KEY``, the current portal's and the network's generations: one
    ``get_many`` (one round trip to Redis) for a cached page and everything it depends on.
    """
    cache = caches[CACHE_ALIAS]
    found = cache.get_many([GENERATION_KEY, NETWORK_GENERATION_KEY, *keys])
    for key in (GENERATION_KEY, NETWORK_GENERATION_KEY):
        if key not in found:
            # First read since the store was emptied: every reader agrees on one value.
            cache.add(key, _fresh_generation(), timeout=None)
            # get_many: with Redis, read where the next requests find it (core.watched_reads).
            found[key] = cache.get_many([key]).get(key, 0)
    known = _known.get()
    if known is not None:
        known[connection.schema_name] = found[GENERATION_KEY]
        known[NETWORK_GENERATION_KEY] = found[NETWORK_GENERATION_KEY]
    return found


def generations() -> tuple[int, int]:
    """(this portal's generation, the network's): part of every key ``portal_key`` makes."""
    known = _known.get()
    if known is not None and connection.schema_name in known:
        return known[connection.schema_name], known[NETWORK_GENERATION_KEY]
    found = read_with_generations()
    return found[GENERATION_KEY], found[NETWORK_GENERATION_KEY]


def portal_key(kind: str, *parts: object) -> str:
    """The key of an entry of the current portal's caches, for any backend whose key
    function adds the schema: ``<release>:<kind>:<portal gen>:<network gen>:<parts...>``.

    ``kind`` names the cache (``page``, ``menu``, ``latest``...); ``parts`` say which entry
    of it. Bumping either generation, or deploying another release, forgets the entry.
    """
    here, network = generations()
    return ":".join([settings.CACHE_RELEASE, kind, str(here), str(network), *map(str, parts)])


@contextmanager
def reads_ahead(address: Hashable) -> Iterator[Callable[[], None]]:
    """Within this block (a portal's request for ``address``), the entries of the default
    cache the last request for that address read are asked for at once, in one
    ``get_many``, and kept for the block: ``fragment``, ``fragments_found`` and ``kept``
    then take them from there. Yields a function to call once the answer is one worth
    remembering what it read for the next request (a page served, not a 404 a robot made
    up). Nothing happens with ``FRAGMENT_CACHE_ENABLED`` or ``FRAGMENT_READ_AHEAD`` off.

    ``address`` says what the request is for (host, path, language); the schema and the
    generations are added here, so that an address's reads are remembered for its portal,
    under the generations they were read with, and forgotten with them."""
    if not (settings.FRAGMENT_CACHE_ENABLED and settings.FRAGMENT_READ_AHEAD):
        yield lambda: None
        return
    with ExitStack() as scope:
        if _looked_up.get() is None:
            scope.enter_context(generations_read_once())
        schema = connection.schema_name
        remembered_as = (schema, *generations(), address)
        read_before = _read_last_time.get(remembered_as, ())
        if read_before:
            _read(_keys(read_before))
        read_now: dict[tuple[str, tuple], None] = {}
        worth_remembering = []
        token = _reading.set((schema, read_now))
        try:
            yield lambda: worth_remembering.append(True)
        finally:
            _reading.reset(token)
        if worth_remembering and tuple(read_now) != read_before:
            # Threaded servers (runserver, the tests' live server, gunicorn --threads) may
            # trim at once: unguarded, both would delete the same oldest address (a 500 at
            # the end of a page already built).
            with _read_last_time_lock:
                _read_last_time.pop(remembered_as, None)
                if len(_read_last_time) >= MAX_ADDRESSES_READ_AHEAD:
                    del _read_last_time[next(iter(_read_last_time))]
                _read_last_time[remembered_as] = tuple(read_now)


def _keys(wanted: Iterable[tuple[str, tuple]]) -> dict[str, tuple[str, tuple]]:
    """``portal_key`` of each (kind, parts), under this request's generations."""
    return {portal_key(kind, *parts): (kind, parts) for kind, parts in wanted}


def _note(wanted: Iterable[tuple[str, tuple]]) -> None:
    # Remembered for the request's address (``reads_ahead``), in the request's schema only:
    # the next request asks for them in that schema.
    reading = _reading.get()
    if reading is not None and reading[0] == connection.schema_name:
        # As ``portal_key`` writes them: whatever a caller's parts are, hashable.
        reading[1].update(dict.fromkeys((kind, tuple(map(str, parts))) for kind, parts in wanted))


def _read(keys: Iterable[str]) -> dict[str, object]:
    """The default cache's entries at ``keys`` (those found): what this request read
    already, the rest asked in one ``get_many`` and kept for the request, misses too."""
    schema = connection.schema_name
    looked_up = _looked_up.get()
    if looked_up is None:
        return caches["default"].get_many(list(keys))
    found = {}
    asked = []
    for key in keys:
        value = looked_up.get((schema, key))
        if value is None:
            asked.append(key)
        elif value is not _MISSING:
            found[key] = value
    if asked:
        answers = caches["default"].get_many(asked)
        looked_up.update({(schema, key): answers.get(key, _MISSING) for key in asked})
        found.update(answers)
    return found


def kept(kind: str, *parts: object) -> tuple[str, Any]:
    """The key ``portal_key(kind, *parts)`` and the default cache's entry there (None when
    not kept), read once a request (``reads_ahead`` may have asked for it already). Store
    what is built for a miss with ``keep`` under that same key: made before the building,
    it names the generations the building read under."""
    wanted = (kind, tuple(parts))
    _note([wanted])
    key = portal_key(kind, *parts)
    return key, _read([key]).get(key)


def keep(key: str, value: object, seconds: int) -> None:
    """Store ``value`` in the default cache at ``key`` (given by ``kept``) for ``seconds``,
    and as this request's answer for it."""
    caches["default"].set(key, value, seconds)
    looked_up = _looked_up.get()
    if looked_up is not None:
        looked_up[(connection.schema_name, key)] = value


Fragment = TypeVar("Fragment")


def fragment(
    kind: str, parts: Iterable[object], seconds: int, build: Callable[[], Fragment]
) -> Fragment:
    """``build()``, kept in the fragment cache under ``portal_key(kind, *parts)`` for at
    most ``seconds`` (sooner forgotten when the portal or the network changes); built each
    time when ``FRAGMENT_CACHE_ENABLED`` is off. A fragment may hold only what the portal's
    rows say, never anything about the visitor."""
    if not settings.FRAGMENT_CACHE_ENABLED:
        return build()
    key, value = kept(kind, *parts)
    if value is None:
        value = build()
        keep(key, value, seconds)
    return value


def fragments_found(kind: str, parts: Iterable[tuple[object, ...]]) -> dict[tuple, object]:
    """The fragments of ``kind`` already kept for each of ``parts`` (those ``fragment``
    would find), by their parts, in one ``get_many`` at most (none for those this request
    read already); none when the cache is off. A page that shows several fragments asks
    for them together, then reads what is missing together too (the home page's blocks)."""
    if not settings.FRAGMENT_CACHE_ENABLED:
        return {}
    wanted = [(kind, tuple(part)) for part in parts]
    _note(wanted)
    keys = _keys(wanted)
    return {keys[key][1]: value for key, value in _read(keys).items()}


# --- What changes a portal's pages ---------------------------------------------------------

_registered: dict[str, tuple[tuple[Callable, ...], frozenset[str]]] = {}


def _labels(hook_name: str) -> frozenset[str]:
    # Read again whenever the registered functions change (a test's register_temporarily).
    functions = tuple(hooks.get_hooks(hook_name))
    known = _registered.get(hook_name)
    if known is None or known[0] != functions:
        labels = frozenset(label for function in functions for label in function())
        known = _registered[hook_name] = (functions, labels)
    return known[1]


def shown_on_pages() -> frozenset[str]:
    """Labels of the models whose rows show on a portal's pages (``SHOWN_ON_PAGES``)."""
    return _labels(SHOWN_ON_PAGES)


def not_shown_on_pages() -> frozenset[str]:
    """Labels of the models declared as never shown on a page (``NOT_SHOWN_ON_PAGES``)."""
    return _labels(NOT_SHOWN_ON_PAGES)


def shown_on_their_page() -> dict[str, Callable[[Model], Iterable[str]]]:
    """Labels of the models whose rows show on one page only (``SHOWN_ON_THEIR_PAGE``), each
    with the function that gives a row's page addresses."""
    functions = tuple(hooks.get_hooks(SHOWN_ON_THEIR_PAGE))
    known = _their_page.get("known")
    if known is None or known[0] != functions:
        addresses = {label: fn for function in functions for label, fn in function().items()}
        known = _their_page["known"] = (functions, addresses)
    return known[1]


_their_page: dict[str, tuple[tuple[Callable, ...], dict]] = {}


def _their_page_addresses(model: type[Model]) -> Callable[[Model], Iterable[str]] | None:
    shown = shown_on_their_page()
    return shown.get(model._meta.label) or shown.get(model._meta.concrete_model._meta.label)


def is_shown_on_pages(model: type[Model]) -> bool:
    """Whether a row of ``model`` written or deleted changes its portal's pages: a page
    type, or a model registered as shown (a proxy counts as its concrete model)."""
    if issubclass(model, Page):
        return True
    shown = shown_on_pages()
    return model._meta.label in shown or model._meta.concrete_model._meta.label in shown


def _on_page_event(sender, instance=None, **kwargs) -> None:
    portal_changed()


def _on_any_row(sender, instance=None, **kwargs) -> None:
    # Any page row written, a draft too: a redundant re-render is cheap, a stale page not.
    if not isinstance(sender, type):
        return
    if is_shown_on_pages(sender):
        portal_changed()
        return
    addresses = _their_page_addresses(sender)
    if addresses is not None and instance is not None:
        for path in addresses(instance):
            address_changed(path)


def _on_registry_row(sender, instance=None, **kwargs) -> None:
    # A portal renamed, suspended, or given a domain: its own pages say so, and so do the
    # federation's, which list every pilot and every open portal's shared pages, events and
    # episodes with its name and address (a suspended portal's leave them at once). The
    # registry changes a few times a month, so every portal refilling is cheap.
    network_changed()
    if isinstance(instance, Domain):
        schema = (
            Neighbourhood.objects.filter(pk=instance.tenant_id)
            .values_list("schema_name", flat=True)
            .first()
        )
    else:
        schema = instance.schema_name
    if schema:
        portal_changed(schema)


def _on_shared_entry(sender, **kwargs) -> None:
    network_changed()


def connect_signals() -> None:
    """Bump the right generation whenever something a visitor sees changes."""
    for name, signal in [
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ]:
        signal.connect(_on_page_event, dispatch_uid=f"page-cache-{name}")
    # Any sender: page subclasses send with their own class, and the models shown on
    # pages are known only once every app's hooks are loaded.
    post_save.connect(_on_any_row, dispatch_uid="page-cache-row-saved")
    post_delete.connect(_on_any_row, dispatch_uid="page-cache-row-deleted")
    # Rows of the public schema: the portal they are about, or every portal.
    for label in ("tenants.Neighbourhood", "tenants.Domain"):
        for signal in (post_save, post_delete):
            signal.connect(_on_registry_row, sender=label, dispatch_uid=f"page-cache-{label}")
    for label in NETWORK_ROWS:
        for signal in (post_save, post_delete):
            signal.connect(_on_shared_entry, sender=label, dispatch_uid=f"page-cache-{label}")


# The federation index and the toolkit's curation (public schema): listed on the
# federation's pages and every portal's toolkit, so a change refreshes the whole network.
NETWORK_ROWS = (
    "tenants.SharedEntry",
    "tenants.ToolkitSheet",
    "tenants.ToolkitCollection",
    "tenants.CollectionItem",
    "tenants.Adoption",
)


# Core's own and the Wagtail/Django models it installs, registered in core/wagtail_hooks.py.
CORE_SHOWN_ON_PAGES: tuple[str, ...] = (
    "wagtailimages.Image",
    # A document's title, type and size are listed on pages, unless its collection is
    # private: moving it (or its collection) there must forget those pages at once.
    "wagtaildocs.Document",
    "wagtailcore.Collection",
    "wagtailcore.Site",
    "wagtailcore.Locale",
    # A page or collection made private must stop being served to anonymous visitors.
    "wagtailcore.PageViewRestriction",
    "wagtailcore.CollectionViewRestriction",
    "wagtailredirects.Redirect",
    # The tags' names are listed on articles, sheets and actors.
    "taggit.Tag",
    # Rows of the public schema, shown on every portal's pages: their own receivers above
    # bump the portal they are about (registry) or the network (federation index).
    "tenants.Neighbourhood",
    "tenants.Domain",
    *NETWORK_ROWS,
)
CORE_NOT_SHOWN_ON_PAGES: tuple[str, ...] = (
    "core.RateCounter",
    "core.ModerationDigestSent",
    "tenants.NetworkAction",
    "tenants.DailyIndicator",
    "tenants.TemplateDump",
    # Accounts, rights and sessions: the admin's, never a public page's.
    "tenants.NetworkAccount",
    "tenants.NetworkMembership",
    "tenants.SecondFactorDevice",
    "tenants.RecoveryCode",
    "tenants.SecondFactorFailure",
    "tenants.SupportAccess",
    "tenants.TrainingStep",
    "contenttypes.ContentType",
    "auth.Permission",
    "auth.Group",
    "auth.User",
    "sessions.Session",
    "wagtailusers.UserProfile",
    "wagtailcore.GroupSitePermission",
    "wagtailcore.GroupCollectionPermission",
    "wagtailcore.GroupPagePermission",
    "wagtailcore.APIToken",
    "axes.AccessFailureLog",
    "axes.AccessAttempt",
    "axes.AccessAttemptExpiration",
    "axes.AccessLog",
    # Editing's bookkeeping: what a visitor sees changes through the page it belongs to,
    # whose own save or publication forgets the portal's pages.
    "wagtailcore.Revision",
    "wagtailcore.ModelLogEntry",
    "wagtailcore.PageLogEntry",
    "wagtailcore.ReferenceIndex",
    "wagtailcore.UploadedFile",
    "wagtailcore.Comment",
    "wagtailcore.CommentReply",
    "wagtailcore.PageSubscription",
    "wagtailcore.Workflow",
    "wagtailcore.WorkflowContentType",
    "wagtailcore.WorkflowPage",
    "wagtailcore.WorkflowState",
    "wagtailcore.WorkflowTask",
    "wagtailcore.Task",
    "wagtailcore.GroupApprovalTask",
    "wagtailcore.TaskState",
    "wagtailadmin.Admin",
    "wagtailadmin.EditingSession",
    "wagtailadmin.FormState",
    "wagtailsearch.IndexEntry",
    "wagtailforms.FormSubmission",
    "taggit.TaggedItem",  # the project's tags go through their own through models
    "simple_translation.SimpleTranslation",  # no rows: it only carries a permission
    # Written while a page renders (an image's size, an embed fetched): forgetting the
    # portal's pages then would throw away the page being rendered. Both follow the image
    # or the address the page holds.
    "wagtailimages.Rendition",
    "wagtailembeds.Embed",
)
