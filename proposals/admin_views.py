"""The admin's views of a proposal: read it, accept it (a draft page, opened in the editor),
decline it or answer it with a message; and the bulk "decline" of the queue."""

from __future__ import annotations

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from core.views import make_harmless, serve_upload
from proposals import lifecycle
from proposals.drafts import NoSectionError
from proposals.models import Proposal, ProposalPhoto

MODERATE_PERMISSION = "proposals.change_proposal"


def user_can_moderate(user: AbstractBaseUser) -> bool:
    """Deciding on a proposal is changing it: the "Animateurs" group has that right."""
    return user.has_perm(MODERATE_PERMISSION)


def proposal_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Photo ``pk`` of a proposal, for whoever may moderate proposals on this portal.

    The file is private (``ProposalPhoto``): this view is its only door. It reads this
    portal's table and storage only, so another portal's photo is a 404 here."""
    if not user_can_moderate(request.user):
        raise PermissionDenied
    photo = get_object_or_404(ProposalPhoto, pk=pk)
    if not photo.image:
        raise Http404
    response = make_harmless(serve_upload(request, photo.image.name), photo.image.name)
    # Never kept by a shared cache, nor by the browser after the animator leaves.
    response["Cache-Control"] = "private, no-store"
    return response


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message à la personne qui propose (pour décliner ou répondre)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Envoyé par e-mail et gardé dans l'historique de la proposition."),
    )


class DecideView(WagtailAdminTemplateMixin, FormView):
    """A proposal as its author sent it, its history, and the three decisions."""

    template_name = "proposals/admin/decide.html"
    form_class = DecisionForm
    header_icon = "help"
    viewset = None

    def dispatch(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not user_can_moderate(request.user):
            raise PermissionDenied
        self.proposal = get_object_or_404(Proposal, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self) -> str:
        return str(_("Traiter une proposition"))

    def get_page_subtitle(self) -> str:
        return self.proposal.title

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("proposals_proposal:list"), "label": _("Propositions")},
            {"url": "", "label": self.proposal.title},
        ]

    def get_context_data(self, **kwargs: object) -> dict:
        proposal = self.proposal
        waiting = proposal.status == Proposal.Status.WAITING
        return super().get_context_data(
            proposal=proposal,
            photos=proposal.photos.all(),
            history=proposal.history.select_related("user"),
            waiting=waiting,
            page_edit_url=(
                reverse("wagtailadmin_pages:edit", args=[proposal.page_id])
                if proposal.page_id
                else ""
            ),
            list_url=reverse("proposals_proposal:list"),
            **kwargs,
        )

    def form_valid(self, form: DecisionForm) -> HttpResponse:
        decision = self.request.POST.get("decision")
        message = form.cleaned_data["message"]
        user = self.request.user
        try:
            if decision == "accept":
                page = lifecycle.accept(self.proposal, user)
                messages.success(
                    self.request,
                    _("Proposition acceptée : voici le brouillon, à relire puis publier."),
                )
                return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            if decision == "decline":
                lifecycle.decline(self.proposal, user, message)
                messages.success(self.request, _("Proposition déclinée ; le message est envoyé."))
            elif decision == "answer":
                lifecycle.answer(self.proposal, user, message)
                messages.success(
                    self.request, _("Réponse envoyée ; la proposition reste en attente.")
                )
                return redirect(reverse("proposals_proposal:decide", args=[self.proposal.pk]))
            else:
                form.add_error(None, _("Choisissez « Accepter », « Décliner » ou « Répondre »."))
                return self.form_invalid(form)
        except (lifecycle.TransitionError, NoSectionError) as error:
            form.add_error("message" if decision != "accept" else None, error.messages[0])
            return self.form_invalid(form)
        return redirect(reverse("proposals_proposal:list"))


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Message envoyé à chaque personne"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineBulkAction(SnippetBulkAction):
    """Decline several waiting proposals at once (spam, duplicates), with one message."""

    models = [Proposal]
    display_name = _("Décliner")
    action_type = "decline_proposals"
    aria_label = _("Décliner les propositions choisies")
    action_priority = 20
    form_class = DeclineForm
    classes = {"serious"}
    template_name = "proposals/admin/confirm_bulk_decline.html"

    def check_perm(self, proposal: Proposal) -> bool:
        return user_can_moderate(self.request.user)

    @classmethod
    def execute_action(cls, objects: list[Proposal], **kwargs: object) -> tuple[int, int]:
        done = 0
        for proposal in objects:
            try:
                lifecycle.decline(proposal, kwargs["user"], kwargs["message"])
            except lifecycle.TransitionError:
                continue  # decided meanwhile, or not waiting
            done += 1
        return done, 0

    def get_execution_context(self) -> dict:
        return {"user": self.request.user, **self.cleaned_form.cleaned_data}

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d proposition déclinée.",
            "%(count)d propositions déclinées.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
