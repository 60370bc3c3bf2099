"""Moderating residents' proposals in the admin: the proposal beside the actor, two buttons."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from portal.actors import proposals
from portal.actors.exports import description_text
from portal.actors.models import ActorProposal

# The fields shown side by side, proposed against current.
COMPARED = [
    ("name", pgettext_lazy("nom d'un acteur", "Nom")),
    ("kind", _("Type")),
    ("themes", _("Thèmes")),
    ("description", _("Présentation")),
    ("address", _("Adresse")),
    ("latitude", _("Latitude")),
    ("longitude", _("Longitude")),
    ("opening_hours", _("Horaires")),
    ("website", _("Site web")),
    ("public_email", _("E-mail public")),
    ("public_phone", _("Téléphone public")),
]


def user_can_moderate(user) -> bool:
    """Deciding on a proposal creates or changes an actor: the animators' right."""
    return user.has_perm("portal.change_actorproposal") and user.has_perm("portal.change_actor")


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note (facultative, pour l'équipe)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def comparison(proposal: ActorProposal) -> list[tuple[str, str, str, bool]]:
    """(label, proposed, current, changed) for each public field."""
    actor = proposal.actor
    rows = []
    for field, label in COMPARED:
        if field == "kind":
            proposed = proposal.get_kind_display()
        else:
            proposed = getattr(proposal, field)
        current = ""
        if actor is not None:
            if field == "themes":
                current = ", ".join(actor.theme_names())
            elif field == "description":
                current = description_text(actor)
            elif field == "kind":
                current = actor.get_kind_display()
            else:
                current = getattr(actor, field)
        proposed_text = "" if proposed is None else str(proposed)
        current_text = "" if current is None else str(current)
        rows.append((label, proposed_text, current_text, proposed_text != current_text))
    return rows


class ModerateProposalView(WagtailAdminTemplateMixin, FormView):
    """One proposal as it would appear, against the actor it corrects, and the decision."""

    template_name = "portal/actors/admin/moderate_proposal.html"
    form_class = DecisionForm
    header_icon = "group"
    viewset = None

    def dispatch(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not user_can_moderate(request.user):
            raise PermissionDenied
        self.proposal = get_object_or_404(ActorProposal.objects.select_related("actor"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self) -> str:
        return str(_("Modérer une proposition d'acteur"))

    def get_page_subtitle(self) -> str:
        return self.proposal.name

    def get_context_data(self, **kwargs: object) -> dict:
        return super().get_context_data(
            proposal=self.proposal,
            rows=comparison(self.proposal),
            pending=self.proposal.status == ActorProposal.Status.PENDING,
            list_url=reverse("portal_actorproposal:list"),
            **kwargs,
        )

    def form_valid(self, form: DecisionForm) -> HttpResponse:
        decision = self.request.POST.get("decision")
        note = form.cleaned_data["note"]
        try:
            if decision == "approve":
                name = self.proposal.actor.name if self.proposal.actor else self.proposal.name
                actor = proposals.approve(self.proposal, self.request.user, note)
                if actor is None:
                    messages.success(
                        self.request,
                        _("Fiche retirée : « %(name)s » n'est plus dans l'annuaire.")
                        % {"name": name},
                    )
                else:
                    messages.success(
                        self.request,
                        _("Proposition acceptée : « %(name)s » est dans l'annuaire.")
                        % {"name": actor.name},
                    )
            elif decision == "reject":
                proposals.reject(self.proposal, self.request.user, note)
                messages.success(self.request, _("Proposition refusée."))
            else:
                form.add_error(None, _("Choisissez « Accepter » ou « Refuser »."))
                return self.form_invalid(form)
        except proposals.ProposalError as error:
            form.add_error(None, error.messages[0])
            return self.form_invalid(form)
        return redirect(reverse("portal_actorproposal:list"))
