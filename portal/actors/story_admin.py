"""Moderating residents' stories in the admin: the queue, and one story with its decision.

The animator reads the story, places it on the map when its author could only name the
place (the coordinates are asked here), then publishes or declines it; a published story
can be picked for an article (a draft quoting it, ``story_lifecycle.pick_for_article``),
for a workshop or for an issue of the journal (added in a draft revision of either).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from portal.actors import story_lifecycle
from portal.actors.stories import MapStoryPage, waiting_stories
from portal.news.journal import JournalIssuePage
from portal.workshops.models import WorkshopPage

PERMISSION = "portal.change_actor"
# How many workshops and journal issues the moderation screen offers to pick for.
PICK_CHOICES = 30


def user_can_moderate(user) -> bool:
    """Deciding on a story is keeping the map: the animators' right over the actors."""
    return user.has_perm(PERMISSION)


class StoryAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "site"

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("portal_story_queue"), "label": _("Récits de la carte")},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not user_can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StoryQueueView(StoryAdminMixin, TemplateView):
    """The stories waiting for a decision (oldest first), then the latest decided ones."""

    template_name = "portal/actors/admin/story_queue.html"
    page_title = _("Récits de la carte")

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: object) -> dict:
        decided = MapStoryPage.objects.filter(
            status__in=[MapStoryPage.Status.PUBLISHED, MapStoryPage.Status.DECLINED]
        ).order_by("-received_at")[:50]
        return super().get_context_data(waiting=waiting_stories(), decided=decided, **kwargs)


class DecisionForm(forms.Form):
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=6,
        localize=True,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=6,
        localize=True,
    )
    note = forms.CharField(
        label=_("Note (facultative, pour l'équipe)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ModerateStoryView(StoryAdminMixin, FormView):
    """One story as visitors would read it, where it is, and the decision."""

    template_name = "portal/actors/admin/moderate_story.html"
    form_class = DecisionForm

    def dispatch(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.story = get_object_or_404(MapStoryPage, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self) -> str:
        return str(_("Modérer un récit de la carte"))

    def get_page_subtitle(self) -> str:
        return self.story.title

    def get_initial(self) -> dict:
        return {"latitude": self.story.latitude, "longitude": self.story.longitude}

    def get_context_data(self, **kwargs: object) -> dict:
        published = self.story.status == MapStoryPage.Status.PUBLISHED
        return super().get_context_data(
            story=self.story,
            waiting=self.story.status == MapStoryPage.Status.PENDING,
            queue_url=reverse("portal_story_queue"),
            # The pickers' choices: the newest workshops and issues first.
            workshops=WorkshopPage.objects.order_by("-date", "-pk")[:PICK_CHOICES]
            if published
            else [],
            issues=JournalIssuePage.objects.order_by("-number", "-pk")[:PICK_CHOICES]
            if published
            else [],
            **kwargs,
        )

    def _pick_for(self, decision: str) -> HttpResponse:
        """Add the story to the chosen workshop or issue, as a draft; then its editor."""
        if decision == "workshop":
            page = story_lifecycle.pick_for_workshop(
                self.story, self.request.POST.get("workshop"), self.request.user
            )
            done = _(
                "Récit ajouté à l'atelier dans un brouillon : publiez l'atelier pour le montrer."
            )
        else:
            page = story_lifecycle.pick_for_journal(
                self.story, self.request.POST.get("issue"), self.request.user
            )
            done = _(
                "Récit ajouté au numéro dans un brouillon : publiez le numéro pour le montrer."
            )
        messages.success(self.request, done)
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    def form_valid(self, form: DecisionForm) -> HttpResponse:
        decision = self.request.POST.get("decision")
        user = self.request.user
        try:
            if decision == "approve":
                latitude, longitude = form.cleaned_data["latitude"], form.cleaned_data["longitude"]
                if (latitude is None) != (longitude is None):
                    form.add_error(
                        None, _("Donnez la latitude et la longitude, ou aucune des deux.")
                    )
                    return self.form_invalid(form)
                if latitude is not None:
                    self.story.latitude, self.story.longitude = latitude, longitude
                    self.story.save(update_fields=["latitude", "longitude"])
                story_lifecycle.approve(self.story, user)
                messages.success(self.request, _("Récit publié sur la carte."))
            elif decision == "decline":
                story_lifecycle.decline(self.story, user, form.cleaned_data["note"])
                messages.success(self.request, _("Récit refusé : il n'est pas publié."))
            elif decision in ("workshop", "journal"):
                return self._pick_for(decision)
            elif decision == "pick":
                article = story_lifecycle.pick_for_article(self.story, user)
                messages.success(
                    self.request,
                    _("Brouillon d'article créé à partir du récit : complétez-le puis publiez-le."),
                )
                return redirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))
            else:
                form.add_error(None, _("Choisissez une action."))
                return self.form_invalid(form)
        except story_lifecycle.StoryError as error:
            form.add_error(None, error.messages[0])
            return self.form_invalid(form)
        return redirect(reverse("portal_story_queue"))
