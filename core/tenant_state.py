"""What every request of a portal needs and rarely changes, remembered per portal.

Each page of a portal used to start with the same queries: its Wagtail ``Site``, the
settings features register (``PORTAL_STATE_SETTINGS``: the portal's identity, its radio's
hosts...), and the content types Wagtail needs to turn a page into its own type
(django-tenants forgets Django's content type cache whenever the schema changes, since
ids may differ between schemas), the portal's locales and where its private sections
start (the paths of the pages that carry a view restriction). They are kept in the
default cache under ``core.caching.portal_key`` (schema, release, generations): a change
to the Site, the settings, a locale, a page (a move changes paths) or a view restriction
bumps the portal's generation (``core.caching``), so a stale copy is never used. The local
cache is bounded (``MAX_ENTRIES``), so memory does not grow with the number of portals.
The content types are not in that entry but in this process's memory (``_content_types``):
they were two thirds of what each request unpickled (12 of 20 kB), for rows that change
only with a deploy.

Code without the request at hand (a page's privacy check, the embed providers) reads the
current request's state through ``remembered()`` and ``remembered_setting()``; outside a
portal's request it returns None and callers ask the database as Wagtail does. With
``FRAGMENT_CACHE=0`` nothing is kept between requests: each request reads its state from
the database once (``read_once``), which costs fewer queries than each block asking.
The state answers only for the schema it was built for: code of portal A's request that
enters portal B (``schema_context``) gets None there, never A's settings or locales.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import translation
from django_tenants.utils import get_public_schema_name
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
    SiteRootPath,
)

from core import security
from core.caching import keep, kept, portal_key, reads_ahead
from core.combined_queries import rows_of
from core.extension_points import PORTAL_STATE_SETTINGS
from tenants.extension_points import gathered

TIMEOUT = 300
STATE_KIND = "portal-state"

# Each schema's content types, in this process's memory. django-tenants empties Django's own
# per-process content type cache at every change of schema (ids may differ between
# schemas), so each request asked for them again. They change only when a migration adds a
# model, and a migration comes with a deploy (new processes); a type missing here is still
# asked of the database by Django. Keyed by the portal's registry row too: a schema dropped
# and created again under the same name is another portal. Bounded, as the local cache is.
# Each is kept as the entries Django's own cache holds, (app label, model) and id alike, so
# that giving them to Django is one ``dict.update``.
_content_types: dict[tuple[str, object], dict[object, ContentType]] = {}
MAX_CONTENT_TYPE_SCHEMAS = 2_000

# The schema of the portal whose request this thread (or task) is serving, and its state.
_current: ContextVar[tuple[str, dict[str, Any]] | None] = ContextVar("portal_state", default=None)


def _state_here() -> dict[str, Any] | None:
    """The current request's state, if it was built for the schema now in use."""
    current = _current.get()
    if current is None or current[0] != connection.schema_name:
        return None
    return current[1]


def state_key(request: HttpRequest) -> str:
    """The key of a portal's remembered state, for the request's host, this generation."""
    return portal_key(STATE_KIND, request.get_host())


def portal_state_settings() -> list[type]:
    """The setting models features ask the state to remember (``PORTAL_STATE_SETTINGS``)."""
    return gathered(PORTAL_STATE_SETTINGS)


def context_name(setting_model: type) -> str:
    """The template variable of a remembered setting: its class name in snake case
    (``PortalSettings`` -> ``portal_settings``)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", setting_model.__name__).lower()


def remember(request: HttpRequest) -> dict[str, Any]:
    """Give ``request`` its portal's Site and settings, and Django its content types,
    from the cache (or the database, once per generation). Returns the whole state."""
    key, state = kept(STATE_KIND, request.get_host())
    if state is None:
        state = _read_state(request)
        # Wagtail's own (its cache, or the database): kept with the rest of the state, so
        # that a request reads them in the state's round trip, not in one of their own.
        state["site_root_paths"] = [tuple(path) for path in Site.get_site_root_paths()]
        keep(key, state, TIMEOUT)
    else:
        _give_django_content_types(_schema_content_types(request))
        _give_request(request, state)
    root_paths = state.get("site_root_paths")
    if root_paths is not None and request.method in ("GET", "HEAD"):
        # Wagtail keeps the sites' root paths on the request it computes addresses for
        # (``Page._get_site_root_paths``, a private attribute: Wagtail has no public way to
        # be given them). Each event that forgets Wagtail's own copy (a Site saved or
        # deleted, a site's root page or its translations saved) changes the portal's
        # generation, hence this state's key. Not for a form sent: a request that moves a
        # root page then shows addresses reads them after its change, as Wagtail does.
        request._wagtail_cached_site_root_paths = [SiteRootPath(*path) for path in root_paths]
    return state


def read_once(request: HttpRequest) -> dict[str, Any]:
    """The state read from the database for this request alone (``FRAGMENT_CACHE=0``):
    nothing is kept between requests, but the request asks each question once (its
    pages' privacy, its settings, its content types) instead of once a block."""
    return _read_state(request)


def _give_request(request: HttpRequest, state: dict[str, Any]) -> None:
    request._wagtail_site = state["site"]
    for value in state["settings"].values():
        setattr(request, type(value).get_cache_attr_name(), value)


def _give_django_content_types(content_types: dict[object, ContentType]) -> None:
    # Django's own per-process content type cache, for this schema only: django-tenants
    # clears it again at the next change of schema. The entries ``_add_to_cache`` makes
    # for each type, all at once (one by one, a tenth of a page served from fragments).
    ContentType.objects._cache.setdefault(connection.alias, {}).update(content_types)


def _read_state(request: HttpRequest) -> dict[str, Any]:
    """The state from the database, in one query (``core.combined_queries``): the schema's
    sites (the request's one is chosen among them as Wagtail would), the settings, the
    locales, the private sections, and the root page in its own type with its menu for
    the root this process saw last for the host; a second query only when that root is not
    the one the Site now names (the first request, a root changed). Each setting is also
    put on the request, as Wagtail's ``load`` does."""
    # First: the root page below turns into its own type through them.
    _give_django_content_types(_schema_content_types(request))
    host = split_domain_port(request._get_raw_host())[0], request.get_port()
    portal = (connection.schema_name, getattr(request.tenant, "pk", None))
    questions = _kept(_questions, portal)
    if questions is None:
        questions = _keep(_questions, portal, _state_questions())
    guess = _kept(_roots, (*portal, *host))
    answers = rows_of([*questions, *(guess.questions if guess is not None else ())])
    sites, *answers = answers
    site = _site_among(sites, *host)
    request._wagtail_site = site
    models = portal_state_settings()
    found = {}
    for model, rows in zip(models, answers, strict=False):
        # None yet (a new portal): ``load`` creates it, as it always did.
        instance = rows[0] if rows else model.load()
        setattr(request, model.get_cache_attr_name(), instance)
        found[model._meta.label] = instance
    locales, private_pages, *root_and_menu = answers[len(models) :]
    menu = None
    if site is not None:
        if guess is None or not guess.names(site.root_page):
            guess = _keep(_roots, (*portal, *host), _Root.of(site.root_page))
            root_and_menu = rows_of(guess.questions) if guess.questions else []
        if root_and_menu and root_and_menu[0]:
            site.root_page = root_and_menu[0][0]
            menu = (site.pk, sorted(root_and_menu[1], key=lambda page: page.path))
        else:
            site.root_page = site.root_page.specific
    private_paths = sorted({page.path for page in private_pages})
    state = {
        "site": site,
        "settings": found,
        "locale_ids": {locale.language_code: locale.pk for locale in locales},
        "private_paths": private_paths,
        "has_view_restrictions": bool(private_paths),
        # (site id, its live sections shown in menus), for ``portal_navigation``.
        "menu": menu,
    }
    state["fingerprint"] = _fingerprint(state)
    return state


def _fingerprint(state: dict[str, Any]) -> str:
    """A digest of what may be built from ``state`` (``core.reading_memo`` keeps readings
    under it): the Site's identity and root, every field of every setting, the locales, the
    private paths, the menu's pages. Not the Site's name nor the root page's fields, which
    no reading is built from; a new use of the state that needs them adds them here."""
    site = state["site"]
    parts = [
        None
        if site is None
        else (site.pk, site.hostname, site.port, site.is_default_site, site.root_page_id),
        [
            (label, [(field.attname, field.value_from_object(instance)) for field in fields])
            for label, instance in sorted(state["settings"].items())
            for fields in [instance._meta.concrete_fields]
        ],
        sorted(state["locale_ids"].items()),
        state["private_paths"],
        state["menu"] and [(page.pk, page.path, page.title) for page in state["menu"][1]],
    ]
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _state_questions() -> list[QuerySet]:
    """What every state reads beside its root page and menu: the schema's sites (each
    with its root page), each setting, the locales, the private sections. Built once a
    process and portal: the same querysets, whose compilation is then found at once."""
    questions: list[QuerySet] = [Site.objects.select_related("root_page").order_by("pk")]
    for model in portal_state_settings():
        queryset = model.base_queryset()
        # As Wagtail's ``load`` (``first()``): the first row in the model's order, or by id.
        questions.append((queryset if queryset.ordered else queryset.order_by("pk"))[:1])
    questions.append(Locale.objects.all())
    # Where the portal's private sections start: listings leave out what lies below
    # (``core.privacy``) and public pages skip Wagtail's two privacy queries.
    questions.append(Page.objects.filter(view_restrictions__isnull=False).only("path").distinct())
    return questions


@dataclass(frozen=True)
class _Root:
    """A root page as a state reads it: the page in its own type (routing starts there)
    and its live sections shown in menus."""

    page_id: int
    page_class: type[Page] | None
    path: str
    questions: tuple[QuerySet, ...]

    @classmethod
    def of(cls, root: Page) -> _Root:
        root_class = root.specific_class
        if root_class is None:  # its model is gone: read as a plain page, no menu
            return cls(root.pk, None, root.path, ())
        return cls(
            root.pk,
            root_class,
            root.path,
            (
                root_class.objects.filter(pk=root.pk),
                Page.objects.child_of(root).live().in_menu(),
            ),
        )

    def names(self, root: Page) -> bool:
        """Whether ``root`` (the Site's root page, just read) is this one still."""
        return (
            root.pk == self.page_id
            and root.path == self.path
            and root.specific_class is self.page_class
        )


# Per portal (schema and registry row), in this process: the querysets of its state
# (``_state_questions``), and, per host and port, the root page its Site named last
# (``_Root``), read with the rest at the next request and used if the Site still names it.
# Each keeps its querysets' compilations (about 100 kB a portal): the most recently served
# portals only, the others built again when asked.
MAX_STATE_QUESTIONS = 200
_questions: OrderedDict[tuple[str, object], list[QuerySet]] = OrderedDict()
_roots: OrderedDict[tuple[str, object, str, str], _Root] = OrderedDict()
_kept_lock = threading.Lock()


def _kept(kept: OrderedDict, key: tuple) -> Any | None:
    with _kept_lock:
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
        return found


def _keep(kept: OrderedDict, key: tuple, value: Any) -> Any:
    with _kept_lock:
        kept[key] = value
        while len(kept) > MAX_STATE_QUESTIONS:
            kept.popitem(last=False)
    return value


def _site_among(sites: list[Site], hostname: str, port: str) -> Site | None:
    """The Site that answers ``hostname`` and ``port`` among the schema's ``sites``, as
    Wagtail's ``Site.find_for_request`` finds it
    (``wagtail.models.sites.get_site_for_hostname``: the host and port, else the host of
    the default site, else the default site, else the host's only site). Wagtail's query
    names the host and port, so it was built and compiled again at each request (a
    twentieth of a cold home page); the schema's sites are read whole instead, with the
    rest of the state."""

    def match(site: Site) -> int:
        if site.hostname == hostname:
            if str(site.port) == str(port):
                return MATCH_HOSTNAME_PORT
            return MATCH_HOSTNAME_DEFAULT if site.is_default_site else MATCH_HOSTNAME
        return MATCH_DEFAULT

    found = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site), key=match
    )
    if not found:
        return None
    best = match(found[0])
    if len(found) == 1 or best in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return found[0]
    if best == MATCH_DEFAULT:
        # The default site, unless the host names exactly one other site: that one.
        return found[len(found) == 2]
    return None  # several sites of that host, none on that port, no default: as Wagtail


def _schema_content_types(request: HttpRequest) -> dict[object, ContentType]:
    """The content types of the current schema, asked of the database once a process, by
    (app label, model) and by id as Django's cache keeps them."""
    key = (connection.schema_name, getattr(request.tenant, "pk", None))
    content_types = _content_types.get(key)
    if content_types is None:
        content_types = {}
        for content_type in ContentType.objects.all():
            content_types[(content_type.app_label, content_type.model)] = content_type
            content_types[content_type.id] = content_type
        if len(_content_types) >= MAX_CONTENT_TYPE_SCHEMAS:
            _content_types.clear()
        _content_types[key] = content_types
    return content_types


def remembered(name: str) -> Any | None:
    """One item of the current request's portal state (``remember``), or None when no
    portal request is being served with the state (then ask the database).

    None as well inside another portal's schema (``tenant_context`` during a request, as
    adoption reads the source portal): the state is the request's portal's, not that one's.
    """
    state = _state_here()
    return None if state is None else state.get(name)


def remembered_menu() -> list[Page] | None:
    """The live sections of the current request's portal shown in its menu (pages of the
    base type, in the tree's order), or None when not at hand: then ask the database."""
    menu = remembered("menu")
    return None if menu is None else menu[1]


def remembered_setting(model: type) -> Any | None:
    """The current request's portal's instance of the setting ``model`` (registered with
    ``PORTAL_STATE_SETTINGS``), or None when not at hand: then ``model.load()``."""
    settings_here = remembered("settings")
    return None if settings_here is None else settings_here.get(model._meta.label)


def active_locale_id() -> int | None:
    """The id of the Locale ``Locale.get_active()`` would return, without asking the
    database; None when the state is not at hand."""
    locale_ids = remembered("locale_ids")
    if locale_ids is None:
        return None
    # As Locale.get_active(): the active language, else the default one.
    for language in (translation.get_language(), settings.LANGUAGE_CODE):
        try:
            code = get_supported_content_language_variant(language)
        except LookupError:
            continue
        if code in locale_ids:
            return locale_ids[code]
    return None


def _on_view_restriction_saved(sender, **kwargs) -> None:
    # The generation is bumped for the next requests; this one, which made a page private
    # (the admin's privacy dialog, a page copied with its restrictions), sees it too.
    state = _state_here()
    if state is not None:
        state["has_view_restrictions"] = True
        state["private_paths"] = None  # no longer known: ask the database
        state["fingerprint"] = None  # nor is what was built from it


def connect_signals() -> None:
    """Keep the current request's state true to the privacy rows it writes itself."""
    from django.db.models.signals import post_save

    post_save.connect(
        _on_view_restriction_saved,
        sender="wagtailcore.PageViewRestriction",
        dispatch_uid="tenant-state-view-restriction",
    )


class TenantStateMiddleware:
    """Fills in, for a portal's request, what ``remember`` keeps."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            connection.schema_name == get_public_schema_name()
            or getattr(request, "tenant", None) is None
        ):
            return self.get_response(request)
        if not settings.FRAGMENT_CACHE_ENABLED:
            # Read for this request only (see read_once).
            return self._serve(request, read_once)
        if not settings.FRAGMENT_READ_AHEAD:
            # Nothing to ask ahead (a cache in the process's memory): no address to work out.
            return self._serve(request, remember)
        # What the last request for this address read of the cache, asked for at once
        # (core.caching.reads_ahead): the state below comes from there too.
        with reads_ahead(_address(request)) as remember_reads:
            response = self._serve(request, remember)
            if request.method == "GET" and getattr(response, "status_code", None) == 200:
                remember_reads()
            return response

    def _serve(
        self, request: HttpRequest, read: Callable[[HttpRequest], dict[str, Any]]
    ) -> HttpResponse:
        token = _current.set((connection.schema_name, read(request)))
        try:
            response = self.get_response(request)
            if not hasattr(request, "csp_frame_sources"):
                # Read while the state is at hand (the radio's settings): the security
                # middleware that writes the policy runs after this one has ended.
                request.csp_frame_sources = security.frame_sources()
            return response
        finally:
            _current.reset(token)


def _address(request: HttpRequest) -> tuple[str, str, str]:
    """What a request is for, as far as the fragments it shows go: its host, its path and
    the language ``LocaleMiddleware`` will choose for it (that of its fragments' keys)."""
    language = translation.get_language_from_request(request, check_path=True)
    return request.get_host(), request.path, language
