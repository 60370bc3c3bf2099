"""Demo consultation of a portal: questions of every kind, answers, published results."""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.utils import timezone
from wagtail.models import Page, Site

from consultations.models import (
    ConsultationAnswer,
    ConsultationField,
    ConsultationPage,
    ConsultationsPage,
)
from core.demo_pages import publish_new_child

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

DEMO_TITLE = "Quel avenir pour la place du marché ?"
QUESTIONS = [
    {
        "label": "Vous venez sur la place surtout…",
        "field_type": "radio",
        "choices": "Le jour du marché\nEn semaine\nLe week-end\nPresque jamais",
    },
    {
        "label": "Qu'aimeriez-vous y trouver ?",
        "field_type": "checkboxes",
        "choices": "Des bancs à l'ombre\nUn jeu pour enfants\nUne fontaine\nDes arceaux à vélo",
        "required": False,
    },
    {
        "label": "La place est-elle agréable aujourd'hui ?",
        "field_type": "scale",
        "choices": "Pas du tout, Tout à fait",
    },
    {"label": "Une idée, une remarque ?", "field_type": "multiline", "required": False},
    {
        "label": "Votre e-mail si vous voulez être invité·e à l'atelier (facultatif)",
        "field_type": "email",
        "required": False,
    },
]
IDEAS = [
    "Un marché du soir en été, avec les associations du quartier.",
    "Des toilettes publiques ouvertes le jour du marché.",
    "Moins de voitures garées sur la place le samedi.",
    "Un coin de jardin partagé près de l'école.",
]


def add_consultation(parent: Page, questions: list[dict], **fields: object) -> ConsultationPage:
    """Add and publish a consultation with ``questions`` (``ConsultationField`` values)."""
    page = ConsultationPage(**fields)
    page.form_fields = [
        ConsultationField(sort_order=number, **question)
        for number, question in enumerate(questions)
    ]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def consultations_section() -> ConsultationsPage | None:
    """The portal's "Consultations" section (in its default language)."""
    return ConsultationsPage.objects.order_by("pk").first()


def ensure_section() -> ConsultationsPage | None:
    """The section, added under the home page of a portal opened before consultations
    existed (new portals get it from the template)."""
    section = consultations_section()
    if section is not None:
        return section
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    section = ConsultationsPage(
        title="Consultations",
        slug="consultations",
        intro="<p>Donnez votre avis sur les projets du quartier.</p>",
        show_in_menus=True,
    )
    publish_new_child(site.root_page.specific, section)
    return section


def seed_consultation(portal: Neighbourhood) -> ConsultationPage | None:
    """A consultation answered by 24 residents, results published, three ideas shown
    (a neighbourhood's only: the federation has no consultations section)."""
    if portal.kind != "neighbourhood":
        return None
    section = ensure_section()
    if section is None or ConsultationPage.objects.filter(title=DEMO_TITLE).exists():
        return None
    page = add_consultation(
        section,
        QUESTIONS,
        title=DEMO_TITLE,
        slug="place-du-marche",
        intro="<p>La ville va réaménager la place en 2027. Dites-nous ce qui compte pour vous : "
        "vos réponses seront présentées à l'atelier public du mois prochain.</p>",
        closes_at=timezone.now() + datetime.timedelta(days=30),
        answer_mode=ConsultationPage.AnswerMode.EMAIL,
        results_published=True,
        results_intro="<p>Les résultats sont mis à jour à chaque réponse confirmée.</p>",
        thank_you_text="<p>Merci ! Rendez-vous à l'atelier public.</p>",
    )
    names = [field.clean_name for field in page.get_form_fields()]
    chooser = random.Random(portal.schema_name)  # noqa: S311 (demo data, not security)
    when = timezone.now() - datetime.timedelta(days=6)
    answers = []
    for number in range(24):
        radio = chooser.choice(QUESTIONS[0]["choices"].split("\n"))
        wishes = chooser.sample(QUESTIONS[1]["choices"].split("\n"), k=chooser.randint(0, 3))
        idea = IDEAS[number % len(IDEAS)] if number % 3 == 0 else ""
        data = dict(zip(names, [radio, wishes, str(chooser.randint(1, 5)), idea, ""], strict=True))
        answers.append(
            ConsultationAnswer(
                page=page,
                form_data=data,
                status=ConsultationAnswer.Status.COUNTED,
                email=f"voisin{number}@example.org",
                email_key=f"voisin{number}@example.org",
                counted_at=when + datetime.timedelta(hours=5 * number),
                shown_free_answers=[names[3]] if idea and number < 9 else [],
            )
        )
    ConsultationAnswer.objects.bulk_create(answers)
    return page
