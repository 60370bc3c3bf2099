"""The consultations' factories build, the demo seeds a consultation with published
results, the section and page types sit where they should, and the network counts answers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.test.utils import WagtailPageTestCase

from consultations.demo import DEMO_TITLE, seed_consultation
from consultations.factories import ConsultationAnswerFactory, ConsultationPageFactory
from consultations.lifecycle import purge_unconfirmed
from consultations.models import ConsultationAnswer, ConsultationPage, ConsultationsPage
from consultations.public import workshop_questionnaires
from home.models import HomePage
from tenants.extension_points import activity_counters

pytestmark = pytest.mark.django_db


def test_every_portal_has_the_consultations_section(alpha, client_for):
    with schema_context(alpha.schema_name):
        section = ConsultationsPage.objects.get()
        assert section.live and section.show_in_menus

    response = client_for(alpha).get("/consultations/")

    assert response.status_code == 200
    assert "Consultations ouvertes" in response.text


def test_consultations_live_in_their_section_only(alpha):
    case = WagtailPageTestCase()
    with schema_context(alpha.schema_name):
        case.assertAllowedParentPageTypes(ConsultationPage, {ConsultationsPage})
        case.assertAllowedSubpageTypes(ConsultationPage, set())
        case.assertAllowedParentPageTypes(ConsultationsPage, {HomePage})


def test_the_factories_build_a_consultation_and_an_answer(alpha):
    with schema_context(alpha.schema_name):
        page = ConsultationPageFactory()
        answer = ConsultationAnswerFactory(page=page)

        assert page.live and page.get_parent().slug == "consultations"
        assert [f.field_type for f in page.get_form_fields()] == [
            "radio",
            "checkboxes",
            "scale",
            "multiline",
            "email",
        ]
        assert answer.status == ConsultationAnswer.Status.COUNTED


def test_the_demo_gives_a_consultation_with_answers_and_published_results(alpha, client_for):
    with schema_context(alpha.schema_name):
        seed_consultation(alpha)
        seed_consultation(alpha)
        page = ConsultationPage.objects.get(title=DEMO_TITLE)
        assert ConsultationAnswer.objects.filter(page=page).counted().count() == 24

    results = client_for(alpha).get("/consultations/place-du-marche/resultats/")

    assert results.status_code == 200
    assert "24 réponses prises en compte." in results.text
    assert "Un marché du soir en été" in results.text


def test_the_network_counts_answers_received(alpha):
    with schema_context(alpha.schema_name):
        page = ConsultationPageFactory()
        [counter] = [c for c in activity_counters() if c.key == "consultation_answers"]
        since = timezone.now()
        ConsultationAnswerFactory(page=page)
        ConsultationAnswerFactory(
            page=page, status=ConsultationAnswer.Status.AWAITING_CONFIRMATION, counted_at=None
        )

        assert counter.count(since) == 1
        assert counter.last_published() >= since


def test_unconfirmed_answers_are_purged_after_seven_days(alpha):
    with schema_context(alpha.schema_name):
        page = ConsultationPageFactory()
        old = ConsultationAnswerFactory(
            page=page, status=ConsultationAnswer.Status.AWAITING_CONFIRMATION, counted_at=None
        )
        ConsultationAnswer.objects.filter(pk=old.pk).update(
            submit_time=timezone.now() - datetime.timedelta(days=8)
        )
        recent = ConsultationAnswerFactory(
            page=page, status=ConsultationAnswer.Status.AWAITING_CONFIRMATION, counted_at=None
        )
        counted = ConsultationAnswerFactory(page=page)

        assert purge_unconfirmed() == 1
        remaining = set(ConsultationAnswer.objects.filter(page=page).values_list("pk", flat=True))
        assert remaining == {recent.pk, counted.pk}


def test_workshops_can_list_the_questionnaires_for_local_actors(alpha):
    with schema_context(alpha.schema_name):
        questionnaire = ConsultationPageFactory(kind=ConsultationPage.Kind.QUESTIONNAIRE)
        ConsultationPageFactory()

        assert list(workshop_questionnaires()) == [questionnaire]


def test_the_demo_adds_the_section_to_a_portal_opened_before_consultations(make_portal):
    portal = make_portal("ancien")
    with schema_context(portal.schema_name):
        ConsultationsPage.objects.get().delete()

        page = seed_consultation(portal)

        section = ConsultationsPage.objects.get()
        assert section.live and section.get_parent().specific_class is HomePage
        assert page.get_parent().pk == section.pk
