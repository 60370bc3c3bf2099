"""A portal's life: active, suspended (503, kept), archived (410, kept, closed for good)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Neighbourhood

Status = Neighbourhood.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.ACTIVE: {Status.SUSPENDED, Status.ARCHIVED},
    Status.SUSPENDED: {Status.ACTIVE, Status.ARCHIVED},
    Status.ARCHIVED: {Status.ACTIVE},
}


def change_status(neighbourhood: Neighbourhood, status: str, reason: str = "") -> Neighbourhood:
    """Move a portal to ``status``, recording why; refuse a transition that makes no sense."""
    if status not in Status.values:
        raise ValidationError(
            "État inconnu « %(status)s » : choisissez parmi %(known)s.",
            params={"status": status, "known": ", ".join(Status.values)},
        )
    if status not in TRANSITIONS[neighbourhood.status]:
        raise ValidationError(
            "Le portail « %(name)s » est déjà « %(current)s » : impossible de le passer à "
            "« %(wanted)s ».",
            params={
                "name": neighbourhood.name,
                "current": neighbourhood.get_status_display(),
                "wanted": Status(status).label,
            },
        )
    neighbourhood.status = status
    neighbourhood.status_reason = reason
    with schema_context(get_public_schema_name()):
        neighbourhood.save(update_fields=["status", "status_reason", "updated_at"])
    return neighbourhood


def suspend(neighbourhood: Neighbourhood, reason: str = "") -> Neighbourhood:
    return change_status(neighbourhood, Status.SUSPENDED, reason)


def archive(neighbourhood: Neighbourhood, reason: str = "") -> Neighbourhood:
    return change_status(neighbourhood, Status.ARCHIVED, reason)


def reactivate(neighbourhood: Neighbourhood, reason: str = "") -> Neighbourhood:
    return change_status(neighbourhood, Status.ACTIVE, reason)


def delete_archived(neighbourhood: Neighbourhood, typed_name: str) -> None:
    """Delete an archived portal and drop its schema, once its exact name has been typed.

    Deleting is for good (pages, users, classifieds go with the schema): only an archived
    portal can be deleted, so that a portal is always closed to visitors first.
    """
    if neighbourhood.status != Status.ARCHIVED:
        raise ValidationError(
            "Seul un portail archivé peut être supprimé : archivez « %(name)s » d'abord.",
            params={"name": neighbourhood.name},
        )
    if typed_name.strip() != neighbourhood.name:
        raise ValidationError(
            "Le nom saisi ne correspond pas : tapez exactement « %(name)s ».",
            params={"name": neighbourhood.name},
        )
    with schema_context(get_public_schema_name()):
        neighbourhood.delete(force_drop=True)
