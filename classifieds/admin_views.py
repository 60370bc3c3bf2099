"""The admin's moderation views: one ad (approve or reject in one click), and bulk actions."""

from __future__ import annotations

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from classifieds import lifecycle
from classifieds.models import Classified


def user_can_moderate(user: AbstractBaseUser) -> bool:
    """Moderating an ad is changing it: the "Animateurs" group has that right."""
    return user.has_perm("classifieds.change_classified")


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (obligatoire pour refuser, envoyé à l'auteur·rice)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerateView(WagtailAdminTemplateMixin, FormView):
    """An ad as residents will read it, its history and reports, and the two buttons."""

    template_name = "classifieds/admin/moderate.html"
    form_class = ModerationForm
    header_icon = "tasks"
    viewset = None

    def dispatch(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not user_can_moderate(request.user):
            raise PermissionDenied
        self.classified = get_object_or_404(Classified.objects.select_related("category"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self) -> str:
        return str(_("Modérer une annonce"))

    def get_page_subtitle(self) -> str:
        return self.classified.title

    def get_breadcrumbs_items(self) -> list[dict]:
        """Home > Annonces > Modérer une annonce (without them the header read "Accueil")."""
        return [
            *self.breadcrumbs_items,
            {"url": reverse("classifieds_classified:list"), "label": _("Annonces")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: object) -> dict:
        classified = self.classified
        return super().get_context_data(
            classified=classified,
            photos=classified.photos.all(),
            history=classified.status_changes.select_related("user"),
            reports=classified.reports.all()[:20],
            can_approve=classified.status == Classified.Status.AWAITING_MODERATION,
            can_reject=classified.status in lifecycle.REJECTABLE,
            list_url=reverse("classifieds_classified:list"),
            **kwargs,
        )

    def form_valid(self, form: ModerationForm) -> HttpResponse:
        decision = self.request.POST.get("decision")
        reason = form.cleaned_data["reason"]
        try:
            if decision == "approve":
                lifecycle.approve(self.classified, self.request.user, reason)
                messages.success(self.request, _("Annonce publiée ; l'auteur·rice est prévenu·e."))
            elif decision == "reject":
                lifecycle.reject(self.classified, self.request.user, reason)
                messages.success(self.request, _("Annonce refusée ; le motif a été envoyé."))
            else:
                form.add_error(None, _("Choisissez « Publier » ou « Refuser »."))
                return self.form_invalid(form)
        except lifecycle.TransitionError as error:
            form.add_error("reason" if decision == "reject" else None, error.messages[0])
            return self.form_invalid(form)
        # Back to the queue: the next ad awaiting moderation is at the top.
        return redirect(reverse("classifieds_classified:list"))


class ModerationBulkAction(SnippetBulkAction):
    """Approve or reject several ads at once (those in a state that allows it)."""

    models = [Classified]
    template_name = "classifieds/admin/confirm_bulk_moderation.html"

    def check_perm(self, classified: Classified) -> bool:
        return user_can_moderate(self.request.user)

    @classmethod
    def execute_action(cls, objects: list[Classified], **kwargs: object) -> tuple[int, int]:
        done = 0
        for classified in objects:
            try:
                cls.moderate(classified, kwargs["user"], kwargs.get("reason", ""))
            except lifecycle.TransitionError:
                continue  # already moderated by someone else, or not awaiting any more
            done += 1
        return done, 0

    def get_execution_context(self) -> dict:
        return {"user": self.request.user, **self.cleaned_form.cleaned_data}


class ApproveBulkAction(ModerationBulkAction):
    display_name = _("Publier")
    action_type = "approve_classifieds"
    aria_label = _("Publier les annonces choisies")
    action_priority = 10

    @staticmethod
    def moderate(classified: Classified, user: AbstractBaseUser, reason: str) -> None:
        lifecycle.approve(classified, user, reason)

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d annonce publiée.", "%(count)d annonces publiées.", num_parent_objects
        ) % {"count": num_parent_objects}


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (envoyé à chaque auteur·rice)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectBulkAction(ModerationBulkAction):
    display_name = _("Refuser")
    action_type = "reject_classifieds"
    aria_label = _("Refuser les annonces choisies")
    action_priority = 20
    form_class = RejectionForm
    classes = {"serious"}

    @staticmethod
    def moderate(classified: Classified, user: AbstractBaseUser, reason: str) -> None:
        lifecycle.reject(classified, user, reason)

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d annonce refusée.", "%(count)d annonces refusées.", num_parent_objects
        ) % {"count": num_parent_objects}
