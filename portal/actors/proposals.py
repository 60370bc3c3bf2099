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


def removal_request(actor: Actor, message: str = "") -> ActorProposal:
    """The actor's own request to leave the directory, holding its entry as it stands
    (so that the animator sees what would go), not yet saved: ``submit`` it."""
    values = initial_for(actor)
    return ActorProposal(
        actor=actor,
        removal=True,
        origin=ActorProposal.Origin.ACTOR,
        message=message,
        proposer_name=actor.name[:80],
        proposer_email=actor.update_email,
        **values,
    )


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
def approve(proposal: ActorProposal, user, note: str = "") -> Actor | None:
    """Create the proposed actor, apply the correction (saved as a revision of the actor),
    or remove the entry the actor asked to leave; the proposal is then closed and its
    author told. Returns the actor, or None once removed."""
    proposal = ActorProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ActorProposal.Status.PENDING:
        raise ProposalError(_("Cette proposition a déjà été traitée."))
    if proposal.removal:
        return _remove(proposal, user, note)
    actor = proposal.actor or Actor()
    for field in COPIED_FIELDS:
        setattr(actor, field, getattr(proposal, field))
    actor.description = _paragraphs(proposal.description)
    themes = proposal.theme_list()
    actor.save()
    if themes or proposal.is_correction:
        actor.themes.set(themes)
        actor.save()
    # The entry's history (Wagtail's revisions): who approved which values, and when.
    actor.save_revision(user=user if user and user.is_authenticated else None, log_action=True)
    _decide(proposal, ActorProposal.Status.APPROVED, user, note)
    transaction.on_commit(lambda: notify_proposer(proposal, actor.name))
    return actor


def _remove(proposal: ActorProposal, user, note: str) -> None:
    """The actor asked to leave the directory: its entry goes (its proposals with it, by
    cascade), after its author is told with the values the proposal still holds."""
    actor = proposal.actor
    _decide(proposal, ActorProposal.Status.APPROVED, user, note)
    name = actor.name if actor else proposal.name
    notify_proposer(proposal, name)
    if actor is not None:
        actor.delete()
    return None


@transaction.atomic
def reject(proposal: ActorProposal, user, note: str = "") -> ActorProposal:
    """Close the proposal without changing any actor."""
    proposal = ActorProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ActorProposal.Status.PENDING:
        raise ProposalError(_("Cette proposition a déjà été traitée."))
    _decide(proposal, ActorProposal.Status.REJECTED, user, note)
    transaction.on_commit(lambda: notify_proposer(proposal, proposal.name))
    return proposal


def _decide(proposal: ActorProposal, status: str, user, note: str) -> ActorProposal:
    proposal.status = status
    proposal.decided_at = timezone.now()
    proposal.decided_by = user
    proposal.decision_note = note
    proposal.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    return proposal


def notify_proposer(proposal: ActorProposal, actor_name: str) -> None:
    """Tell whoever proposed an actor or a change (a resident, or the actor itself) what
    the animators decided. The decision note stays with the team: it is not sent."""
    portal = current_portal()
    if portal is None or not proposal.proposer_email:
        return
    approved = proposal.status == ActorProposal.Status.APPROVED
    subject = (
        _("Votre proposition pour « %(name)s » est acceptée")
        if approved
        else _("Votre proposition pour « %(name)s » n'a pas été retenue")
    ) % {"name": actor_name[:80]}
    body = render_to_string(
        "portal/actors/emails/proposal_decided.txt",
        {"proposal": proposal, "portal": portal, "approved": approved, "name": actor_name},
    )
    EmailMessage(
        subject=one_line(f"[{portal.name}] {subject}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[proposal.proposer_email],
    ).send()
