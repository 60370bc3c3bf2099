"""The classifieds' "latest" source (``core.latest``), registered in
``classifieds/wagtail_hooks.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from classifieds.listing import latest_published
from classifieds.models import Classified, ClassifiedsPage
from core.latest import NOTHING, LatestSource, LetterLine, Reading
from core.privacy import is_private_section


def latest_classifieds(limit: int) -> Reading:
    """The newest published classifieds; none when the classifieds section is private (its
    ads are then shown on it only)."""
    if is_private_section(ClassifiedsPage):
        return NOTHING
    return Reading((latest_published(limit),), lambda rows: rows[0])


def _letter_line(ad: Classified) -> LetterLine:
    return LetterLine(
        f"{ad.get_kind_display()} · {ad.title}", ad.get_absolute_url(), ad.price_label
    )


SOURCES: tuple[LatestSource, ...] = (
    LatestSource(
        key="classifieds",
        label=_("Dernières petites annonces"),
        reading=latest_classifieds,
        template="classifieds/latest/classifieds.html",
        letter_label=_("Les nouvelles petites annonces"),
        letter_line=_letter_line,
        appeared_at=lambda ad: ad.published_at,
    ),
)
