"""What other apps may use of carriers: the portal's partners, ready to list."""

from __future__ import annotations

from django.db.models import QuerySet

from carriers.models import Partner
from core.images import with_renditions

__all__ = ["LOGO_FILTER", "Partner", "partners"]

# Every list of partners draws the logos at this size: one rendition per logo, fetched
# with the logos (no query per partner).
LOGO_FILTER = "max-160x80"


def partners(kind: str = "", *, in_footer: bool | None = None) -> QuerySet[Partner]:
    """The portal's partners in their order, with their logos and the logos' renditions
    at ``LOGO_FILTER``: two queries whatever their number; ``kind`` ("" for all) and
    ``in_footer`` narrow the list."""
    found = Partner.objects.all()
    if kind:
        found = found.filter(kind=kind)
    if in_footer is not None:
        found = found.filter(in_footer=in_footer)
    return with_renditions(found, "logo", LOGO_FILTER)
