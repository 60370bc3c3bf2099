"""What other features may use of consultations (name the pair in pyproject's contract).

The workshops (issue 19) link a workshop to the questionnaire sent to local actors
before it: a ``PageChooserPanel`` targeting ``ConsultationPage``, limited to
``workshop_questionnaires()``.
"""

from __future__ import annotations

from wagtail.query import PageQuerySet

from consultations.models import ConsultationAnswer, ConsultationPage

__all__ = ["ConsultationPage", "answer_count", "workshop_questionnaires"]


def workshop_questionnaires() -> PageQuerySet:
    """The portal's questionnaires for local actors (pages of kind "questionnaire")."""
    return ConsultationPage.objects.filter(kind=ConsultationPage.Kind.QUESTIONNAIRE)


def answer_count(page_id: int) -> int:
    """How many answers the consultation ``page_id`` counts (confirmed ones; none for a
    page that is not a consultation)."""
    return ConsultationAnswer.objects.filter(page_id=page_id).counted().count()
