"""The admin's moderation of reactions: one reaction (decide, reply, trust its address),
bulk actions on the queue, and switching reactions off or on for a page."""

from __future__ import annotations

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from reactions import lifecycle
from reactions.models import MAX_TEXT, Reaction, ReactionAddress
from reactions.pages import is_closed, takes_reactions_type

PERMISSION = "reactions.change_reaction"


def user_can_moderate(user: AbstractBaseUser) -> bool:
    """Moderating a reaction is changing it: the "Animateurs" group has that right."""
    return user.has_perm(PERMISSION)


def queue_url(**filters: str) -> str:
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return reverse("reactions_reaction:list") + (f"?{query}" if query else "")


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Réponse de la rédaction (affichée sous la réaction ; vide : pas de réponse)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ModerateView(WagtailAdminTemplateMixin, FormView):
    """A reaction as residents will read it, its reports, the decisions and the reply."""

    template_name = "reactions/admin/moderate.html"
    form_class = ReplyForm
    header_icon = "comment"

    def dispatch(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not user_can_moderate(request.user):
            raise PermissionDenied
        self.reaction = get_object_or_404(Reaction.objects.select_related("page"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self) -> str:
        return str(_("Modérer une réaction"))

    def get_page_subtitle(self) -> str:
        return str(self.reaction)

    def get_header_title(self) -> str:
        return self.get_page_title()

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": queue_url(), "label": _("Réactions")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self) -> dict:
        return {"reply": self.reaction.reply}

    def get_context_data(self, **kwargs: object) -> dict:
        reaction = self.reaction
        Status = Reaction.Status
        return super().get_context_data(
            reaction=reaction,
            address=ReactionAddress.objects.filter(email=reaction.email).first(),
            reports=reaction.reports.all()[:20],
            can_approve=reaction.status == Status.PENDING
            or (reaction.status == Status.PUBLISHED and reaction.held),
            can_reject=reaction.status in (Status.PENDING, Status.PUBLISHED),
            can_reply=reaction.status in (Status.PENDING, Status.PUBLISHED),
            list_url=queue_url(),
            page_url=reaction.page.url,
            **kwargs,
        )

    def form_valid(self, form: ReplyForm) -> HttpResponse:
        decision = self.request.POST.get("decision")
        user = self.request.user
        try:
            if decision == "approve":
                lifecycle.approve(self.reaction, user)
                messages.success(self.request, _("Réaction publiée."))
            elif decision == "reject":
                lifecycle.reject(self.reaction, user)
                messages.success(self.request, _("Réaction refusée : elle n'est plus affichée."))
            elif decision == "reply":
                lifecycle.reply(self.reaction, form.cleaned_data["reply"], user)
                messages.success(self.request, _("Réponse de la rédaction enregistrée."))
            elif decision in ("trust", "distrust"):
                lifecycle.trust(self.reaction.email, user, trusted=decision == "trust")
                messages.success(
                    self.request,
                    _("Adresse de confiance : ses prochaines réactions seront publiées aussitôt.")
                    if decision == "trust"
                    else _("Cette adresse n'est plus de confiance."),
                )
                return redirect(self.request.path)
            else:
                form.add_error(None, _("Choisissez une action."))
                return self.form_invalid(form)
        except lifecycle.TransitionError as error:
            form.add_error(None, error.messages[0])
            return self.form_invalid(form)
        return redirect(queue_url())


class ModerationBulkAction(SnippetBulkAction):
    """Decide several reactions at once (those in a state that allows it)."""

    models = [Reaction]
    template_name = "reactions/admin/confirm_bulk.html"

    def check_perm(self, reaction: Reaction) -> bool:
        return user_can_moderate(self.request.user)

    @classmethod
    def execute_action(cls, objects: list[Reaction], **kwargs: object) -> tuple[int, int]:
        done = 0
        for reaction in objects:
            try:
                cls.decide(reaction, kwargs["user"])
            except lifecycle.TransitionError:
                continue  # already decided by someone else
            done += 1
        return done, 0

    def get_execution_context(self) -> dict:
        return {"user": self.request.user}


class ApproveBulkAction(ModerationBulkAction):
    display_name = _("Publier")
    action_type = "approve_reactions"
    aria_label = _("Publier les réactions choisies")
    action_priority = 10

    @staticmethod
    def decide(reaction: Reaction, user: AbstractBaseUser) -> None:
        lifecycle.approve(reaction, user)

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d réaction publiée.", "%(count)d réactions publiées.", num_parent_objects
        ) % {"count": num_parent_objects}


class RejectBulkAction(ModerationBulkAction):
    display_name = _("Refuser")
    action_type = "reject_reactions"
    aria_label = _("Refuser les réactions choisies")
    action_priority = 20
    classes = {"serious"}

    @staticmethod
    def decide(reaction: Reaction, user: AbstractBaseUser) -> None:
        lifecycle.reject(reaction, user)

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d réaction refusée.", "%(count)d réactions refusées.", num_parent_objects
        ) % {"count": num_parent_objects}


class TrustBulkAction(ModerationBulkAction):
    display_name = _("Faire confiance aux adresses")
    action_type = "trust_reaction_addresses"
    aria_label = _("Faire confiance aux adresses des réactions choisies")
    action_priority = 30

    @staticmethod
    def decide(reaction: Reaction, user: AbstractBaseUser) -> None:
        lifecycle.trust(reaction.email, user)

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "Adresse de %(count)d réaction désormais de confiance.",
            "Adresses de %(count)d réactions désormais de confiance.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class PageReactionsView(WagtailAdminTemplateMixin, TemplateView):
    """Switch reactions off (or back on) for one page: a confirmation, then a POST."""

    template_name = "reactions/admin/page_switch.html"
    header_icon = "comment"

    def dispatch(self, request: HttpRequest, page_id: int) -> HttpResponse:
        if not user_can_moderate(request.user):
            raise PermissionDenied
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not takes_reactions_type(type(self.page)):
            raise PermissionDenied
        # Only the pages this user may edit: the right to moderate is not the right to
        # change every page's settings.
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_title(self) -> str:
        return str(_("Réactions de la page"))

    def get_page_subtitle(self) -> str:
        return self.page.title

    def get_header_title(self) -> str:
        return f"{self.get_page_title()} : {self.page.title}"

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
                "label": self.page.title,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: object) -> dict:
        return super().get_context_data(
            page=self.page,
            closed=is_closed(self.page),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
            list_url=queue_url(page=str(self.page.pk)),
            **kwargs,
        )

    def post(self, request: HttpRequest, page_id: int) -> HttpResponse:
        if request.POST.get("open") == "1":
            lifecycle.reopen(self.page)
            messages.success(request, _("Les réactions sont ouvertes sur cette page."))
        else:
            lifecycle.close(self.page, request.user)
            messages.success(request, _("Les réactions sont fermées sur cette page."))
        return redirect(request.path)
