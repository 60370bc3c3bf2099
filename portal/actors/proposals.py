"""The life of a proposal: submitted by a visitor, approved or rejected by an animator.

Approval is the only way a proposal reaches the portal: it creates the actor, or applies
the correction to it. The animators hear of each new proposal by e-mail, with a link to
the moderation screen on their own portal's host.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.abuse import one_line
from portal.actors.exports import description_text
from portal.actors.models import Actor, ActorProposal
from tenants.addresses import current_portal, portal_base_url

# The fields a proposal carries over to its actor, as they are.
COPIED_FIELDS = [
    "name",
    "kind",
    "address",
    "latitude",
    "longitude",
    "opening_hours",
    "website",
    "public_email",
    "public_phone",
]
ANIMATORS_GROUP = "Animateurs"


class ProposalError(ValidationError):
    """A decision that the proposal's state does not allow (already decided)."""


def initial_for(actor: Actor | None) -> dict[str, object]:
    """What the correction form starts with: the actor's public fields (never private ones)."""
    if actor is None:
        return {"kind": Actor.Kind.ASSOCIATION}
    initial: dict[str, object] = {field: getattr(actor, field) for field in COPIED_FIELDS}
    initial["themes"] = ", ".join(actor.theme_names())
    initial["description"] = description_text(actor)
    return initial


def submit(proposal: ActorProposal) -> ActorProposal:
    """Store a visitor's proposal, waiting for moderation, and tell the animators."""
    proposal.status = ActorProposal.Status.PENDING
    proposal.save()
    transaction.on_commit(lambda: notify_animators(proposal))
    return proposal


def animator_addresses() -> list[str]:
    """The e-mail addresses of this portal's active animators."""
    users = get_user_model().objects.filter(is_active=True, groups__name=ANIMATORS_GROUP)
    return sorted({user.email for user in users.exclude(email="")})


def moderation_url(proposal: ActorProposal) -> str:
    """The proposal's moderation screen, on the portal's own host."""
    path = reverse("portal_actorproposal:moderate", args=[proposal.pk])
    return portal_base_url(current_portal()) + path


def notify_animators(proposal: ActorProposal) -> None:
    """One e-mail to the animators, linking to the proposal in their admin."""
    recipients = animator_addresses()
    portal = current_portal()
    if not recipients or portal is None:
        return
    subject = (
        _("Correction proposée pour « %(name)s »")
        if proposal.is_correction
        else _("Nouvel acteur proposé : « %(name)s »")
    ) % {"name": proposal.name[:80]}
    body = render_to_string(
        "portal/actors/emails/proposal_received.txt",
        {"proposal": proposal, "portal": portal, "moderation_url": moderation_url(proposal)},
    )
    EmailMessage(
        subject=one_line(f"[{portal.name}] {subject}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    ).send()


def _paragraphs(text: str) -> str:
    """Plain text typed by a visitor, as the rich text of an actor (escaped)."""
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return "".join(f"<p>{escape(block).replace(chr(10), '<br>')}</p>" for block in blocks)


@transaction.atomic
def approve(proposal: ActorProposal, user, note: str = "") -> Actor:
    """Create the proposed actor, or apply the correction; the proposal is then closed."""
    proposal = ActorProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ActorProposal.Status.PENDING:
        raise ProposalError(_("Cette proposition a déjà été traitée."))
    actor = proposal.actor or Actor()
    for field in COPIED_FIELDS:
        setattr(actor, field, getattr(proposal, field))
    actor.description = _paragraphs(proposal.description)
    themes = proposal.theme_list()
    actor.save()
    if themes or proposal.is_correction:
        actor.themes.set(themes)
        actor.save()
    _decide(proposal, ActorProposal.Status.APPROVED, user, note)
    return actor


@transaction.atomic
def reject(proposal: ActorProposal, user, note: str = "") -> ActorProposal:
    """Close the proposal without changing any actor."""
    proposal = ActorProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ActorProposal.Status.PENDING:
        raise ProposalError(_("Cette proposition a déjà été traitée."))
    return _decide(proposal, ActorProposal.Status.REJECTED, user, note)


def _decide(proposal: ActorProposal, status: str, user, note: str) -> ActorProposal:
    proposal.status = status
    proposal.decided_at = timezone.now()
    proposal.decided_by = user
    proposal.decision_note = note
    proposal.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    return proposal
