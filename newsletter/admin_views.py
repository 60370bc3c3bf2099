"""The animator's sending page for an issue: send a test to themself, send now or later."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateTimeInput

from newsletter import sending
from newsletter.models import Dispatch, NewsletterPage


def user_can_send(user, page: NewsletterPage) -> bool:
    """Sending an issue is publishing it to subscribers' mailboxes: it takes publish rights
    (wagtail-newsletter's rule too)."""
    return page.permissions_for_user(user).can_publish()


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Date et heure d'envoi"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_("Laissez vide pour envoyer dès maintenant."),
    )

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when and when < timezone.now() - datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("Choisissez une date à venir."))
        return when


class SendView(WagtailAdminTemplateMixin, FormView):
    """Where an issue is tested, sent or scheduled, and where its sending is followed."""

    template_name = "newsletter/admin/send.html"
    form_class = ScheduleForm
    header_icon = "mail"

    def dispatch(self, request: HttpRequest, page_id: int) -> HttpResponse:
        self.page = get_object_or_404(NewsletterPage, pk=page_id)
        if not user_can_send(request.user, self.page):
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_title(self) -> str:
        return str(_("Envoyer l'infolettre"))

    def get_page_subtitle(self) -> str:
        return self.page.title

    def get_context_data(self, **kwargs: object) -> dict:
        record = Dispatch.objects.filter(page=self.page).first()
        return super().get_context_data(
            page=self.page,
            record=record,
            counts=record.counts() if record else None,
            recipients=sending.recipients(self.page).count(),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        action = request.POST.get("action")
        here = reverse("newsletter_send", args=[self.page.pk])
        if action == "test":
            if not request.user.email:
                messages.error(request, _("Votre compte n'a pas d'adresse e-mail."))
                return redirect(here)
            draft = self.page.get_latest_revision_as_object()
            sending.send_test(draft, request.user.email)
            messages.success(
                request,
                _("Un test est parti à %(email)s.") % {"email": request.user.email},
            )
            return redirect(here)
        if action == "cancel":
            record = Dispatch.objects.filter(page=self.page).first()
            try:
                if record:
                    sending.cancel(record)
                    messages.success(request, _("L'envoi programmé est annulé."))
            except sending.SendingError as error:
                messages.error(request, error.messages[0])
            return redirect(here)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ScheduleForm) -> HttpResponse:
        when = form.cleaned_data["when"]
        try:
            sending.schedule(self.page, self.request.user, when)
        except sending.SendingError as error:
            form.add_error(None, error.messages[0])
            return self.form_invalid(form)
        if when and when > timezone.now():
            text = _("Envoi programmé le %(when)s.") % {
                "when": timezone.localtime(when).strftime("%d/%m/%Y %H:%M")
            }
        else:
            text = _("L'envoi commence : il part au prochain passage de l'envoi automatique.")
        messages.success(self.request, text)
        return redirect(reverse("newsletter_send", args=[self.page.pk]))
