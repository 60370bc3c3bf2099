"""The consultations' admin: Wagtail's answers listing with a safe CSV export, and the
choice of free answers shown with the results.

Who may see a consultation's answers is Wagtail's rule for form submissions
(``get_forms_for_user``: whoever may edit the page), so an animator sees their portal's,
a resident contributor none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.contrib.forms.views import SubmissionsListView

from consultations import lifecycle
from consultations.models import ConsultationAnswer, ConsultationPage
from core.posted_ids import posted_id
from core.spreadsheets import spreadsheet_text


class AnswersListView(SubmissionsListView):
    """Wagtail's submissions listing; its CSV export writes formulas typed by visitors as
    text (Wagtail's own export does not: ``tests/consultations/test_export.py``)."""

    def preprocess_field_value(self, field: str, value: object, export_format: str) -> object:
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return spreadsheet_text(value)
        return value


def consultation_for(user, page_id: int) -> ConsultationPage:
    """The consultation ``page_id`` if ``user`` may see its answers; 404 or 403 otherwise."""
    page = ConsultationPage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    if not get_forms_for_user(user).filter(pk=page.pk).exists():
        raise PermissionDenied
    return page


@dataclass
class FreeAnswer:
    answer_id: int
    text: str
    shown: bool
    received: object

    @property
    def key(self) -> str:
        return str(self.answer_id)


class FreeAnswersView(WagtailAdminTemplateMixin, TemplateView):
    """Every counted free answer, question by question, with a box to show it publicly."""

    template_name = "consultations/admin/free_answers.html"
    header_icon = "form"
    page_title = _("Réponses libres à publier")

    def dispatch(self, request: HttpRequest, page_id: int) -> HttpResponse:
        self.consultation = consultation_for(request.user, page_id)
        return super().dispatch(request, page_id)

    def get_page_subtitle(self) -> str:
        return self.consultation.title

    def get_context_data(self, **kwargs: object) -> dict:
        page = self.consultation
        answers = list(ConsultationAnswer.objects.filter(page=page).counted().order_by("pk"))
        questions = []
        for field in page.get_form_fields():
            if field.clean_name not in lifecycle.free_question_names(page):
                continue
            rows = [
                FreeAnswer(
                    answer.pk,
                    str(answer.form_data.get(field.clean_name) or ""),
                    field.clean_name in answer.shown_free_answers,
                    answer.counted_at,
                )
                for answer in answers
                if str(answer.form_data.get(field.clean_name) or "").strip()
            ]
            questions.append((field, rows))
        return super().get_context_data(
            consultation=page,
            questions=questions,
            results_url=page.url + page.reverse_subpage("results") if page.url else "",
            answers_url=reverse("wagtailforms:list_submissions", args=[page.pk]),
            **kwargs,
        )

    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        chosen = []
        for value in request.POST.getlist("shown"):
            answer_id, _sep, name = value.partition(":")
            if (pk := posted_id(answer_id)) is not None:
                chosen.append((pk, name))
        count = lifecycle.choose_free_answers(self.consultation, chosen)
        messages.success(
            request,
            ngettext(
                "%(count)d réponse libre sera montrée avec les résultats.",
                "%(count)d réponses libres seront montrées avec les résultats.",
                count,
            )
            % {"count": count},
        )
        return redirect(request.path)
