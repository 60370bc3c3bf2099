"""Adopting a sheet another portal shares: a draft copy in this portal's own schema.

The copy carries the sheet's content and its attached documents (files copied into this
portal's media), and credits the portal it comes from; the network's toolkit records the
adoption (``tenants.toolkit.Adoption``), so the source sheet shows who adopted it and
what worked for them. Nothing changes in the source. A
sheet under a view restriction is never adopted, and a document of a private collection
is never copied (its attachment is left out).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils.text import slugify
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context
from wagtail.documents import get_document_model

from core.page_creation import add_with_free_slug
from core.privacy import public_documents
from portal.methodology.models import MethodologyIndexPage, MethodologyPage
from tenants.addresses import current_portal
from tenants.journal import who_name
from tenants.models import SharedEntry
from tenants.toolkit import Adoption, ToolkitCollection, ToolkitSheet

COPIED_FIELDS = [
    "title",
    "module",
    "summary",
    "objectives",
    "audience",
    "duration",
    "team",
    "materials",
    "expected_results",
    "what_worked",
    "what_did_not",
]


@dataclass
class _Source:
    fields: dict
    programme: list
    attachments: list
    tags: list[str]
    documents: dict[int, tuple[str, str, bytes]]  # id -> (title, file name, content)
    portal_name: str
    url: str


class AdoptionError(Exception):
    """The sheet cannot be adopted (gone, or from this very portal)."""


def _read_source(entry: SharedEntry) -> _Source:
    with tenant_context(entry.tenant):
        sheet = MethodologyPage.objects.live().filter(pk=entry.page_id).first()
        if sheet is None:
            raise AdoptionError("Cette fiche n'est plus publiée par son portail.")
        # The index may still hold a sheet made private since (a missed signal): what is
        # private stays on its portal.
        if not MethodologyPage.objects.filter(pk=sheet.pk).public().exists():
            raise AdoptionError("Cette fiche n'est plus partagée par son portail.")
        attachments = copy.deepcopy(list(sheet.attachments.raw_data))
        documents = {}
        ids = {
            block["value"]["document"] for block in attachments if block["value"].get("document")
        }
        # Documents of a private collection stay at the source: the copy goes without them.
        for document in public_documents(get_document_model().objects.filter(pk__in=ids)):
            with document.file.open("rb") as handle:
                content = handle.read()
            documents[document.pk] = (document.title, document.filename, content)
        return _Source(
            fields={name: getattr(sheet, name) for name in COPIED_FIELDS},
            programme=copy.deepcopy(list(sheet.programme.raw_data)),
            attachments=attachments,
            tags=[tag.name for tag in sheet.tags.all()],
            documents=documents,
            portal_name=entry.tenant.name,
            url=entry.url,
        )


@transaction.atomic
def adopt_sheet(
    entry: SharedEntry,
    user=None,
    *,
    collection: ToolkitCollection | None = None,
    by: object = None,
) -> MethodologyPage:
    """Copy the shared sheet ``entry`` as a draft of this portal's methodology section
    (owned by ``user``), and record the adoption (by ``by``, default ``user``)."""
    if entry.tenant.schema_name == connection.schema_name:
        raise AdoptionError("Cette fiche est déjà celle de votre portail.")
    here = connection.tenant
    portal = current_portal()
    source = _read_source(entry)
    with tenant_context(here):
        new_ids = {}
        for old_id, (title, filename, content) in source.documents.items():
            document = get_document_model()(title=title, uploaded_by_user=user)
            document.file.save(filename, ContentFile(content), save=False)
            document.save()
            new_ids[old_id] = document.pk
        attachments = [
            {
                **block,
                "value": {
                    **block["value"],
                    "document": new_ids.get(block["value"].get("document")),
                },
            }
            for block in source.attachments
            if new_ids.get(block["value"].get("document"))
        ]
        sheet = MethodologyPage(
            **source.fields,
            programme=source.programme,
            attachments=attachments,
            credit=f"D'après « {source.fields['title']} », fiche de {source.portal_name} "
            f"({source.url})",
            live=False,
            owner=user,
        )
        sheet.tags.add(*source.tags)
        section = MethodologyIndexPage.objects.get(locale__language_code="fr")
        add_with_free_slug(section, sheet, slugify(sheet.title) or "fiche")
        sheet.save_revision(user=user)
    if portal is not None:
        _record(entry, portal, sheet, collection, who_name(by or user) if (by or user) else "")
    return sheet


def _record(entry, portal, copy_, collection, who: str) -> None:
    """The toolkit's record of the adoption: one per sheet and portal, pointing at the
    newest copy (a portal that deleted its copy and adopts again keeps its feedback)."""
    with schema_context(get_public_schema_name()):
        source, _created = ToolkitSheet.objects.get_or_create(
            tenant_id=entry.tenant_id, page_id=entry.page_id
        )
        Adoption.objects.update_or_create(
            sheet=source,
            portal=portal,
            defaults={"page_id": copy_.pk, "collection": collection, "adopted_by": who},
        )
