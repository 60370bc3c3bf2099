"""A portal's life: active, suspended (503, kept), archived (410, kept, closed for good).

Each change is written to the network's log (``tenants.journal``) by the function that
makes it, whether the federation's admin or a command called it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from tenants import journal
from tenants.extension_points import before_portal_deletion
from tenants.models import Neighbourhood, NetworkAction

Status = Neighbourhood.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.ACTIVE: {Status.SUSPENDED, Status.ARCHIVED},
    Status.SUSPENDED: {Status.ACTIVE, Status.ARCHIVED},
    Status.ARCHIVED: {Status.ACTIVE},
}
# The entry each new status writes to the network's log.
STATUS_ACTIONS: dict[str, str] = {
    Status.SUSPENDED: NetworkAction.Action.SUSPEND,
    Status.ACTIVE: NetworkAction.Action.REACTIVATE,
    Status.ARCHIVED: NetworkAction.Action.ARCHIVE,
}


def change_status(
    neighbourhood: Neighbourhood,
    status: str,
    reason: str = "",
    *,
    by: object | None = None,
    unarchive: bool = False,
) -> Neighbourhood:
    """Move a portal to ``status``, recording why and who (``by``: a user, or None for the
    shell's user); refuse a transition that makes no sense.

    Archiving closes a portal for good: making it active again takes ``unarchive=True``
    (``portal_status ... active --unarchive``, or the box ticked in the network's admin),
    so that a slip of the keyboard never reopens it.
    """
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
    if neighbourhood.status == Status.ARCHIVED and not unarchive:
        raise ValidationError(
            "Le portail « %(name)s » est archivé, donc fermé pour de bon : le rouvrir doit "
            "être voulu. Confirmez-le (option --unarchive de portal_status, ou case « Rouvrir "
            "ce portail archivé » dans l'administration du réseau).",
            params={"name": neighbourhood.name},
            code="archived",
        )
    previous = neighbourhood.status
    neighbourhood.status = status
    neighbourhood.status_reason = reason
    with schema_context(get_public_schema_name()), transaction.atomic():
        neighbourhood.save(update_fields=["status", "status_reason", "updated_at"])
        journal.record(by, STATUS_ACTIONS[status], neighbourhood, previous=previous, reason=reason)
    return neighbourhood


def suspend(
    neighbourhood: Neighbourhood, reason: str = "", *, by: object | None = None
) -> Neighbourhood:
    return change_status(neighbourhood, Status.SUSPENDED, reason, by=by)


def archive(
    neighbourhood: Neighbourhood, reason: str = "", *, by: object | None = None
) -> Neighbourhood:
    return change_status(neighbourhood, Status.ARCHIVED, reason, by=by)


def reactivate(
    neighbourhood: Neighbourhood,
    reason: str = "",
    *,
    by: object | None = None,
    unarchive: bool = False,
) -> Neighbourhood:
    return change_status(neighbourhood, Status.ACTIVE, reason, by=by, unarchive=unarchive)


def delete_archived(
    neighbourhood: Neighbourhood, typed_name: str, *, by: object | None = None
) -> None:
    """Delete an archived portal and drop its schema, once its exact name has been typed.

    Deleting is for good (pages, users, classifieds go with the schema): only an archived
    portal can be deleted, so that a portal is always closed to visitors first. The log
    keeps the deletion (it outlives the portal). The features' ``BEFORE_PORTAL_DELETION``
    hooks run first, in the portal's schema (the fediverse's ``Delete`` of its actor).
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
    slug, name = neighbourhood.schema_name, neighbourhood.name
    # One transaction: the features' goodbyes (BEFORE_PORTAL_DELETION, said while the
    # portal's schema still answers) are queued only if the portal is really dropped.
    with transaction.atomic():
        before_portal_deletion(neighbourhood)
        with schema_context(get_public_schema_name()):
            neighbourhood.delete(force_drop=True)
            journal.record(by, NetworkAction.Action.DELETE, slug, name=name)
