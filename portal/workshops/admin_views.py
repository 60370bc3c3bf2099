"""The animator's side of the workshop cycle in the admin: a workshop's follow-up screen
(questionnaire, address book, groups' links) and the queue of the groups' news."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core.posted_ids import posted_id
from portal.workshops import cycle, seeds
from portal.workshops.group_models import SeedMember, SeedUpdate
from portal.workshops.models import ProjectSeed, WorkshopPage

UPDATES_PERMISSION = "portal.change_seedupdate"


def can_follow_workshops(user: AbstractBaseUser) -> bool:
    """Following up workshops (sending links, moderating news) is the animators' work."""
    return user.has_perm(UPDATES_PERMISSION)


class WorkshopFollowUpView(WagtailAdminTemplateMixin, TemplateView):
    """A workshop's follow-up: send the questionnaire to the actors of the theme and
    count its answers, send the address book to the listed participants, send each
    group the link to its page."""

    template_name = "portal/workshops/admin/follow_up.html"
    header_icon = "group"

    def dispatch(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not can_follow_workshops(request.user):
            raise PermissionDenied
        self.workshop = get_object_or_404(WorkshopPage, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self) -> str:
        return str(_("Suivi de l'atelier"))

    def get_page_subtitle(self) -> str:
        return self.workshop.title

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_header_title()}]

    def get_context_data(self, **kwargs: object) -> dict:
        workshop = self.workshop
        actors = list(cycle.theme_actors(workshop))
        return super().get_context_data(
            workshop=workshop,
            actors=actors,
            reachable=[actor for actor in actors if actor.public_email],
            answers=cycle.questionnaire_answers(workshop),
            attendees=list(workshop.attendees.all()),
            listed=[a for a in cycle.listed_attendees(workshop) if a.email],
            # Only confirmed members count: anyone may type someone else's address.
            seeds=list(
                workshop.seeds.prefetch_related(
                    Prefetch("members", queryset=SeedMember.objects.confirmed())
                )
            ),
            edit_url=reverse("wagtailadmin_pages:edit", args=[workshop.pk]),
            **kwargs,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        if action == "questionnaire":
            if self.workshop.questionnaire is None or not self.workshop.questionnaire.live:
                messages.error(request, _("Choisissez d'abord un questionnaire publié."))
            else:
                sent, left_out = cycle.send_questionnaire(self.workshop)
                messages.success(
                    request,
                    ngettext(
                        "Questionnaire envoyé à %(count)d acteur.",
                        "Questionnaire envoyé à %(count)d acteurs.",
                        sent,
                    )
                    % {"count": sent},
                )
                if left_out:
                    messages.warning(
                        request,
                        _("Sans adresse e-mail, donc non contactés : %(names)s.")
                        % {"names": ", ".join(actor.name for actor in left_out)},
                    )
        elif action == "address_book":
            sent = cycle.send_address_books(self.workshop)
            messages.success(
                request,
                ngettext(
                    "Carnet d'adresses envoyé à %(count)d participant.",
                    "Carnet d'adresses envoyé à %(count)d participants.",
                    sent,
                )
                % {"count": sent},
            )
        elif action == "group_link":
            seed_id = request.POST.get("seed", "")
            seed = ProjectSeed.objects.filter(
                workshop=self.workshop, pk=posted_id(seed_id) or 0
            ).first()
            if seed is not None and seeds.send_group_link(seed):
                messages.success(request, _("Lien envoyé au groupe « %(seed)s ».") % {"seed": seed})
            else:
                messages.error(request, _("Ce groupe n'a pas d'adresse e-mail."))
        return redirect(request.path)


class SeedUpdatesView(WagtailAdminTemplateMixin, TemplateView):
    """The groups' news waiting for a decision (oldest first), and the latest decided."""

    template_name = "portal/workshops/admin/seed_updates.html"
    header_icon = "doc-full"
    page_title = _("Nouvelles des groupes d'action")

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not can_follow_workshops(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: object) -> dict:
        updates = SeedUpdate.objects.select_related("seed", "seed__workshop")
        return super().get_context_data(
            pending=updates.pending().order_by("created_at"),
            decided=updates.exclude(status=SeedUpdate.Status.PENDING).order_by("-created_at")[:20],
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        pk = request.POST.get("update", "")
        update = SeedUpdate.objects.filter(pk=posted_id(pk) or 0).first()
        decision = request.POST.get("decision")
        if update is None or decision not in ("approve", "reject"):
            messages.error(request, _("Cette nouvelle n'existe plus."))
            return redirect(request.path)
        decide = seeds.approve_update if decision == "approve" else seeds.reject_update
        try:
            decide(update, request.user.get_username())
        except seeds.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Nouvelle publiée.") if decision == "approve" else _("Nouvelle refusée."),
            )
        return redirect(request.path)
