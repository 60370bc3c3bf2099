"""The body of the space's pages: the editorial body, its documents linked through the
space (``core.blocks.DocumentBlock`` shows nothing of a private collection's document)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from core.blocks import BodyBlock


class ReservedDocumentBlock(blocks.StructBlock):
    """A document to download, from the space's collection, for the space's readers."""

    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(label=_("Intitulé du lien"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document à télécharger")
        template = "network_space/blocks/document_block.html"
        description = _(
            "Un document de la collection « Espace des animateurs » : il ne s'ouvre "
            "qu'aux personnes connectées à l'espace."
        )


class ReservedBodyBlock(BodyBlock):
    """The editorial body, whose documents open through the space."""

    document = ReservedDocumentBlock()
