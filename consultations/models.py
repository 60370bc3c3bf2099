"""Consultations and questionnaires: a section, the form pages built with Wagtail's form
builder, their questions and the answers residents give."""

from __future__ import annotations

import datetime

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.search import index

from core.pages import PortalPage, SectionPage

RICH_TEXT = ["bold", "italic", "link", "ol", "ul"]
SCALE = "scale"
# Wagtail's field types, less "hidden" (an animator has no use for it here), plus a scale.
FIELD_TYPES = (
    *((value, label) for value, label in FORM_FIELD_CHOICES if value != "hidden"),
    (SCALE, _("Échelle de 1 à 5")),
)


class ConsultationsPage(SectionPage):
    """The "Consultations" section: the portal's open consultations, then the closed ones."""

    subpage_types = ["consultations.ConsultationPage"]

    class Meta:
        verbose_name = "rubrique Consultations"

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        consultations = (
            ConsultationPage.objects.child_of(self)
            .live()
            .public()
            .filter(kind=ConsultationPage.Kind.CONSULTATION)
            .order_by("-first_published_at")
        )
        now = timezone.now()
        context["open_consultations"] = [c for c in consultations if c.is_open(now)]
        context["closed_consultations"] = [c for c in consultations if not c.is_open(now)]
        return context


class ConsultationPage(RoutablePageMixin, AbstractForm, PortalPage):
    """A consultation of the neighbourhood, or a questionnaire sent to local actors before
    a workshop: questions built by the animator, answers counted, results published."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation du quartier")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire avant un atelier")

    class AnswerMode(models.TextChoices):
        EMAIL = "email", _("Une réponse par adresse e-mail confirmée")
        ANONYMOUS = "anonymous", _("Anonyme (protections contre les abus)")

    kind = models.CharField(
        _("usage"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.CONSULTATION,
        help_text=_(
            "Un questionnaire d'atelier n'est pas listé dans la rubrique : "
            "on l'envoie aux acteurs par son lien, ou l'atelier y renvoie."
        ),
    )
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT)
    closes_at = models.DateTimeField(
        _("date de clôture"),
        null=True,
        blank=True,
        help_text=_("Après cette date, le formulaire laisse place à un message de clôture."),
    )
    answer_mode = models.CharField(
        _("réponses"),
        max_length=20,
        choices=AnswerMode.choices,
        default=AnswerMode.EMAIL,
        help_text=_(
            "Par e-mail : chaque réponse compte une fois l'adresse confirmée ; une nouvelle "
            "réponse confirmée de la même adresse remplace la précédente."
        ),
    )
    thank_you_text = RichTextField(_("message de remerciement"), blank=True, features=RICH_TEXT)
    results_published = models.BooleanField(
        _("résultats publiés"),
        default=False,
        help_text=_("Les résultats (réponses confirmées) sont visibles de tous sur leur page."),
    )
    results_intro = RichTextField(_("présentation des résultats"), blank=True, features=RICH_TEXT)

    content_panels = [
        *PortalPage.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("answer_mode")]),
                FieldPanel("closes_at"),
            ],
            heading=_("Réponses"),
        ),
        MultiFieldPanel(
            [FieldPanel("results_published"), FieldPanel("results_intro")],
            heading=_("Résultats"),
        ),
    ]
    search_fields = [*PortalPage.search_fields, index.SearchField("intro")]

    parent_page_types = ["consultations.ConsultationsPage"]
    subpage_types: list[str] = []
    template = "consultations/consultation_page.html"
    landing_page_template = "consultations/thanks.html"

    class Meta:
        verbose_name = _("consultation ou questionnaire")
        verbose_name_plural = _("consultations et questionnaires")

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Whether answers are still taken (no closing date, or not yet reached)."""
        return self.closes_at is None or (now or timezone.now()) < self.closes_at

    @property
    def by_email(self) -> bool:
        return self.answer_mode == self.AnswerMode.EMAIL

    # --- Wagtail's form builder ------------------------------------------------------

    def get_form_class(self) -> type:
        from consultations.form_builder import ConsultationFormBuilder

        return ConsultationFormBuilder(self.get_form_fields()).get_form_class(self)

    def get_submission_class(self) -> type[ConsultationAnswer]:
        return ConsultationAnswer

    def get_submissions_list_view_class(self) -> type:
        from consultations.admin_views import AnswersListView

        return AnswersListView

    def get_data_fields(self) -> list[tuple[str, str]]:
        """The submissions' columns in the admin and its exports: Wagtail's, plus whether
        an answer counts (and its address, when answers are by e-mail)."""
        fields = [*super().get_data_fields(), ("status", _("État"))]
        if self.by_email:
            fields.append(("email", _("Adresse e-mail")))
        return fields

    # --- Routes: thin doors to consultations/views.py, imported on call ----------------

    @path("", name="form")
    def form_route(self, request: HttpRequest) -> HttpResponse:
        from consultations import views

        return views.answer(self, request)

    @path("merci/", name="thanks")
    def thanks_route(self, request: HttpRequest) -> HttpResponse:
        from consultations import views

        return views.thanks(self, request)

    @path("a-confirmer/", name="check_email")
    def check_email_route(self, request: HttpRequest) -> HttpResponse:
        from consultations import views

        return views.check_email(self, request)

    @re_path(r"^confirmer/(?P<token>[A-Za-z0-9_-]{1,300})/$", name="confirm")
    def confirm_route(self, request: HttpRequest, token: str) -> HttpResponse:
        from consultations import views

        return views.confirm(self, request, token)

    @path("resultats/", name="results")
    def results_route(self, request: HttpRequest) -> HttpResponse:
        from consultations import views

        return views.results(self, request)


class ConsultationField(AbstractFormField):
    """One question of a consultation."""

    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(_("type de question"), max_length=16, choices=FIELD_TYPES)
    field_type.required_on_save = True

    class Meta(AbstractFormField.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")


class AnswerQuerySet(models.QuerySet):
    def counted(self) -> AnswerQuerySet:
        """The answers that count: confirmed by e-mail, or given anonymously."""
        return self.filter(status=ConsultationAnswer.Status.COUNTED)

    def awaiting_confirmation(self) -> AnswerQuerySet:
        return self.filter(status=ConsultationAnswer.Status.AWAITING_CONFIRMATION)


class ConsultationAnswer(AbstractFormSubmission):
    """One person's answers to a consultation (Wagtail's form submission, with its state)."""

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting", _("en attente de confirmation")
        COUNTED = "counted", _("comptée")

    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.COUNTED, db_index=True
    )
    # The address as typed (it gets the e-mail), and its normalised spelling (one answer
    # per mailbox: Alice+1@X.org and alice@x.org are one person).
    email = models.EmailField(_("adresse e-mail"), blank=True)
    email_key = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    counted_at = models.DateTimeField(_("comptée le"), null=True, blank=True, db_index=True)
    # Clean names of the free-text questions whose answer the animator shows in the results.
    shown_free_answers = models.JSONField(default=list, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse à une consultation")
        verbose_name_plural = _("réponses aux consultations")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "email_key"],
                condition=models.Q(status="counted") & ~models.Q(email_key=""),
                name="consultations_one_counted_answer_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id} · {self.submit_time:%Y-%m-%d %H:%M}"

    def get_data(self) -> dict:
        return {
            **super().get_data(),
            "status": self.get_status_display(),
            "email": self.email,
        }
