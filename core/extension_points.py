"""The names of the extension points through which features plug into the platform.

Core never imports a feature: what it needs from them, each feature registers in its own
``wagtail_hooks.py`` with ``@hooks.register(NAME)``, and core reads it with
``hooks.get_hooks(NAME)`` (which imports every app's ``wagtail_hooks.py`` on first use).
Each name below says what a hook function takes and returns, and who reads it.
"""

PORTAL_STATE_SETTINGS = "quartiers_portal_state_settings"
"""Hook ``fn() -> Iterable[type[BaseGenericSetting | BaseSiteSetting]]``.

Wagtail settings the portal state (``core.tenant_state``) remembers for each portal and
puts on every request of it, so that a page never asks the database for them. Read one
without the request at hand with ``core.tenant_state.remembered_setting(Model)``.
Templates get each as a context variable named after its class in snake case
(``PortalSettings`` -> ``portal_settings``), loaded only when used.
Registered by home (``PortalSettings``) and radio (``RadioSettings``). Register the same
model as shown on pages (``SHOWN_ON_PAGES``): saving it must forget the remembered copy.
"""

EMBED_FRAME_HOSTS = "quartiers_embed_frame_hosts"
"""Hook ``fn() -> Iterable[str]``: host names (``www.youtube-nocookie.com``) the current
portal's pages may frame, for the ``frame-src`` of their Content-Security-Policy
(``core.security``).

Called inside the portal's schema, and on the public schema too: there, return only the
hosts that need no database. The answer is kept in the portal's cache under
``core.caching.portal_key``: whatever it reads must be a model shown on pages, whose
change forgets it (radio: ``RadioSettings``).
"""

SHOWN_ON_PAGES = "quartiers_shown_on_pages"
"""Hook ``fn() -> Iterable[str]``: labels (``"app.Model"``) of models whose rows show on a
portal's public pages. Saving or deleting one forgets every cached page and fragment of
its portal (``core.caching``). Page subclasses count as shown without registration.
"""

SHOWN_ON_THEIR_PAGE = "quartiers_shown_on_their_page"
"""Hook ``fn() -> Mapping[str, Callable[[Model], Iterable[str]]]``: labels of models whose
rows show on one page only (a reaction under its article), each with a function that gives
the addresses (paths, ``page.url``) of the pages a row shows on. Saving or deleting a row
forgets the cached answers at those addresses and below them (the page and its sub-views,
``core.caching.address_changed``), and no other page of the portal: a busy page does not
empty the portal's cache. Such a model is neither ``SHOWN_ON_PAGES`` nor ``NOT_SHOWN``.
"""

NOT_SHOWN_ON_PAGES = "quartiers_not_shown_on_pages"
"""Hook ``fn() -> Iterable[str]``: labels of the app's other models, declared as never
shown on a public page (subscribers, moderation logs...). Every model of the project's
own apps is either shown or not shown: ``tests/core/test_shown_models.py`` fails on a
model that is neither, or both, so a new model cannot serve stale pages unnoticed.
"""

LATEST_SOURCES = "quartiers_latest_sources"
"""Hook ``fn() -> Iterable[core.latest.LatestSource]``: the sources of "latest" items a
feature offers to the home page's blocks and to the infolettre's self-filling blocks.
Their keys are stored in every portal's StreamFields: never rename one; a key no source
answers any more is reported by the system check ``quartiers.W002``.
"""

PAGE_COMMENTS = "quartiers_page_comments"
"""Hook ``fn(pages: Sequence[Page], request) -> Mapping[int, core.feed_comments.PageComments]``:
for the pages a feed lists, keyed by page id, how many public comments each has and the
absolute address of its comments feed (``core.feed_comments``). The portal's RSS feeds
(articles, blog posts, episodes) add them to their items (``slash:comments``,
``wfw:commentRss``). Leave out a page that takes no comments.
"""

MODERATION_SOURCES = "quartiers_moderation_sources"
"""Hook ``fn() -> Iterable[core.moderation.ModerationSource]``: what residents sent that
waits for an animator's decision (proposals, reactions, reported reactions...). The
moderation inbox of the admin, its dashboard panel and the animators' digest e-mail read
every source (``core.moderation.moderation_sources()``), inside the portal's schema; each
source keeps its own queue, where its items are decided one by one or in bulk.
"""

PORTAL_IDENTITY = "quartiers_portal_identity"
"""Hook ``fn() -> core.identity.PortalIdentity | None``: the current portal's name, accent
colour and logo, as its animators set them in its identity settings. Called inside the
portal's schema; the first answer that is not None wins. Registered by home; read with
``core.identity.portal_identity()`` (radio draws its podcasts' default artwork with it).
"""

FOOTER_PARTS = "quartiers_footer_parts"
"""Hook ``fn(request) -> str``: a part of the footer of every page of a portal (the
partners' strip...), as HTML rendered by the feature's own template, below the footer's
columns, in the hooks' order. Called inside the portal's schema.

The parts are kept together in the portal's fragment cache (``core.caching.portal_key``,
per language) until the portal changes: a part may show only rows of models shown on pages
(``SHOWN_ON_PAGES``), never anything about the visitor or the request's page. Read by
``{% footer_parts %}`` (``core.templatetags.footer_parts``) in ``portal_base.html``.
"""

PUBLICATION_CHECKS = "quartiers_publication_checks"
"""Hook ``fn(page: Page, parent: Page | None) -> Iterable[str]``: why a portal's page
(under ``parent``: a page being created has no place in the tree yet) may not go live as it
stands, one French sentence an editor can act on per reason (a minor's name without
parental consent...). Empty: nothing against it. Called inside the portal's schema with
the page as about to be published (its fields, not yet saved), by the admin's page form
when the editor publishes or approves it (the reasons show as the form's errors), and
once a page went live by another way (a workflow approved from the dashboard, a
scheduled publication): a page live against a check is then unpublished at once
(``core.publication``).
"""

PAGE_READINGS = "quartiers_page_readings"
"""Hook ``fn(page: Page, request) -> Mapping[str, core.latest.Reading] | None``: what a
feature shows on a portal's page beside the page's own fields (the reactions under it,
the credit of its proposal, the footer's partners), said as querysets so that the page
reads them all, with its own relations and cover, in one round trip before it renders
(``core.read_ahead``). Keys are the feature's (``"reactions:12"``); the feature then finds
its items with ``core.read_ahead.read_ahead(request, key)`` (None: not read ahead, ask
the database as before). Called inside the portal's schema, in the page's
``get_context``. Return nothing for what a cache already holds (a fragment cached with
the fragment cache on): a reading must never add a round trip a page would not make.
"""
