"""What other apps may use of carriers: the portal's partners, ready to list."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet
from wagtail.images import get_image_model

from carriers.models import Partner
from core.images import RENDITIONS_ATTRIBUTE, with_renditions
from core.latest import Reading

__all__ = ["LOGO_FILTER", "Partner", "partners", "partners_reading"]

# Every list of partners draws the logos at this size: one rendition per logo, fetched
# with the logos (no query per partner).
LOGO_FILTER = "max-160x80"


def partners(kind: str = "", *, in_footer: bool | None = None) -> QuerySet[Partner]:
    """The portal's partners in their order, with their logos and the logos' renditions
    at ``LOGO_FILTER``: two queries whatever their number; ``kind`` ("" for all) and
    ``in_footer`` narrow the list."""
    return with_renditions(_chosen(kind, in_footer), "logo", LOGO_FILTER)


def _chosen(kind: str, in_footer: bool | None) -> QuerySet[Partner]:
    found = Partner.objects.all()
    if kind:
        found = found.filter(kind=kind)
    if in_footer is not None:
        found = found.filter(in_footer=in_footer)
    return found


def partners_reading(kind: str = "", *, in_footer: bool | None = None) -> Reading:
    """The partners ``partners`` gives, as a ``Reading`` (``core.read_ahead``): the
    partners with their logos, and the logos' renditions asked with a subquery of the
    same choice, so that both come in the page's one round trip."""
    chosen = _chosen(kind, in_footer).select_related("logo")
    renditions = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec=LOGO_FILTER, image_id__in=chosen.values("logo_id"))
    )

    def items(rows: list[list]) -> list[Partner]:
        found, logo_renditions = rows
        by_image = defaultdict(list)
        for rendition in logo_renditions:
            by_image[rendition.image_id].append(rendition)
        for partner in found:
            if partner.logo is not None:
                for rendition in by_image[partner.logo_id]:
                    rendition.image = partner.logo
                # Where Wagtail's ``{% image %}`` looks first, as ``with_renditions`` leaves it.
                setattr(partner.logo, RENDITIONS_ATTRIBUTE, by_image[partner.logo_id])
        return found

    return Reading([chosen, renditions], items)
