"""Consultations in the admin (the answers of each, the free answers to publish) and
what every portal gets of them (section, demo, counter, models shown on pages).

No moderation source: an answer is not published, it is counted; what the public reads
of free answers is what the animator picks in "Réponses libres à publier".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Max
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from consultations.admin_views import FreeAnswersView
from consultations.demo import seed_consultation
from consultations.models import ConsultationAnswer, ConsultationPage, ConsultationsPage
from core.extension_points import SHOWN_ON_PAGES
from tenants.extension_points import (
    ACTIVITY_COUNTERS,
    DEMO_CONTENT,
    NEIGHBOURHOODS_ONLY,
    PORTAL_SECTIONS,
    ActivityCounter,
    PortalSection,
)

if TYPE_CHECKING:
    from tenants.models import Neighbourhood


@hooks.register("register_admin_urls")
def admin_urls() -> list:
    return [
        path(
            "consultations/<int:page_id>/reponses-libres/",
            FreeAnswersView.as_view(),
            name="consultations_free_answers",
        )
    ]


@hooks.register("register_page_header_buttons")
def consultation_buttons(page, user, view_name, next_url=None):
    """On a consultation's edit page: its answers, and the free answers to publish."""
    if not issubclass(page.specific_class or type(page), ConsultationPage) or not page.pk:
        return
    yield Button(
        _("Réponses"),
        url=reverse("wagtailforms:list_submissions", args=[page.pk]),
        icon_name="form",
        priority=45,
    )
    yield Button(
        _("Réponses libres à publier"),
        url=reverse("consultations_free_answers", args=[page.pk]),
        icon_name="view",
        priority=46,
    )


# --- What every new portal gets (tenants.extension_points) ------------------------------


@hooks.register(PORTAL_SECTIONS)
def sections() -> Iterable[PortalSection]:
    """The "Consultations" section, after the project seeds."""
    return [
        PortalSection(
            ConsultationsPage,
            "Consultations",
            "consultations",
            "Donnez votre avis sur les projets du quartier, et lisez ce que les voisins en "
            "pensent.",
            order=75,
            kinds=NEIGHBOURHOODS_ONLY,
        )
    ]


@hooks.register(DEMO_CONTENT, order=65)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """A consultation with answers and its results published."""
    seed_consultation(neighbourhood)


def _answers_since(since: datetime.datetime) -> int:
    return ConsultationAnswer.objects.counted().filter(counted_at__gte=since).count()


def _last_answer() -> datetime.datetime | None:
    return ConsultationAnswer.objects.counted().aggregate(last=Max("counted_at"))["last"]


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """Answers received (counted) in the period."""
    return [
        ActivityCounter(
            "consultation_answers", _("Réponses aux consultations"), _answers_since, _last_answer
        )
    ]


@hooks.register(SHOWN_ON_PAGES)
def consultations_models_shown_on_pages() -> Iterable[str]:
    """Questions show on the form; answers are tallied on the results page, so a new
    counted answer (or a free answer picked) forgets the portal's cached pages."""
    return ["consultations.ConsultationField", "consultations.ConsultationAnswer"]
