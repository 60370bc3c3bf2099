"""The results page: hidden until the animator publishes it, then one accessible chart and
table per question from counted answers only, and the free answers the animator chose."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from consultations import lifecycle
from consultations.factories import ConsultationAnswerFactory
from consultations.models import ConsultationAnswer, ConsultationPage
from tests.conftest import logged_in
from tests.consultations.conftest import answers_of, consultation_at, path_of

pytestmark = pytest.mark.django_db

AWAITING = ConsultationAnswer.Status.AWAITING_CONFIRMATION


def answered(portal, page: ConsultationPage, *rows: dict, status=None) -> list[int]:
    """Answers stored for ``page`` (counted unless ``status`` says otherwise)."""
    extra = {"status": status, "counted_at": None} if status else {}
    with schema_context(portal.schema_name):
        return [ConsultationAnswerFactory(page=page, form_data=row, **extra).pk for row in rows]


def publish_results(portal, page: ConsultationPage) -> None:
    with schema_context(portal.schema_name):
        page = ConsultationPage.objects.get(pk=page.pk)
        page.results_published = True
        page.save_revision().publish()


def row(quarter: str, wishes: list[str], note: str, idea: str = "") -> dict:
    return {"votre_quartier": quarter, "vos_envies": wishes, "note": note, "votre_idee": idea}


def table_rows(html: str, question_number: int) -> list[tuple[str, str, str]]:
    section = html.split(f'id="q{question_number}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(\d+)</td><td>(\d+) %</td></tr>", body)


def test_results_are_hidden_until_the_animator_publishes_them(alpha, client_for):
    page = consultation_at(alpha)
    answered(alpha, page, row("Nord", [], "3"))

    response = client_for(alpha).get(path_of(page, alpha, "results"))

    assert response.status_code == 404
    assert "Les résultats ne sont pas encore publiés" in response.text
    assert "Nord" not in response.text.split("<main", 1)[1]


def test_published_results_draw_one_accessible_chart_and_table_per_question(alpha, client_for):
    page = consultation_at(alpha)
    answered(
        alpha,
        page,
        row("Nord", ["Bancs", "Arbres"], "5"),
        row("Nord", ["Bancs"], "4"),
        row("Sud", [], "4"),
        row("Centre", ["Arbres"], "1"),
    )
    answered(alpha, page, row("Sud", ["Jeux"], "2"), status=AWAITING)  # not confirmed
    publish_results(alpha, page)

    response = client_for(alpha).get(path_of(page, alpha, "results"))

    assert response.status_code == 200
    html = response.text
    assert "4 réponses prises en compte." in html
    assert html.count('<svg role="img"') == 3  # choice, checkboxes, scale
    assert '<title id="q1-title">Votre quartier</title>' in html
    assert "4 personnes ont répondu. Nord : 2 (50 %); Sud : 1 (25 %); Centre : 1 (25 %)." in html
    assert table_rows(html, 1) == [("Nord", "2", "50"), ("Sud", "1", "25"), ("Centre", "1", "25")]
    # Several choices: shares of the people who answered (3 of them), not of the ticks.
    assert table_rows(html, 2) == [("Bancs", "2", "67"), ("Arbres", "2", "67"), ("Jeux", "0", "0")]
    assert table_rows(html, 3) == [
        ("1", "1", "25"),
        ("2", "0", "0"),
        ("3", "0", "0"),
        ("4", "2", "50"),
        ("5", "1", "25"),
    ]
    assert "<script" not in html.split("<main", 1)[1]


def test_only_the_free_answers_the_animator_chose_are_shown(alpha, client_for, animator_of):
    page = consultation_at(alpha)
    first, _second, third = answered(
        alpha,
        page,
        row("Nord", [], "3", idea="Un marché du soir"),
        row("Sud", [], "3", idea="Mon voisin du 3e est insupportable"),
        row("Sud", [], "3", idea="Des arbres fruitiers"),
    )
    answered(alpha, page, row("Sud", [], "3", idea="Non confirmée"), status=AWAITING)
    publish_results(alpha, page)
    animator = logged_in(client_for(alpha), animator_of(alpha))
    choose = f"/admin/consultations/{page.pk}/reponses-libres/"

    listed = animator.get(choose)
    assert listed.status_code == 200
    assert "Un marché du soir" in listed.text and "Non confirmée" not in listed.text
    saved = animator.post(choose, {"shown": [f"{first}:votre_idee", f"{third}:votre_idee"]})
    assert saved.status_code == 302

    html = client_for(alpha).get(path_of(page, alpha, "results")).text
    assert "Un marché du soir" in html and "Des arbres fruitiers" in html
    assert "insupportable" not in html and "Non confirmée" not in html


def test_odd_answer_numbers_posted_to_the_choice_are_ignored_not_a_crash(
    alpha, client_for, animator_of
):
    page = consultation_at(alpha)
    [first] = answered(alpha, page, row("Nord", [], "3", idea="Un marché du soir"))
    publish_results(alpha, page)
    animator = logged_in(client_for(alpha), animator_of(alpha))
    choose = f"/admin/consultations/{page.pk}/reponses-libres/"

    # "²".isdigit() is true, and int() refuses it: a hand-made form must not give a 500.
    saved = animator.post(
        choose, {"shown": ["²:votre_idee", "\u0661:votre_idee", f"{first}:votre_idee"]}
    )

    assert saved.status_code == 302
    assert "Un marché du soir" in client_for(alpha).get(path_of(page, alpha, "results")).text


def test_a_new_counted_answer_refreshes_the_cached_results(alpha, client_for):
    page = consultation_at(alpha)
    answered(alpha, page, row("Nord", [], "3"))
    publish_results(alpha, page)
    visitor = client_for(alpha)
    first = visitor.get(path_of(page, alpha, "results"))
    again = visitor.get(path_of(page, alpha, "results"))
    assert (first["X-Cache"], again["X-Cache"]) == ("MISS", "HIT")

    answered(alpha, page, row("Sud", [], "3"))

    fresh = visitor.get(path_of(page, alpha, "results"))
    assert fresh["X-Cache"] == "MISS"
    assert "2 réponses prises en compte." in fresh.text


def test_the_form_page_is_never_kept_with_one_visitors_csrf_token(alpha, client_for):
    page = consultation_at(alpha)

    first = client_for(alpha).get(path_of(page, alpha))
    second = client_for(alpha).get(path_of(page, alpha))

    assert (first["X-Cache"], second["X-Cache"]) == ("BYPASS", "BYPASS")
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(first.text).group(1) != token.search(second.text).group(1)


def test_a_private_consultations_results_are_never_shown_publicly(alpha, client_for):
    page = consultation_at(alpha)
    answered(alpha, page, row("Nord", [], "3", idea="Secret"))
    publish_results(alpha, page)
    with schema_context(alpha.schema_name):
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="mot-de-passe"
        )
        lifecycle.choose_free_answers(page, [])

    visitor = client_for(alpha)
    results = visitor.get(path_of(page, alpha, "results"))
    section = visitor.get(path_of(page, alpha).rsplit("/", 2)[0] + "/")

    assert "Votre quartier" not in results.text and "Nord" not in results.text
    assert page.title not in section.text


def test_the_section_lists_open_then_closed_consultations_but_not_workshop_questionnaires(
    alpha, client_for
):
    import datetime

    from django.utils import timezone

    open_one = consultation_at(alpha, title="Le square Sarah-Bernhardt")
    closed = consultation_at(
        alpha, title="Le nom de la médiathèque", closes_at=timezone.now() - datetime.timedelta(1)
    )
    questionnaire = consultation_at(
        alpha, title="Avant l'atelier mobilités", kind=ConsultationPage.Kind.QUESTIONNAIRE
    )

    html = client_for(alpha).get("/consultations/").text

    assert html.index(open_one.title) < html.index("Consultations terminées")
    assert html.index(closed.title) > html.index("Consultations terminées")
    assert questionnaire.title not in html
    # The questionnaire itself answers at its address, for the actors it is sent to.
    assert client_for(alpha).get(path_of(questionnaire, alpha)).status_code == 200


def test_the_results_page_answers_a_closed_consultation_too(alpha, client_for):
    import datetime

    from django.utils import timezone

    page = consultation_at(alpha, closes_at=timezone.now() - datetime.timedelta(days=1))
    answered(alpha, page, row("Centre", ["Jeux"], "2"))
    publish_results(alpha, page)

    form = client_for(alpha).get(path_of(page, alpha))
    results = client_for(alpha).get(path_of(page, alpha, "results"))

    assert "Voir les résultats" in form.text
    assert table_rows(results.text, 1)[2] == ("Centre", "1", "100")
    assert answers_of(page, alpha)  # the helper still builds a form for a closed page
