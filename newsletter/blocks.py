"""The blocks an issue is made of: text written by the animator, and blocks that fill
themselves with the portal's newest items since the previous issue."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.blocks import CallToActionBlock, HeadingBlock, QuoteBlock
from core.latest import LatestSourceChoiceBlock, letter_source_choices
from newsletter.latest import heading, latest_items


def _source_choices() -> list[tuple[str, str]]:
    # Named by migration 0001 (before the sources were registered by features).
    return letter_source_choices()


class LatestItemsBlock(blocks.StructBlock):
    """The portal's newest items of one kind, found when the issue is sent, from the
    sources features register (``core.latest``)."""

    source = LatestSourceChoiceBlock(use="letter", label=_("Contenu"))
    title = blocks.CharBlock(
        label=_("Titre"), required=False, max_length=120, help_text=_("Facultatif.")
    )
    limit = blocks.IntegerBlock(label=_("Combien au plus"), default=5, min_value=1, max_value=12)

    class Meta:
        icon = "list-ul"
        label = _("Les nouveautés du portail")
        template = "newsletter/blocks/latest_items.html"
        preview_value = {"source": "news", "title": "", "limit": 3}
        description = _(
            "Se remplit tout seul avec les actualités, les rendez-vous, les annonces ou les "
            "émissions parues depuis la lettre précédente."
        )

    def get_context(self, value: dict, parent_context: dict | None = None) -> dict:
        context = super().get_context(value, parent_context=parent_context)
        since = (parent_context or {}).get("since") or (
            timezone.now() - datetime.timedelta(weeks=4)
        )
        context["heading"] = heading(value["source"], value["title"])
        context["items"] = latest_items(value["source"], value["limit"], since)
        return context


class NewsletterStreamBlock(blocks.StreamBlock):
    """What an issue can hold; simple enough to read the same in every mail client."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"),
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        preview_value="<p>Ce mois-ci, le quartier a pris la parole.</p>",
        description=_("Du texte, avec liens et listes."),
    )
    quote = QuoteBlock()
    latest = LatestItemsBlock()
    call_to_action = CallToActionBlock()
