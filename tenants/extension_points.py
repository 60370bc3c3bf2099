"""Where the features plug into the network: the platform names none of them.

``tenants`` builds, opens, seeds and watches portals, but what a portal holds belongs to
the features (``portal``, ``classifieds``, ``radio``, ``newsletter``, ``registrations``,
``home`` and those to come). Each feature registers in its own ``wagtail_hooks.py``
(``@hooks.register(NAME)``); the platform reads the hooks with the functions below.
Adding a feature then costs edits in its own app and the settings only.

The points, in the order a portal meets them:

``PORTAL_HOME``
    fn() -> an unsaved root ``Page`` (the portal's home page). Exactly one app registers
    it (``home``). Called once, when the template schema is furnished and has no home yet.
``PORTAL_SECTIONS``
    fn() -> iterable of ``PortalSection``. Each section is added under the home page
    (published, in the menu) when the template has no page of its type; ``order`` decides
    the menu's order. Runs when the template schema is furnished (``migrate_network``).
    A section's ``kinds`` say which portals get it: the template holds the
    neighbourhoods' sections, and each portal is then fitted to its kind (below).
``ROLE_PERMISSIONS``
    fn() -> mapping {group name (``tenants.group_names``): iterable of (app_label,
    codename)}: the model permissions a role holds on the feature's models. Granted when
    the template's groups are made (same time as the sections); never revoked.
``FURNISH_PORTAL``
    fn() -> None: anything else every portal starts with (default categories, settings
    rows). Runs in the template schema after the page tree and the groups; idempotent.
``AFTER_PROVISIONING``
    fn(provisioning: ``tenants.provisioning.Provisioning``) -> None: a step run for each
    new portal, inside the provisioning's transaction and the new portal's schema, after
    its languages are added (the "features" step). Whatever fails, nothing is left behind.
``OPENING_CHOICES``
    fn() -> iterable of ``OpeningChoice``: what federation staff may choose when they open
    a portal (a collection of sheets to start with...). Each choice is a field of the
    "open a portal" form; its ``apply`` runs for the new portal inside the provisioning's
    transaction and the new portal's schema, after its sections and first animator are
    made. It raises ``ValidationError`` (in French) to refuse: the portal is then not
    opened at all, and the form shows the message on the choice's field.
``FIT_PORTAL_KIND``
    fn(kind: str) -> None: make the current portal's schema fit its kind (``Neighbourhood.
    Kind``): the federation's home page gets its own blocks, not a neighbourhood's. Run
    after the sections are fitted, for each new portal (inside its provisioning) and for
    every portal by ``migrate_network``; idempotent, and it leaves alone what the
    portal's editors changed since.
``DEMO_CONTENT``
    fn(neighbourhood) -> None: the feature's demo content for one portal, added only where
    missing; run inside the portal's schema, all features in one transaction. The hooks'
    ``order=`` sets who runs first (the home page first, the map last).
``NETWORK_DEMO_CONTENT``
    fn() -> None: the feature's demo content across portals (the toolkit's collections
    and adoptions), run on the public schema once every demo portal is seeded; adds
    only what is missing.
``ACTIVITY_COUNTERS``
    fn() -> iterable of ``ActivityCounter``: the feature's participation indicators
    (publications, proposals, registrations, subscribers...), folded day by day into the
    public schema (``tenants.rollup``) for the network's admin, the portals' dashboards and
    the exports. Called inside the portal's schema.
``BEFORE_FOLD``
    fn(today: datetime.date) -> None: run inside a portal's schema and the rollup's
    transaction just before its days are folded (``tenants.rollup.fold_portal``): a
    feature that counts outside the database while visitors wait (the audience's views)
    writes its counts to its tables here, and drops what it keeps no longer. Whatever
    fails, the portal's fold is rolled back and retried by the next run.
``TOP_PAGES``
    fn(portal, first_day, last_day, limit) -> iterable of ``TopPage``: the portal's most
    read pages over the period, for its dashboard. Registered by the audience
    measurement when it is installed; the dashboard shows nothing without it. Called on
    the public schema (audience figures are folded there).
``AFTER_PRIMARY_HOST_CHANGE``
    fn(neighbourhood, old_host: str, new_host: str) -> None: the portal's primary host
    name changed (``tenants.domains``: its primary was removed, another took its place).
    Run inside the portal's schema and the change's transaction, once its Wagtail site
    builds links from ``new_host``: a feature whose addresses are built from the primary
    host (the fediverse actor's) tells the outside world where it went.
``AFTER_IMPORT``
    fn(neighbourhood, source_slug: str) -> None: a portal was just imported from the
    export of ``source_slug`` (``tenants.portability``). Run inside the new portal's
    schema and the import's transaction, after it is registered with its host: whatever
    the copy must not share with the original (a signing key, an identity elsewhere, the
    people who followed the original) is renewed or dropped here. Whatever fails, the
    import leaves nothing behind.
``BEFORE_PORTAL_DELETION``
    fn(neighbourhood) -> None: an archived portal is about to be deleted for good
    (``tenants.lifecycle.delete_archived``). Run inside the portal's schema just before
    it is dropped: a feature says goodbye to those outside who know the portal. Anything
    it queues must need nothing of that schema (it is gone when the queue runs).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django_tenants.utils import schema_context
from wagtail import hooks

if TYPE_CHECKING:
    from django import forms
    from django.utils.functional import Promise
    from wagtail.models import Page

    from tenants.models import Neighbourhood
    from tenants.provisioning import Provisioning

PORTAL_HOME = "quartiers_portal_home"
PORTAL_SECTIONS = "quartiers_portal_sections"
ROLE_PERMISSIONS = "quartiers_role_permissions"
FURNISH_PORTAL = "quartiers_furnish_portal"
AFTER_PROVISIONING = "quartiers_after_provisioning"
FIT_PORTAL_KIND = "quartiers_fit_portal_kind"
OPENING_CHOICES = "quartiers_opening_choices"
DEMO_CONTENT = "quartiers_demo_content"
NETWORK_DEMO_CONTENT = "quartiers_network_demo_content"
ACTIVITY_COUNTERS = "quartiers_activity_counters"
BEFORE_FOLD = "quartiers_before_fold"
TOP_PAGES = "quartiers_top_pages"
AFTER_PRIMARY_HOST_CHANGE = "quartiers_after_primary_host_change"
AFTER_IMPORT = "quartiers_after_import"
BEFORE_PORTAL_DELETION = "quartiers_before_portal_deletion"


# The kinds of portal a section is for (``Neighbourhood.Kind`` values, spelt out here:
# the registry's model is not imported at start-up by the features' hooks).
NEIGHBOURHOODS_ONLY = frozenset({"neighbourhood"})
FEDERATION_ONLY = frozenset({"federation"})
EVERY_KIND = frozenset({"neighbourhood", "federation"})


@dataclass(frozen=True)
class PortalSection:
    """A section new portals get under their home page, with its starting intro.

    ``kinds``: the kinds of portal that get it (a neighbourhood's classifieds are no
    section of the federation's, whose "launch a media" page is none of a neighbourhood's).
    """

    model: type[Page]
    title: str
    slug: str
    intro: str  # plain text: the animator rewrites it
    order: int
    kinds: frozenset[str] = EVERY_KIND

    def is_for(self, kind: str) -> bool:
        """Whether a portal of ``kind`` gets this section."""
        return kind in self.kinds


@dataclass(frozen=True)
class OpeningChoice:
    """A choice offered when a portal is opened, and what it does to the new portal.

    ``field()`` makes the form field (a fresh one per form: its choices may read the
    database); ``apply(provisioning, value)`` gets the cleaned value, empty when nothing
    was chosen, and leaves the portal alone then.
    """

    key: str
    field: Callable[[], forms.Field]
    apply: Callable[[Provisioning, object], None]


# How an indicator adds up over a period (``ActivityCounter.kind``).
SUM = "sum"  # what happened: a period's value is the sum of its days
SNAPSHOT = "snapshot"  # how things stand: a period's value is its last day's


@dataclass(frozen=True)
class ActivityCounter:
    """One indicator of a portal's activity, read from the current (portal) schema.

    A ``SUM`` counter's ``count(since)`` says how many things happened since a moment
    (published, received, registered...): a day's value is the difference of two counts.
    A ``SNAPSHOT`` counter's ``count(moment)`` says how things stood at that moment
    (subscribers, members): a day's value is the count at its end. ``label`` names it in
    French on the dashboards and exports; ``last_published()``, when given, says when the
    feature last published something, for the "last publication" column.
    """

    key: str
    label: str | Promise
    count: Callable[[datetime.datetime], int]
    last_published: Callable[[], datetime.datetime | None] | None = None
    kind: str = SUM

    @property
    def is_snapshot(self) -> bool:
        """Whether the indicator says how things stand rather than what happened."""
        return self.kind == SNAPSHOT


@dataclass(frozen=True)
class TopPage:
    """One of a portal's most read pages over a period (``TOP_PAGES``): what the dashboard
    reads of each item a hook returns (any object with these attributes will do)."""

    title: str
    url: str
    views: int


def gathered(name: str, *args: object) -> list:
    """Everything the hooks of extension point ``name`` return, called with ``args``, in
    one list (each hook gives an iterable; None counts as nothing), in the hooks' order."""
    return [item for hook in hooks.get_hooks(name) for item in (hook(*args) or ())]


def portal_home() -> Page:
    """The unsaved home page of a new portal, from the one ``PORTAL_HOME`` hook."""
    makers = hooks.get_hooks(PORTAL_HOME)
    if len(makers) != 1:
        raise ImproperlyConfigured(
            f"Il faut exactement une application qui enregistre le point « {PORTAL_HOME} » "
            f"(la page d'accueil d'un nouveau portail) ; il y en a {len(makers)}."
        )
    return makers[0]()


def portal_sections() -> list[PortalSection]:
    """Every registered section, in menu order; two sections may not share a slug."""
    sections = sorted(gathered(PORTAL_SECTIONS), key=lambda section: section.order)
    seen: dict[str, PortalSection] = {}
    for section in sections:
        other = seen.setdefault(section.slug, section)
        if other is not section:
            raise ImproperlyConfigured(
                f"Deux sections enregistrées par « {PORTAL_SECTIONS} » ont l'adresse "
                f"« {section.slug} » ({other.model.__name__} et {section.model.__name__}) : "
                "changez l'une des deux."
            )
    return sections


def fit_portal_kind(kind: str) -> None:
    """Run every ``FIT_PORTAL_KIND`` hook in the current portal's schema."""
    for hook in hooks.get_hooks(FIT_PORTAL_KIND):
        hook(kind)


def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """The features' model permissions of each group, gathered from every hook."""
    granted: dict[str, list[tuple[str, str]]] = {}
    for hook in hooks.get_hooks(ROLE_PERMISSIONS):
        by_group: Mapping[str, object] = hook()
        for group, pairs in by_group.items():
            granted.setdefault(group, []).extend(pairs)
    return granted


def furnish_portal() -> None:
    """Run every ``FURNISH_PORTAL`` hook in the current (template) schema."""
    for hook in hooks.get_hooks(FURNISH_PORTAL):
        hook()


def after_provisioning(provisioning: Provisioning) -> None:
    """Run every ``AFTER_PROVISIONING`` hook for a portal being opened."""
    for hook in hooks.get_hooks(AFTER_PROVISIONING):
        hook(provisioning)


def opening_choices() -> list[OpeningChoice]:
    """Every choice offered when a portal is opened, in the order the apps register them."""
    return gathered(OPENING_CHOICES)


def apply_opening_choices(provisioning: Provisioning) -> None:
    """Apply each chosen ``OpeningChoice`` to the portal being opened (current schema)."""
    for choice in opening_choices():
        value = provisioning.spec.choices.get(choice.key)
        if value:
            choice.apply(provisioning, value)


def add_demo_content(neighbourhood: Neighbourhood) -> None:
    """Run every ``DEMO_CONTENT`` hook, in their order, in the current (portal) schema."""
    for hook in hooks.get_hooks(DEMO_CONTENT):
        hook(neighbourhood)


def add_network_demo_content() -> None:
    """Run every ``NETWORK_DEMO_CONTENT`` hook, in their order."""
    for hook in hooks.get_hooks(NETWORK_DEMO_CONTENT):
        hook()


def activity_counters() -> list[ActivityCounter]:
    """Every registered activity counter, in the order the apps are installed."""
    return gathered(ACTIVITY_COUNTERS)


def before_fold(today: datetime.date) -> None:
    """Run every ``BEFORE_FOLD`` hook in the current (portal) schema."""
    for hook in hooks.get_hooks(BEFORE_FOLD):
        hook(today)


def top_pages(
    portal: Neighbourhood, first_day: datetime.date, last_day: datetime.date, limit: int = 10
) -> list[TopPage] | None:
    """The portal's most read pages over the period, from the ``TOP_PAGES`` hook; None
    when no app measures the audience (the dashboard then says so)."""
    makers = hooks.get_hooks(TOP_PAGES)
    if not makers:
        return None
    return list(makers[0](portal, first_day, last_day, limit) or ())[:limit]


def after_primary_host_change(neighbourhood: Neighbourhood, old_host: str, new_host: str) -> None:
    """Run every ``AFTER_PRIMARY_HOST_CHANGE`` hook in the portal's schema."""
    with schema_context(neighbourhood.schema_name):
        for hook in hooks.get_hooks(AFTER_PRIMARY_HOST_CHANGE):
            hook(neighbourhood, old_host, new_host)


def after_import(neighbourhood: Neighbourhood, source_slug: str) -> None:
    """Run every ``AFTER_IMPORT`` hook in the imported portal's schema."""
    with schema_context(neighbourhood.schema_name):
        for hook in hooks.get_hooks(AFTER_IMPORT):
            hook(neighbourhood, source_slug)


def before_portal_deletion(neighbourhood: Neighbourhood) -> None:
    """Run every ``BEFORE_PORTAL_DELETION`` hook in the portal's schema."""
    with schema_context(neighbourhood.schema_name):
        for hook in hooks.get_hooks(BEFORE_PORTAL_DELETION):
            hook(neighbourhood)
