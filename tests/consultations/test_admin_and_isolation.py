"""The answers in the admin: a CSV export whose formulas stay text, shown to those who
may edit the consultation only, and never another portal's."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from wagtail.contrib.forms.views import SubmissionsListView

from consultations.factories import ConsultationAnswerFactory
from consultations.models import ConsultationAnswer
from tests.conftest import PASSWORD, logged_in
from tests.consultations.conftest import (
    HYPERLINK,
    answers_of,
    answers_to,
    consultation_at,
    link_in,
    path_in,
    path_of,
)

pytestmark = pytest.mark.django_db


def export(client, page) -> list[dict[str, str]]:
    response = client.get(f"/admin/forms/submissions/{page.pk}/", {"export": "csv"})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def body(response) -> bytes:
    """The bytes of a response, streamed (Wagtail streams its CSV) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def animator(alpha, client_for, animator_of):
    return logged_in(client_for(alpha), animator_of(alpha))


def test_wagtails_own_submissions_export_would_write_a_formula_as_is():
    # Why consultations use their own listing view: Wagtail 8 leaves CSV cells alone.
    view = SubmissionsListView()

    assert view.preprocess_field_value("idee", "=1+1", view.FORMAT_CSV) == "=1+1"


def test_the_answers_export_writes_formulas_typed_by_residents_as_text(alpha, animator):
    page = consultation_at(alpha)
    with schema_context(alpha.schema_name):
        ConsultationAnswerFactory(
            page=page,
            form_data={"votre_quartier": "Nord", "votre_idee": HYPERLINK, "note": "-2+3"},
            email="@evil.example",
        )

    [row] = export(animator, page)

    assert row["Votre idée"] == "'" + HYPERLINK
    assert row["Note"] == "'-2+3"
    assert row["Votre quartier"] == "Nord"
    assert row["État"] == "comptée"
    assert row["Adresse e-mail"] == "'@evil.example"


def test_a_contributor_cannot_see_nor_export_the_answers(alpha, client_for):
    page = consultation_at(alpha)
    with schema_context(alpha.schema_name):
        ConsultationAnswerFactory(page=page, form_data={"votre_idee": "Confidentiel"})
        contributor = get_user_model().objects.create_user(
            username="plume@example.org", email="plume@example.org", password=PASSWORD
        )
        contributor.groups.add(Group.objects.get(name="Contributeurs"))
    browser = logged_in(client_for(alpha), contributor)

    for path in (
        f"/admin/forms/submissions/{page.pk}/",
        f"/admin/forms/submissions/{page.pk}/?export=csv",
        f"/admin/consultations/{page.pk}/reponses-libres/",
    ):
        response = browser.get(path)
        assert response.status_code in (302, 403), path
        assert "Confidentiel" not in body(response).decode()
    refused = browser.post(f"/admin/consultations/{page.pk}/reponses-libres/", {"shown": "1:x"})
    assert refused.status_code in (302, 403)


def test_a_visitor_cannot_reach_the_answers(alpha, client_for):
    page = consultation_at(alpha)

    response = client_for(alpha).get(f"/admin/forms/submissions/{page.pk}/?export=csv")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_answers_of_portal_a_are_never_listed_nor_exported_at_portal_b(
    alpha, beta, client_for, animator_of
):
    at_alpha = consultation_at(alpha)
    with schema_context(alpha.schema_name):
        ConsultationAnswerFactory(page=at_alpha, form_data={"votre_idee": "Idée d'Alpha"})
    at_beta = consultation_at(beta)
    animator_b = logged_in(client_for(beta), animator_of(beta))

    rows = export(animator_b, at_beta)
    listing = animator_b.get(f"/admin/forms/submissions/{at_beta.pk}/")
    # The same page id at B is B's own page, or nothing: never A's answers.
    same_id = animator_b.get(f"/admin/forms/submissions/{at_alpha.pk}/?export=csv")
    free = animator_b.get(f"/admin/consultations/{at_alpha.pk}/reponses-libres/")

    assert all("Idée d'Alpha" not in value for row in rows for value in row.values())
    assert "Idée d&#x27;Alpha" not in listing.text
    assert "Idée d'Alpha" not in body(same_id).decode()
    assert "Idée d&#x27;Alpha" not in body(free).decode()


def test_a_confirmation_link_of_portal_a_is_dead_at_portal_b(alpha, beta, client_for, outbox):
    page_a = consultation_at(alpha)
    client_for(alpha).post(path_of(page_a, alpha), answers_of(page_a, alpha))
    link = path_in(link_in(outbox[-1]))
    # Portal B has a consultation at the same address and an answer with the same id.
    page_b = consultation_at(beta, title=page_a.title, slug=page_a.slug)
    [answer_a] = answers_to(page_a, alpha)
    with schema_context(beta.schema_name):
        answer_b = ConsultationAnswerFactory(
            page=page_b, status=ConsultationAnswer.Status.AWAITING_CONFIRMATION, counted_at=None
        )
        ConsultationAnswer.objects.filter(pk=answer_b.pk).update(id=answer_a.pk)
    assert path_of(page_b, beta) == path_of(page_a, alpha)

    response = client_for(beta).post(link)

    assert response.status_code == 404
    assert "Ce lien ne fonctionne pas" in response.text
    assert answers_to(page_b, beta)[0].status == ConsultationAnswer.Status.AWAITING_CONFIRMATION
    assert answers_to(page_a, alpha)[0].status == ConsultationAnswer.Status.AWAITING_CONFIRMATION


def test_answers_of_portal_a_never_show_in_portal_bs_results(alpha, beta, client_for):
    page_a = consultation_at(alpha, results_published=True)
    with schema_context(alpha.schema_name):
        ConsultationAnswerFactory(page=page_a, form_data={"votre_quartier": "Nord"})
    page_b = consultation_at(beta, title=page_a.title, slug=page_a.slug, results_published=True)

    html = client_for(beta).get(path_of(page_b, beta, "results")).text

    assert '<th scope="row">Nord</th><td>0</td>' in html
