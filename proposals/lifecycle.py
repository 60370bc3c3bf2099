"""The life of a proposal, in one place: every change of state is a function here.

    awaiting_confirmation ──confirm──> waiting ──accept──> accepted ──(page published)──> told
            │ (48 h)                     │  ▲
            ▼                            │  └─answer (a message, no decision)
         deleted                         └──decline──> declined
    withdraw: by the proposer from their e-mail link, until declined.
    purge: a proposal whose last step is older than the portal's retention period.

Each function locks the proposal, checks its state, records who did it and what was
said (``ProposalEvent``), then e-mails the proposer once the change is saved. Views, the
admin, the maintenance command and the demo seed all call these functions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from proposals import drafts, notifications
from proposals.addresses import absolute_url, page_path
from proposals.models import (
    Proposal,
    ProposalCredit,
    ProposalEvent,
    ProposalPhoto,
    ProposalSettings,
)

Status = Proposal.Status
Actor = ProposalEvent.Actor

UNCONFIRMED_HOURS = 48
WITHDRAWABLE = {Status.AWAITING_CONFIRMATION, Status.WAITING, Status.ACCEPTED}


class TransitionError(ValidationError):
    """A change the proposal's current state does not allow (message in French)."""


@dataclass(frozen=True)
class PhotoUpload:
    """A photo as the form cleaned it (re-encoded, no metadata) and who took it."""

    content: ContentFile
    credit: str


def _move(
    proposal: Proposal,
    to: str,
    allowed_from: Iterable[str],
    actor: str,
    user: AbstractBaseUser | None = None,
    message: str = "",
    **fields: object,
) -> Proposal:
    """Lock the proposal, check its state, change it and record it. Call in a transaction."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status not in allowed_from:
        raise TransitionError(
            _("Cette proposition est %(status)s : cette action n'est plus possible."),
            params={"status": locked.get_status_display()},
            code="invalid_transition",
        )
    previous = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    _record(locked, previous, to, actor, user, message)
    return locked


def _record(
    proposal: Proposal,
    from_status: str,
    to_status: str,
    actor: str,
    user: AbstractBaseUser | None = None,
    message: str = "",
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        user=user if user and user.is_authenticated else None,
        message=message,
    )


def submit(proposal: Proposal, photos: Sequence[PhotoUpload] = ()) -> Proposal:
    """Save a new proposal from the public form and e-mail the confirmation link."""
    with transaction.atomic():
        proposal.status = Status.AWAITING_CONFIRMATION
        proposal.save()
        for position, photo in enumerate(photos):
            ProposalPhoto.objects.create(
                proposal=proposal, image=photo.content, credit=photo.credit, position=position
            )
        _record(proposal, "", Status.AWAITING_CONFIRMATION, Actor.PROPOSER, None, "")
    notifications.to_proposer(proposal, "confirm", _("Confirmez votre proposition"))
    return proposal


def confirm(proposal: Proposal) -> Proposal:
    """The proposer opened the link: the proposal waits for the animators' decision."""
    with transaction.atomic():
        proposal = _move(
            proposal,
            Status.WAITING,
            {Status.AWAITING_CONFIRMATION},
            Actor.PROPOSER,
            message=_("Adresse e-mail confirmée"),
            confirmed_at=timezone.now(),
        )
    notifications.to_proposer(proposal, "received", _("Votre proposition est bien reçue"))
    return proposal


def accept(proposal: Proposal, user: AbstractBaseUser) -> Page:
    """An animator accepts: a draft article or event is made from the proposal; the
    proposer is told. Returns the draft page, for the animator to edit."""
    with transaction.atomic():
        proposal = _move(
            proposal,
            Status.ACCEPTED,
            {Status.WAITING},
            Actor.MODERATOR,
            user,
            _("Acceptée : une page est en préparation"),
            decided_at=timezone.now(),
        )
        page = drafts.create_draft(proposal, user)
        Proposal.objects.filter(pk=proposal.pk).update(page=page)
        proposal.page = page
    notifications.to_proposer(proposal, "accepted", _("Votre proposition est acceptée"))
    return page


def decline(proposal: Proposal, user: AbstractBaseUser, message: str) -> Proposal:
    """An animator declines, with a message that is e-mailed to the proposer."""
    message = message.strip()
    if not message:
        raise TransitionError(
            _("Écrivez un message à la personne qui propose : il lui est envoyé par e-mail.")
        )
    with transaction.atomic():
        proposal = _move(
            proposal,
            Status.DECLINED,
            {Status.WAITING},
            Actor.MODERATOR,
            user,
            message,
            decided_at=timezone.now(),
        )
    notifications.to_proposer(
        proposal, "declined", _("Votre proposition n'a pas été retenue"), message=message
    )
    return proposal


def answer(proposal: Proposal, user: AbstractBaseUser, message: str) -> Proposal:
    """An animator writes to the proposer without deciding ("on vous rappelle"); the
    message is e-mailed and kept in the proposal's history."""
    message = message.strip()
    if not message:
        raise TransitionError(_("Écrivez le message à envoyer à la personne qui propose."))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Status.WAITING:
            raise TransitionError(
                _("Cette proposition est %(status)s : cette action n'est plus possible."),
                params={"status": locked.get_status_display()},
            )
        _record(locked, locked.status, locked.status, Actor.MODERATOR, user, message)
        locked.save(update_fields=["updated_at"])
    notifications.to_proposer(
        locked, "answered", _("Un message au sujet de votre proposition"), message=message
    )
    return locked


def withdraw(proposal: Proposal) -> Proposal:
    """The proposer withdraws their proposal, from their e-mail link. A page already made
    from it stays the animators', but no longer names them."""
    with transaction.atomic():
        proposal = _move(
            proposal, Status.WITHDRAWN, WITHDRAWABLE, Actor.PROPOSER, message=_("Retirée")
        )
        if proposal.page_id:
            ProposalCredit.objects.filter(page_id=proposal.page_id).delete()
    return proposal


def tell_published(page: Page) -> int:
    """The page made from a proposal is published: its proposer gets the link, once.
    Returns how many proposers were told (0 for a page made from no proposal)."""
    told = 0
    for proposal in Proposal.objects.filter(
        page_id=page.pk, status=Status.ACCEPTED, published_notified_at__isnull=True
    ):
        with transaction.atomic():
            updated = Proposal.objects.filter(
                pk=proposal.pk, published_notified_at__isnull=True
            ).update(published_notified_at=timezone.now(), updated_at=timezone.now())
            if updated:
                _record(
                    proposal, proposal.status, proposal.status, Actor.SYSTEM, None, _("Publiée")
                )
        if updated:
            notifications.to_proposer(
                proposal,
                "published",
                _("Votre proposition est en ligne"),
                page_url=absolute_url(page_path(page)),
            )
            told += 1
    return told


def retention_days() -> int:
    """How long this portal keeps proposals after their last step (its setting)."""
    return ProposalSettings.load().retention_days


def purge(now: datetime.datetime | None = None) -> int:
    """Delete, with their photos, the proposals never confirmed within 48 hours and those
    whose last step is older than the retention period. Returns how many."""
    now = now or timezone.now()
    unconfirmed = Q(
        status=Status.AWAITING_CONFIRMATION,
        created_at__lte=now - datetime.timedelta(hours=UNCONFIRMED_HOURS),
    )
    expired = Q(updated_at__lte=now - datetime.timedelta(days=retention_days()))
    with transaction.atomic():
        stale = list(
            Proposal.objects.select_for_update()
            .filter(unconfirmed | expired)
            .values_list("pk", flat=True)
        )
        for photo in ProposalPhoto.objects.filter(proposal__in=stale):
            photo.image.delete(save=False)
        Proposal.objects.filter(pk__in=stale).delete()
    return len(stale)
