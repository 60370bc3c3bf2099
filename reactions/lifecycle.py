"""Everything that happens to a reaction, one function each.

::

    submit ──(address remembered on this browser)──> pending ──approve──> published
       │                                                │                  │  ▲
       └──> unconfirmed ──confirm (e-mail link)──> pending (or published,  │  │ approve
                                                   address trusted)        │  │ (review)
                                                                reports ≥ threshold: held
    pending / published ──reject──> rejected

A published reaction with as many reports as the portal's threshold is *held*: hidden
until an animator approves it again (the reports are then cleared) or rejects it.
Each change saves the reaction, whose page alone forgets its cached answers
(``SHOWN_ON_THEIR_PAGE``, ``core.caching``).
"""

from __future__ import annotations

import datetime
import hashlib

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from reactions import notifications
from reactions.models import (
    ClosedReactions,
    Reaction,
    ReactionAddress,
    ReactionReport,
    ReactionSettings,
)
from reactions.pages import takes_reactions
from reactions.tokens import LINK_MAX_AGE

Status = Reaction.Status
DEFAULT_REPORTS_BEFORE_REVIEW = 3


class TransitionError(ValidationError):
    """A change the reaction's state does not allow, with a French message."""


def normalised(email: str) -> str:
    return email.strip().lower()


def submit(page: Page, name: str, email: str, text: str, remembered: str | None) -> Reaction:
    """A visitor's reaction. From an address confirmed at this portal *and* remembered on
    this browser (``remembered``, read from the signed cookie), it goes to moderation at
    once (published at once if the address is trusted); otherwise the address gets a link
    to confirm it. Typing someone else's confirmed address is not enough to speak as them.
    """
    if not takes_reactions(page):
        raise TransitionError(_("Les réactions sont fermées sur cette page."))
    email = normalised(email)
    address = ReactionAddress.objects.filter(email=email, confirmed_at__isnull=False).first()
    known = address is not None and remembered is not None and normalised(remembered) == email
    reaction = Reaction(page=page, name=name, email=email, text=text)
    if known:
        _enter_moderation(reaction, address)
    else:
        reaction.status = Status.UNCONFIRMED
    reaction.save()
    if not known:
        notifications.send_confirmation(reaction)
    return reaction


def _enter_moderation(reaction: Reaction, address: ReactionAddress) -> None:
    if address.trusted:
        reaction.status = Status.PUBLISHED
        reaction.published_at = timezone.now()
    else:
        reaction.status = Status.PENDING


def confirm(reaction: Reaction) -> Reaction:
    """The resident opened the link of the e-mail: their address is confirmed at this
    portal, and the reaction goes to moderation (or is published, address trusted).
    Opening the link again changes nothing."""
    with transaction.atomic():
        reaction = Reaction.objects.select_for_update().get(pk=reaction.pk)
        address, _created = ReactionAddress.objects.get_or_create(email=reaction.email)
        if address.confirmed_at is None:
            address.confirmed_at = timezone.now()
            address.save(update_fields=["confirmed_at"])
        if reaction.status == Status.UNCONFIRMED:
            _enter_moderation(reaction, address)
            reaction.save(update_fields=["status", "published_at"])
    return reaction


def approve(reaction: Reaction, user: AbstractBaseUser | None) -> Reaction:
    """Publish a reaction waiting for moderation, or keep one held back by reports."""
    with transaction.atomic():
        reaction = Reaction.objects.select_for_update().get(pk=reaction.pk)
        if reaction.status == Status.PENDING:
            reaction.published_at = timezone.now()
        elif not (reaction.status == Status.PUBLISHED and reaction.held):
            raise TransitionError(_("Cette réaction n'attend pas de décision."))
        reaction.status = Status.PUBLISHED
        reaction.held = False
        reaction.report_count = 0
        reaction.decided_by = user
        reaction.save()
        reaction.reports.all().delete()
    return reaction


def reject(reaction: Reaction, user: AbstractBaseUser | None) -> Reaction:
    """Refuse a reaction (waiting, or published and reported): it is no longer shown."""
    with transaction.atomic():
        reaction = Reaction.objects.select_for_update().get(pk=reaction.pk)
        if reaction.status not in (Status.PENDING, Status.PUBLISHED):
            raise TransitionError(_("Cette réaction ne peut pas être refusée."))
        reaction.status = Status.REJECTED
        reaction.held = False
        reaction.decided_by = user
        reaction.save()
    return reaction


def reply(reaction: Reaction, text: str, user: AbstractBaseUser | None) -> Reaction:
    """The editorial team's reply, shown under the reaction as "Réponse de la rédaction".
    Replying to a reaction waiting for moderation publishes it; an empty text removes the
    reply."""
    with transaction.atomic():
        reaction = Reaction.objects.select_for_update().get(pk=reaction.pk)
        if reaction.status in (Status.UNCONFIRMED, Status.REJECTED):
            raise TransitionError(
                _("On ne répond qu'à une réaction publiée ou en attente de modération.")
            )
        if reaction.status == Status.PENDING:
            reaction.status = Status.PUBLISHED
            reaction.published_at = timezone.now()
            reaction.decided_by = user
        reaction.reply = text.strip()
        reaction.replied_at = timezone.now() if reaction.reply else None
        reaction.replied_by = user if reaction.reply else None
        reaction.save()
    return reaction


def trust(email: str, user: AbstractBaseUser | None, trusted: bool = True) -> ReactionAddress:
    """Trust an address (its next reactions are published at once) or stop trusting it."""
    address, _created = ReactionAddress.objects.get_or_create(email=normalised(email))
    address.trusted = trusted
    address.trusted_by = user if trusted else None
    address.save(update_fields=["trusted", "trusted_by"])
    return address


def reports_before_review() -> int:
    """The portal's threshold of reports (its reactions settings)."""
    return ReactionSettings.load().reports_before_review or DEFAULT_REPORTS_BEFORE_REVIEW


def reporter_digest(visitor: str) -> str:
    """Who reported, counted once, named nowhere: a digest of the visitor's address."""
    return hashlib.sha256(f"reactions-report:{visitor}".encode()).hexdigest()


def report(reaction: Reaction, visitor: str, reason: str) -> bool:
    """A visitor's report (counted once per visitor). Returns False if this visitor had
    already reported it. Past the portal's threshold, the reaction is held back."""
    if reaction.status != Status.PUBLISHED:
        raise TransitionError(_("Cette réaction n'est pas publiée."))
    threshold = reports_before_review()
    try:
        with transaction.atomic():
            ReactionReport.objects.create(
                reaction=reaction, reporter=reporter_digest(visitor), reason=reason
            )
            Reaction.objects.filter(pk=reaction.pk).update(report_count=F("report_count") + 1)
            locked = Reaction.objects.select_for_update().get(pk=reaction.pk)
            if not locked.held and locked.report_count >= threshold:
                locked.held = True
            # Saved through the model, so that the page forgets its cached answers.
            locked.save(update_fields=["held", "report_count"])
    except IntegrityError:
        return False
    return True


def close(page: Page, user: AbstractBaseUser | None) -> None:
    """Switch reactions off on a page (its reactions are kept, and shown again on reopening)."""
    ClosedReactions.objects.get_or_create(page_id=page.pk, defaults={"closed_by": user})


def reopen(page: Page) -> None:
    """Switch reactions back on."""
    for closed in ClosedReactions.objects.filter(page_id=page.pk):
        closed.delete()  # one by one: each deletion forgets the page's cached answers


def purge_unconfirmed() -> int:
    """Erase the reactions whose confirmation link has expired unopened (name, address and
    text of someone who never confirmed are not kept); returns how many."""
    expired = timezone.now() - datetime.timedelta(seconds=LINK_MAX_AGE)
    deleted, _by_model = Reaction.objects.filter(
        status=Status.UNCONFIRMED, created_at__lt=expired
    ).delete()
    return deleted
