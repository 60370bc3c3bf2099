"""What happens to an answer: given, confirmed (it counts), replaced, purged; and the
animator's choice of free answers shown with the results.

::

    anonymous  ──────────────────────────────> counted
    by e-mail  ──> awaiting ──(link opened)──> counted (replaces that address's earlier one)
                      └──(7 days unconfirmed)──> deleted

One answer per confirmed address: a second answer from the same mailbox, once confirmed,
*replaces* the first (a resident may change their mind until the consultation closes, and
nobody can undo another's answer without opening their mailbox). The database holds it:
one counted answer per (consultation, normalised address).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from consultations import notifications
from consultations.form_builder import CONFIRMATION_EMAIL_FIELD
from consultations.models import ConsultationAnswer, ConsultationPage
from consultations.tokens import CONFIRMATION_MAX_AGE
from core.abuse import plain_text

Status = ConsultationAnswer.Status


def _stored(cleaned: dict) -> dict:
    """The answers as stored: text stripped of invisible characters, the protections and
    the confirmation address left out (the address is kept on its own column)."""
    kept = {}
    for name, value in cleaned.items():
        if name in ("site_web", "formulaire_ouvert", CONFIRMATION_EMAIL_FIELD):
            continue
        kept[name] = plain_text(value) if isinstance(value, str) else value
    return kept


def submit(page: ConsultationPage, form) -> ConsultationAnswer:
    """Store a valid form's answer: counted at once when anonymous, otherwise waiting for
    its address's confirmation (the e-mail is sent)."""
    if page.by_email:
        answer = ConsultationAnswer.objects.create(
            page=page,
            form_data=_stored(form.cleaned_data),
            status=Status.AWAITING_CONFIRMATION,
            email=form.cleaned_data[CONFIRMATION_EMAIL_FIELD],
            email_key=form.email_key(),
        )
        notifications.send_confirmation(page, answer)
        return answer
    return ConsultationAnswer.objects.create(
        page=page,
        form_data=_stored(form.cleaned_data),
        status=Status.COUNTED,
        counted_at=timezone.now(),
    )


@transaction.atomic
def confirm(answer: ConsultationAnswer) -> ConsultationAnswer:
    """Count an answer whose address was confirmed; that address's earlier counted answer
    to the same consultation is deleted (replaced). Confirming twice changes nothing."""
    # Lock every answer of this address to this consultation: two links of the same
    # mailbox opened at once are counted one after the other.
    mine = list(
        ConsultationAnswer.objects.select_for_update()
        .filter(page_id=answer.page_id, email_key=answer.email_key)
        .order_by("pk")
    )
    answer = next((row for row in mine if row.pk == answer.pk), answer)
    if answer.status == Status.COUNTED:
        return answer
    replaced = [row.pk for row in mine if row.status == Status.COUNTED]
    ConsultationAnswer.objects.filter(pk__in=replaced).delete()
    answer.status = Status.COUNTED
    answer.counted_at = timezone.now()
    answer.save(update_fields=["status", "counted_at"])
    return answer


def choose_free_answers(page: ConsultationPage, shown: Iterable[tuple[int, str]]) -> int:
    """Show exactly the free answers in ``shown`` ((answer id, question clean name)) with
    the consultation's results, and no other; return how many are shown."""
    free = set(free_question_names(page))
    wanted: dict[int, list[str]] = {}
    for answer_id, name in shown:
        if name in free:
            wanted.setdefault(answer_id, []).append(name)
    count = 0
    with transaction.atomic():
        for answer in ConsultationAnswer.objects.filter(page=page).counted():
            names = sorted(set(wanted.get(answer.pk, [])))
            if names != sorted(answer.shown_free_answers):
                answer.shown_free_answers = names
                answer.save(update_fields=["shown_free_answers"])
            count += len(names)
    return count


def free_question_names(page: ConsultationPage) -> list[str]:
    """Clean names of the consultation's free-text questions."""
    return [
        field.clean_name
        for field in page.get_form_fields()
        if field.field_type in ("singleline", "multiline")
    ]


def purge_unconfirmed(now: datetime.datetime | None = None) -> int:
    """Delete the answers left unconfirmed past their link's life; return how many."""
    now = now or timezone.now()
    too_old = now - datetime.timedelta(seconds=CONFIRMATION_MAX_AGE)
    deleted, _ = (
        ConsultationAnswer.objects.awaiting_confirmation().filter(submit_time__lt=too_old).delete()
    )
    return deleted
