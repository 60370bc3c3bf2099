"""The curated toolkit: federation staff mark sheets and group them in collections; a
portal adopts a collection in one action and says what worked for it.

The rows live in the public schema (``tenants.toolkit``): every function here reads or
writes them inside ``schema_context(public)``, knowingly. Who may call what is checked
by the views (federation staff curate, a portal's animators adopt and write feedback for
their own portal); the functions themselves take the portal from the connection, so a
portal can only ever adopt into, and write feedback for, itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from core.caching import fragment
from core.combined_queries import rows_of
from portal.methodology.adoption import AdoptionError, adopt_sheet
from portal.methodology.models import MethodologyPage
from portal.methodology.network import shared_entries
from tenants.addresses import current_portal
from tenants.journal import who_name
from tenants.models import SharedEntry
from tenants.toolkit import Adoption, CollectionItem, ToolkitCollection, ToolkitSheet

FEEDBACK_MAX = Adoption._meta.get_field("feedback").max_length


def public() -> AbstractContextManager:
    """The network's shared space, where the toolkit's rows live. Nothing to do when in it
    already: a page that reads several of these rows in one block sets the database's
    search path once, not once for each function it calls."""
    if connection.schema_name == get_public_schema_name():
        return nullcontext()
    return schema_context(get_public_schema_name())


def shared_sheets():
    """The methodology sheets open portals share now, with their portal."""
    return shared_entries().filter(kind=SharedEntry.Kind.METHODOLOGY)


# --- Reading ----------------------------------------------------------------------------


def marks_for(entries: Iterable[SharedEntry]) -> dict[tuple[int, int], ToolkitSheet]:
    """The federation's marks on ``entries``, by (portal id, page id), in one query."""
    pairs = {(entry.tenant_id, entry.page_id) for entry in entries}
    if not pairs:
        return {}
    wanted = Q()
    for tenant_id, page_id in pairs:
        wanted |= Q(tenant_id=tenant_id, page_id=page_id)
    with public():
        sheets = ToolkitSheet.objects.filter(wanted).annotate(
            adopters=Count("adoptions", filter=Q(adoptions__portal__status="active"))
        )
        return {(sheet.tenant_id, sheet.page_id): sheet for sheet in sheets}


def annotate_marks(entries: Iterable[SharedEntry]) -> None:
    """Put ``validated``, ``featured`` and ``adopters`` (open portals) on each entry."""
    entries = list(entries)
    marks = marks_for(entries)
    for entry in entries:
        sheet = marks.get((entry.tenant_id, entry.page_id))
        entry.validated = bool(sheet and sheet.validated)
        entry.featured = bool(sheet and sheet.featured)
        entry.adopters = sheet.adopters if sheet else 0


def adoptions_of(tenant_id: int, page_id: int) -> list[Adoption]:
    """Who adopted this sheet and what worked for them: open portals only, those with
    feedback first."""
    with public():
        return list(
            Adoption.objects.shown()
            .filter(sheet__tenant_id=tenant_id, sheet__page_id=page_id)
            .order_by("-feedback_at", "portal__name")
        )


def collections_shown() -> list[ToolkitCollection]:
    """Every collection, each with ``entries``: its sheets shared now by open portals.
    In three queries whatever the number of collections: the collections with every
    item, then the index's entries of their sheets, then the federation's marks."""
    with public():
        collections, items = rows_of(
            [ToolkitCollection.objects.all(), CollectionItem.objects.select_related("sheet")]
        )
        entries = _entries_of_items(items)
    annotate_marks(entry for found in entries.values() for entry in found)
    for collection in collections:
        collection.entries = entries.get(collection.pk, [])
    return collections


def _entries_of_items(items: list[CollectionItem]) -> dict[int, list[SharedEntry]]:
    """The index's entries of ``items``' sheets shared now (open portals), by collection,
    in the items' order, in one query."""
    if not items:
        return {}
    wanted = Q()
    for item in items:
        wanted |= Q(tenant_id=item.sheet.tenant_id, page_id=item.sheet.page_id)
    with public():
        found = {
            (entry.tenant_id, entry.page_id): entry for entry in shared_sheets().filter(wanted)
        }
    entries: dict[int, list[SharedEntry]] = {}
    for item in items:
        entry = found.get((item.sheet.tenant_id, item.sheet.page_id))
        if entry is not None:
            entries.setdefault(item.collection_id, []).append(entry)
    return entries


# Bounded as the menu is: the network's generation forgets them sooner on any change.
COLLECTIONS_SECONDS = 300


def collections_for_visitors() -> list[ToolkitCollection]:
    """The collections that have sheets to show, for the hub's pages: with the fragment
    cache on, read once until the network changes (the toolkit's rows and the index are
    shown on pages: a change bumps the network's generation, part of the key)."""
    return fragment(
        "toolkit-collections",
        (translation.get_language() or "",),
        COLLECTIONS_SECONDS,
        lambda: [c for c in collections_shown() if c.entries],
    )


def collection_entries(collection: ToolkitCollection) -> list[SharedEntry]:
    """The collection's sheets as the index has them now (open portals), in its order."""
    with public():
        items = list(CollectionItem.objects.filter(collection=collection).select_related("sheet"))
    entries = _entries_of_items(items).get(collection.pk, [])
    annotate_marks(entries)
    return entries


def sheet_in_toolkit(page: MethodologyPage) -> tuple[ToolkitSheet | None, list[Adoption]]:
    """This portal's own sheet as the toolkit sees it: its marks and its adoptions."""
    portal = current_portal()
    if portal is None:
        return None, []
    with public():
        sheet = ToolkitSheet.objects.filter(tenant=portal, page_id=page.pk).first()
    return sheet, adoptions_of(portal.pk, page.pk) if sheet else []


# --- Curating (federation staff) --------------------------------------------------------


def toolkit_sheet(entry: SharedEntry) -> ToolkitSheet:
    """The toolkit's row for a shared sheet, made on first use."""
    with public():
        sheet, _created = ToolkitSheet.objects.get_or_create(
            tenant_id=entry.tenant_id, page_id=entry.page_id
        )
    return sheet


def mark_sheet(entry: SharedEntry, *, validated: bool, featured: bool, by: object) -> ToolkitSheet:
    """Set the federation's marks on a shared sheet, recording who and when."""
    sheet = toolkit_sheet(entry)
    with public():
        sheet.validated = validated
        sheet.featured = featured
        sheet.marked_by = who_name(by)
        sheet.marked_at = timezone.now()
        sheet.save()
    return sheet


@transaction.atomic
def set_collection_sheets(collection: ToolkitCollection, entries: list[SharedEntry]) -> None:
    """Make ``entries`` the collection's sheets, in this order."""
    sheets = [toolkit_sheet(entry) for entry in entries]
    with public():
        CollectionItem.objects.filter(collection=collection).delete()
        CollectionItem.objects.bulk_create(
            CollectionItem(collection=collection, sheet=sheet, position=position)
            for position, sheet in enumerate(sheets)
        )


# --- Adopting (a portal's animators) ------------------------------------------------------


@dataclass
class CollectionAdoption:
    """What adopting a collection did: the new drafts, and the sheets left out and why."""

    adopted: list[MethodologyPage] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (title, reason)


def adopted_here(entry: SharedEntry) -> bool:
    """Whether this portal already holds a copy of the sheet it adopted."""
    portal = current_portal()
    with public():
        adoption = Adoption.objects.filter(
            portal=portal, sheet__tenant_id=entry.tenant_id, sheet__page_id=entry.page_id
        ).first()
    return bool(adoption and MethodologyPage.objects.filter(pk=adoption.page_id).exists())


@transaction.atomic
def adopt_collection(
    collection: ToolkitCollection, user: object = None, *, by: object = None
) -> CollectionAdoption:
    """Copy every sheet of the collection into this portal's methodology, as drafts.

    A sheet of this very portal, or one it already holds a copy of, is left out; if any
    copy fails, none is kept (one action, all or nothing).
    """
    report = CollectionAdoption()
    here = current_portal()
    for entry in collection_entries(collection):
        if here is not None and entry.tenant_id == here.pk:
            report.skipped.append((entry.title, _("fiche de votre portail")))
        elif adopted_here(entry):
            report.skipped.append((entry.title, _("déjà adoptée")))
        else:
            report.adopted.append(adopt_sheet(entry, user, collection=collection, by=by))
    return report


def collection_choices() -> forms.ChoiceField:
    """The "open a portal" form's field: a collection the new portal starts with."""
    with public():
        collections = [
            (collection.slug, f"{collection.title} ({len(collection.entries)} fiches)")
            for collection in collections_shown()
            if collection.entries
        ]
    return forms.ChoiceField(
        label=_("Collection de fiches de départ"),
        choices=[("", _("Aucune")), *collections],
        required=False,
        help_text=_(
            "Le portail démarre avec ces fiches méthodologiques en brouillon, "
            "à relire et publier par son équipe."
        ),
    )


def adopt_collection_at_opening(provisioning, slug: str) -> None:
    """The ``OPENING_CHOICES`` step: the new portal starts with the chosen collection."""
    with public():
        collection = ToolkitCollection.objects.filter(slug=slug).first()
    if collection is None:
        raise ValidationError(
            {"toolkit_collection": _("Cette collection n'existe plus : choisissez-en une autre.")}
        )
    try:
        report = adopt_collection(collection, provisioning.animator, by=provisioning.by)
    except AdoptionError as error:
        raise ValidationError(
            {
                "toolkit_collection": _(
                    "La collection « %(title)s » n'a pas pu être copiée (%(reason)s) : "
                    "le portail n'est pas ouvert. Choisissez une autre collection ou aucune."
                )
                % {"title": collection.title, "reason": error}
            }
        ) from error
    provisioning.steps_done.append(f"collection:{collection.slug}:{len(report.adopted)}")


# --- Feedback (a portal's animators, on their own adoptions) -----------------------------


def our_adoptions() -> list[Adoption]:
    """This portal's adoptions whose source is still shared, newest first, each with
    ``entry`` (the source in the index)."""
    portal = current_portal()
    with public():
        adoptions = list(
            Adoption.objects.filter(portal=portal).select_related("sheet", "collection")
        )
        wanted = Q()
        for adoption in adoptions:
            wanted |= Q(tenant_id=adoption.sheet.tenant_id, page_id=adoption.sheet.page_id)
        entries = (
            {(entry.tenant_id, entry.page_id): entry for entry in shared_sheets().filter(wanted)}
            if adoptions
            else {}
        )
    for adoption in adoptions:
        adoption.entry = entries.get((adoption.sheet.tenant_id, adoption.sheet.page_id))
    return [adoption for adoption in adoptions if adoption.entry is not None]


def write_feedback(adoption_id: int, text: str) -> Adoption:
    """Write what worked here on one of this portal's own adoptions.

    Raise ``Adoption.DoesNotExist`` for an adoption of another portal (or none): a
    portal's animators speak for their portal only.
    """
    text = text.strip()
    if len(text) > FEEDBACK_MAX:
        raise ValidationError(
            _("Votre retour dépasse %(max)d caractères : raccourcissez-le.") % {"max": FEEDBACK_MAX}
        )
    portal = current_portal()
    with public():
        adoption = Adoption.objects.get(pk=adoption_id, portal=portal)
        adoption.feedback = text
        adoption.feedback_at = timezone.now() if text else None
        adoption.save(update_fields=["feedback", "feedback_at"])
    return adoption
