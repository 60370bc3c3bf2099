"""Demo proposals of a portal: a few waiting for the animators, of every kind."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from proposals.models import Proposal, ProposalEvent, ProposalsPage

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

Kind = Proposal.Kind

# (kind, title, text, name, consents to be named, days ago)
SUBJECTS = [
    (
        Kind.STORY,
        "La laverie solidaire a deux ans",
        "La laverie de la rue des Lilas fête ses deux ans samedi : les bénévoles racontent "
        "comment elle est devenue un lieu où l'on se parle.",
        "Nadia",
        True,
        3,
    ),
    (
        Kind.TESTIMONY,
        "Trente ans au marché du dimanche",
        "Je tiens le stand de fruits depuis 1995 : j'aimerais raconter comment le marché a "
        "changé, et ce qui n'a pas changé.",
        "Monsieur Diallo",
        False,
        1,
    ),
    (
        Kind.NEWS,
        "Le square rouvre après travaux",
        "Les jeux pour enfants du square Gambetta sont réinstallés, la réouverture est prévue "
        "lundi à 9 h.",
        "Collectif des parents",
        True,
        0,
    ),
]


def seed_proposals(neighbourhood: Neighbourhood) -> None:
    """Three subjects and one event waiting for a decision, once per portal."""
    if Proposal.objects.exists() or not ProposalsPage.objects.exists():
        return  # the federation has no "Participer" section
    now = timezone.now()
    for kind, title, text, name, named, days_ago in SUBJECTS:
        _waiting(
            now - datetime.timedelta(days=days_ago),
            kind=kind,
            title=title,
            text=text,
            name=name,
            credit_consent=named,
            email=f"{neighbourhood.schema_name}.{len(title)}@example.org",
        )
    start = (now + datetime.timedelta(days=12)).replace(hour=14, minute=0, second=0, microsecond=0)
    _waiting(
        now - datetime.timedelta(days=2),
        kind=Kind.EVENT,
        title="Vide-grenier de la rue des Lilas",
        text="Le vide-grenier annuel, avec une buvette tenue par les jeunes du club de foot.",
        start=start,
        end=start + datetime.timedelta(hours=5),
        place="Rue des Lilas, entre la boulangerie et l'école",
        organiser="Association Les Lilas en fête",
        name="Sophie",
        credit_consent=True,
        email=f"{neighbourhood.schema_name}.vide-grenier@example.org",
    )


def _waiting(at: datetime.datetime, **fields: object) -> Proposal:
    proposal = Proposal.objects.create(
        status=Proposal.Status.WAITING, created_at=at, confirmed_at=at, **fields
    )
    for from_status, to_status in (
        ("", Proposal.Status.AWAITING_CONFIRMATION),
        (Proposal.Status.AWAITING_CONFIRMATION, Proposal.Status.WAITING),
    ):
        ProposalEvent.objects.create(
            proposal=proposal,
            from_status=from_status,
            to_status=to_status,
            actor=ProposalEvent.Actor.PROPOSER,
            at=at,
        )
    return proposal
