"""A resident answers a consultation: by e-mail (counted once confirmed, one per address)
or anonymously (counted at once, with the abuse protections); never after it closes."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from consultations.models import ConsultationAnswer, ConsultationPage
from tests.consultations.conftest import (
    answers_of,
    answers_to,
    consultation_at,
    link_in,
    path_in,
    path_of,
)

pytestmark = pytest.mark.django_db

COUNTED = ConsultationAnswer.Status.COUNTED
AWAITING = ConsultationAnswer.Status.AWAITING_CONFIRMATION
ANONYMOUS = ConsultationPage.AnswerMode.ANONYMOUS


def test_the_form_shows_choices_checkboxes_a_scale_free_text_and_an_optional_email(
    alpha, client_for
):
    page = consultation_at(alpha)

    response = client_for(alpha).get(path_of(page, alpha))

    assert response.status_code == 200
    html = response.text
    for label in ("Votre quartier", "Vos envies", "Note", "Votre idée", "Votre e-mail"):
        assert label in html
    assert html.count('name="note"') == 5
    assert "1 (Pas du tout)" in html and "5 (Tout à fait)" in html
    assert 'type="checkbox" name="vos_envies"' in html
    assert "<textarea" in html
    assert "Votre adresse e-mail" in html  # the confirmation address: answers by e-mail


def test_an_anonymous_answer_counts_at_once(alpha, client_for):
    page = consultation_at(alpha, answer_mode=ANONYMOUS)

    response = client_for(alpha).post(path_of(page, alpha), answers_of(page, alpha))

    assert response.status_code == 302
    assert response["Location"] == path_of(page, alpha, "thanks")
    [answer] = answers_to(page, alpha)
    assert answer.status == COUNTED
    assert answer.form_data["votre_quartier"] == "Nord"
    assert answer.form_data["vos_envies"] == ["Bancs", "Arbres"]
    assert "site_web" not in answer.form_data and answer.email == ""
    thanks = client_for(alpha).get(response["Location"])
    assert "Merci, votre réponse est enregistrée" in thanks.text


def test_a_refused_answer_says_why_in_french_and_keeps_what_was_typed(alpha, client_for):
    page = consultation_at(alpha, answer_mode=ANONYMOUS)
    data = answers_of(
        page,
        alpha,
        votre_quartier=None,
        note="9",
        votre_e_mail_facultatif="pas-une-adresse",
        votre_idee="Des bancs à l'ombre, près de la fontaine",
    )

    response = client_for(alpha).post(path_of(page, alpha), data)

    assert response.status_code == 400
    html = response.text
    assert "Votre envoi n'est pas complet" in html
    assert "Votre quartier : Répondez à cette question." in html
    assert "Sélectionnez un choix valide" in html
    assert "par exemple nom@exemple.fr" in html
    assert "Des bancs à l&#x27;ombre, près de la fontaine" in html
    assert re.search(r'value="Arbres"[^>]*checked', html)
    assert answers_to(page, alpha) == []


def test_an_answer_by_email_counts_only_once_its_link_is_opened(alpha, client_for, outbox):
    page = consultation_at(alpha)
    resident = client_for(alpha)

    response = resident.post(path_of(page, alpha), answers_of(page, alpha))

    assert response["Location"] == path_of(page, alpha, "check_email")
    [answer] = answers_to(page, alpha)
    assert (answer.status, answer.email) == (AWAITING, "samia@example.org")
    [message] = outbox
    assert message.to == ["samia@example.org"]
    assert page.title in message.subject
    link = link_in(message)
    assert link.startswith(f"http://{alpha.get_primary_domain().domain}")

    opened = resident.get(path_in(link))  # what a mail scanner does: nothing counts yet
    assert "Confirmer ma réponse" in opened.text
    assert [a.status for a in answers_to(page, alpha)] == [AWAITING]
    confirmed = resident.post(path_in(link))

    assert confirmed.status_code == 200
    assert "Merci, votre réponse est confirmée" in confirmed.text
    [answer] = answers_to(page, alpha)
    assert answer.status == COUNTED and answer.counted_at is not None
    assert resident.post(path_in(link)).status_code == 200  # pressing it again: no harm


def test_a_second_answer_from_the_same_address_replaces_the_first(alpha, client_for, outbox):
    page = consultation_at(alpha)
    resident = client_for(alpha)
    resident.post(path_of(page, alpha), answers_of(page, alpha, votre_quartier="Nord"))
    resident.post(path_in(link_in(outbox[-1])))
    resident.post(
        path_of(page, alpha),
        answers_of(
            page, alpha, votre_quartier="Sud", confirmation_email="Samia+voisine@Example.org"
        ),
    )

    assert [a.status for a in answers_to(page, alpha)] == [COUNTED, AWAITING]
    resident.post(path_in(link_in(outbox[-1])))

    [answer] = answers_to(page, alpha)
    assert (answer.status, answer.form_data["votre_quartier"]) == (COUNTED, "Sud")


def test_an_unconfirmed_second_answer_leaves_the_first_counted(alpha, client_for, outbox):
    page = consultation_at(alpha)
    resident = client_for(alpha)
    resident.post(path_of(page, alpha), answers_of(page, alpha))
    resident.post(path_in(link_in(outbox[-1])))

    # Someone else types Samia's address: nothing changes until Samia opens her mail.
    client_for(alpha).post(path_of(page, alpha), answers_of(page, alpha, votre_quartier="Sud"))

    counted = [a for a in answers_to(page, alpha) if a.status == COUNTED]
    assert [a.form_data["votre_quartier"] for a in counted] == ["Nord"]


def test_a_forged_or_foreign_confirmation_link_is_a_clear_404(alpha, client_for):
    page = consultation_at(alpha)
    other = consultation_at(alpha)
    with schema_context(alpha.schema_name):
        answer = ConsultationAnswer.objects.create(
            page=other, form_data={}, status=AWAITING, email="a@example.org"
        )
        from consultations.tokens import confirmation_token

        token = confirmation_token(answer.pk)

    for bad in ("nimportequoi", token[:-3] + "xyz"):
        response = client_for(alpha).post(path_of(page, alpha, "confirm", bad))
        assert response.status_code == 404
        assert "Ce lien ne fonctionne pas" in response.text
    # A good token, but under another consultation's address.
    response = client_for(alpha).post(path_of(page, alpha, "confirm", token))
    assert response.status_code == 404
    assert answers_to(other, alpha)[0].status == AWAITING


def test_after_its_closing_date_a_consultation_shows_a_closed_message_and_no_form(
    alpha, client_for
):
    page = consultation_at(
        alpha, answer_mode=ANONYMOUS, closes_at=timezone.now() - datetime.timedelta(hours=1)
    )

    response = client_for(alpha).get(path_of(page, alpha))

    assert response.status_code == 200
    assert "Cette consultation est close." in response.text
    assert "<form" not in response.text.split("<main", 1)[-1].split("</main>")[0]
    refused = client_for(alpha).post(path_of(page, alpha), answers_of(page, alpha))
    assert refused.status_code == 403
    assert "Cette consultation est close." in refused.text
    assert answers_to(page, alpha) == []


def test_a_link_opened_after_the_closing_date_counts_nothing(alpha, client_for, outbox):
    page = consultation_at(alpha)
    resident = client_for(alpha)
    resident.post(path_of(page, alpha), answers_of(page, alpha))
    with schema_context(alpha.schema_name):
        ConsultationPage.objects.filter(pk=page.pk).update(
            closes_at=timezone.now() - datetime.timedelta(minutes=1)
        )

    late = resident.post(path_in(link_in(outbox[0])))

    assert late.status_code == 410
    assert "Cette consultation est close." in late.text
    [answer] = answers_to(page, alpha)
    assert answer.status == AWAITING


def test_anonymous_answers_are_limited_per_address_with_a_french_message(alpha, client_for):
    page = consultation_at(alpha, answer_mode=ANONYMOUS)
    visitor = client_for(alpha)
    for _ in range(10):
        assert visitor.post(path_of(page, alpha), answers_of(page, alpha)).status_code == 302

    refused = visitor.post(path_of(page, alpha), answers_of(page, alpha, votre_idee="Encore"))

    assert refused.status_code == 400
    assert "Trop d&#x27;envois en peu de temps" in refused.text
    assert "Encore" in refused.text
    assert len(answers_to(page, alpha)) == 10
    # Another consultation of the portal still takes this household's answer.
    other = consultation_at(alpha, answer_mode=ANONYMOUS)
    assert visitor.post(path_of(other, alpha), answers_of(other, alpha)).status_code == 302


def test_robots_are_refused_honeypot_and_speed(alpha, client_for):
    page = consultation_at(alpha, answer_mode=ANONYMOUS)
    visitor = client_for(alpha)

    filled = visitor.post(path_of(page, alpha), answers_of(page, alpha, site_web="http://x"))
    hasty = visitor.post(path_of(page, alpha), answers_of(page, alpha, formulaire_ouvert="forged"))

    assert filled.status_code == 400 and "Votre envoi n&#x27;a pas pu être accepté" in filled.text
    assert hasty.status_code == 400
    assert answers_to(page, alpha) == []


def test_a_form_stamp_of_another_consultation_is_refused(alpha, client_for):
    page = consultation_at(alpha, answer_mode=ANONYMOUS)
    other = consultation_at(alpha, answer_mode=ANONYMOUS)
    data = answers_of(page, alpha, formulaire_ouvert=answers_of(other, alpha)["formulaire_ouvert"])

    response = client_for(alpha).post(path_of(page, alpha), data)

    assert response.status_code == 400
    assert "ne vient pas de cette page" in response.text
