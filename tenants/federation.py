"""The federation index: one row in ``public`` per page any portal shares with the network.

``publish_entry`` and ``remove_entry`` are called from Wagtail's publish, unpublish,
move and delete signals, and when a view restriction is added or removed, inside the
page's own schema; ``sync_federation_index`` rebuilds the index from every schema, for
when signals were missed. A page under a view restriction is never in the index. The
shared page types are those inheriting ``tenants.sharing.SharedWithNetwork``: sheets and
articles (the federation's hub), events (the network's agenda) and episodes (the
network's podcast). Each write or removal bumps the network's cache generation
(``core.caching``, on the rows' signals).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import SearchVector
from django.db.models import Value
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context
from wagtail.models import Page

from tenants.addresses import current_portal
from tenants.models import Neighbourhood, SharedEntry
from tenants.sharing import shared_fields, shared_page_models


def _is_private(page: Page) -> bool:
    # Wagtail's own answer from the database, not a portal state's: the index is written
    # rarely, and from signals that may run before that state learns of a new restriction.
    return Page.get_view_restrictions(page).exists()


def _bounded_url(url: str, name: str) -> str:
    """``url`` if it fits its column, else "": a cut address would lead nowhere."""
    return url if len(url) <= _max_length(name) else ""


def _bounded_text(text: str, name: str) -> str:
    """``text`` cut to its column's length (a place's name, a title): still readable."""
    limit = _max_length(name)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _max_length(name: str) -> int:
    return SharedEntry._meta.get_field(name).max_length


def _desired(page: Page) -> dict | None:
    """The entry ``page`` should have, or None if it should have none: a page under a view
    restriction (its own or an ancestor's) is never shared with the network, nor one whose
    address is too long for the index (deep trees of long slugs): no cut link is listed."""
    if not page.live:
        return None
    # Whether the page shares at all, first: most pages published do not (an article or
    # an event whose box is not ticked), and the privacy check and the address cost four
    # queries a publication (the ancestors' restrictions, the sites' root paths).
    fields = shared_fields(page)
    if fields is None or _is_private(page):
        return None
    url = page.get_full_url()
    if url is None:  # moved out of the site
        return None
    url = _bounded_url(url, "url")
    if not url:
        return None
    enclosure_url = _bounded_url(fields.enclosure_url, "enclosure_url")
    return {
        "locale": page.locale.language_code,
        "kind": fields.kind,
        "module": fields.module,
        "title": _bounded_text(fields.title, "title"),
        "summary": fields.summary,
        "tags": fields.tags,
        "url": url,
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "starts_at": fields.starts_at,
        "ends_at": fields.ends_at,
        "place": _bounded_text(fields.place, "place"),
        "address": _bounded_text(fields.address, "address"),
        "enclosure_url": enclosure_url,
        "enclosure_type": _bounded_text(fields.enclosure_type, "enclosure_type")
        if enclosure_url
        else "",
        "enclosure_length": fields.enclosure_length if enclosure_url else None,
        "duration_seconds": fields.duration_seconds,
        "image_url": _bounded_url(fields.image_url, "image_url"),
        "explicit": fields.explicit,
    }


def publish_entry(page: Page) -> SharedEntry | None:
    """Write, update or remove ``page``'s entry so that it matches the page now."""
    portal = current_portal()
    if portal is None:
        return None
    desired = _desired(page)
    if desired is None:
        remove_entry(page.pk, portal)
        return None
    with schema_context(get_public_schema_name()):
        entry, _ = SharedEntry.objects.update_or_create(
            tenant=portal, page_id=page.pk, defaults=desired
        )
        _index(entry)
    return entry


def remove_entry(page_id: int, portal: Neighbourhood | None = None) -> int:
    """Remove the entry of page ``page_id`` of ``portal`` (default: the current one)."""
    portal = portal or current_portal()
    if portal is None:
        return 0
    with schema_context(get_public_schema_name()):
        deleted, _ = SharedEntry.objects.filter(tenant=portal, page_id=page_id).delete()
    return deleted


def _index(entry: SharedEntry) -> None:
    """Refresh the entry's French full-text vector: title first, then summary and tags."""
    SharedEntry.objects.filter(pk=entry.pk).update(
        search_vector=SearchVector(Value(entry.title), weight="A", config="french")
        + SearchVector(Value(" ".join(entry.tags)), weight="B", config="french")
        + SearchVector(Value(entry.summary), weight="C", config="french")
    )


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0


def sync_federation_index(
    progress: Callable[[int, int, Neighbourhood], None] | None = None,
    only: Sequence[Neighbourhood] | None = None,
):
    """Make the index exactly what the portals share now (``only`` these, when given);
    idempotent."""
    report = SyncReport()
    with schema_context(get_public_schema_name()):
        portals = Neighbourhood.objects.exclude(status=Neighbourhood.Status.ARCHIVED)
        if only is not None:
            portals = portals.filter(pk__in=[portal.pk for portal in only])
        portals = list(portals)
        SharedEntry.objects.filter(tenant__status=Neighbourhood.Status.ARCHIVED).delete()
    for number, portal in enumerate(portals, start=1):
        if progress:
            progress(number, len(portals), portal)
        with tenant_context(portal):
            desired = {}
            for model in shared_page_models():
                for page in model.objects.live().select_related("locale"):
                    fields = _desired(page)
                    if fields is not None:
                        desired[page.pk] = fields
        _apply(portal, desired, report)
    return report


def _apply(portal: Neighbourhood, desired: dict[int, dict], report: SyncReport) -> None:
    with schema_context(get_public_schema_name()):
        existing = {entry.page_id: entry for entry in portal.shared_entries.all()}
        for page_id, fields in desired.items():
            entry = existing.pop(page_id, None)
            if entry is None:
                entry = SharedEntry.objects.create(tenant=portal, page_id=page_id, **fields)
                report.added += 1
            elif entry.search_vector is None or any(
                getattr(entry, name) != value for name, value in fields.items()
            ):
                for name, value in fields.items():
                    setattr(entry, name, value)
                entry.save()
                report.updated += 1
            else:
                continue
            _index(entry)
        for entry in existing.values():
            entry.delete()
            report.removed += 1
