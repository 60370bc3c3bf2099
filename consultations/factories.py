"""Factories for consultations (tests and benchmarks). Build them inside a portal's schema."""

from __future__ import annotations

import factory
from django.utils import timezone

from consultations.demo import add_consultation, consultations_section
from consultations.models import ConsultationAnswer, ConsultationPage
from core.factories import PublishedPageFactory

QUESTIONS = [
    {"label": "Votre quartier", "field_type": "radio", "choices": "Nord\nSud\nCentre"},
    {
        "label": "Vos envies",
        "field_type": "checkboxes",
        "choices": "Bancs\nArbres\nJeux",
        "required": False,
    },
    {"label": "Note", "field_type": "scale", "choices": "Pas du tout, Tout à fait"},
    {"label": "Votre idée", "field_type": "multiline", "required": False},
    {"label": "Votre e-mail (facultatif)", "field_type": "email", "required": False},
]


class ConsultationPageFactory(PublishedPageFactory):
    """An open consultation by e-mail, with a choice, checkboxes, a scale, free text and an
    optional e-mail; ``questions=`` replaces them."""

    title = factory.Sequence(lambda n: f"Consultation n° {n}")
    intro = "<p>Donnez votre avis sur le réaménagement du square.</p>"
    answer_mode = ConsultationPage.AnswerMode.EMAIL
    questions = factory.LazyFunction(lambda: [dict(question) for question in QUESTIONS])

    class Meta:
        model = ConsultationPage

    @classmethod
    def default_parent(cls):
        return consultations_section()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.pop("parent", None) or cls.default_parent()
        return add_consultation(parent, kwargs.pop("questions"), **kwargs)


class ConsultationAnswerFactory(factory.django.DjangoModelFactory):
    """A counted anonymous answer; give ``page`` and ``form_data``."""

    form_data = factory.LazyFunction(dict)
    status = ConsultationAnswer.Status.COUNTED
    counted_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ConsultationAnswer
