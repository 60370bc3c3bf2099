"""The public sub-views of the project seeds section (routes in ``portal/workshops/section.py``)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.routable import render_route
from portal.listing import paginate
from portal.workshops.forms import JoinSeedForm
from portal.workshops.group_models import SeedUpdate
from portal.workshops.models import ProjectSeed, WorkshopPage
from portal.workshops.seeds import ask_to_join

if TYPE_CHECKING:
    from portal.workshops.section import ProjectSeedIndexPage

STATUS_PARAM = "etat"


_render = partial(render_route, "portal/workshops")


def public_seeds(page: ProjectSeedIndexPage):
    """Seeds of this section's live workshops, newest workshop first."""
    workshops = WorkshopPage.objects.live().public().child_of(page)
    return (
        ProjectSeed.objects.public()
        .filter(workshop__in=workshops)
        .select_related("workshop")
        .prefetch_related("actors")
        .order_by("-workshop__date", "workshop_id", "sort_order", "pk")
    )


def listing(page: ProjectSeedIndexPage, request: HttpRequest) -> TemplateResponse:
    """The seeds residents can join (by status), and the workshops they were born in."""
    seeds = public_seeds(page)
    status = request.GET.get(STATUS_PARAM, "")
    if status in ProjectSeed.Status.values:
        seeds = seeds.filter(status=status)
    else:
        status = ""
    shown = paginate(request, seeds)
    newest = latest_updates_by_seed(page)
    for seed in shown:  # the page's seeds become a list: the attribute stays for the template
        seed.latest_update = newest.get(seed.pk)
    return _render(
        page,
        request,
        "project_seed_index_page",
        seeds=shown,
        statuses=ProjectSeed.Status.choices,
        current_status=status,
        filter_query=f"{STATUS_PARAM}={status}" if status else "",
        workshops=WorkshopPage.objects.live().public().child_of(page).order_by("-date")[:20],
    )


def latest_updates_by_seed(page: ProjectSeedIndexPage) -> dict[int, SeedUpdate]:
    """Each seed's newest approved update, by seed id (one query for the whole listing)."""
    updates = (
        SeedUpdate.objects.public()
        .filter(seed__workshop__in=public_workshops(page))
        .order_by("seed_id", "-published_at", "-pk")
        .distinct("seed_id")  # PostgreSQL's DISTINCT ON: the newest of each seed
    )
    return {update.seed_id: update for update in updates}


def public_workshops(page: ProjectSeedIndexPage):
    """The section's live public workshops."""
    return WorkshopPage.objects.live().public().child_of(page)


def join(page: ProjectSeedIndexPage, request: HttpRequest, pk: int) -> HttpResponse:
    """ "I want to join": the form; the address confirms by e-mail, then the request is
    relayed to the action group. The visitor reads the same thing whether or not the address
    already belongs to the group."""
    seed = public_seeds(page).filter(pk=pk).first()
    if seed is None:
        raise Http404(_("Cette graine de projet n'existe pas ou n'est plus en ligne."))
    if request.method == "POST":
        form = JoinSeedForm(request.POST, request=request)
        if form.is_valid():
            data = form.cleaned_data
            if ask_to_join(seed, data["name"], data["email"], data["message"], data["consent"]):
                messages.success(
                    request,
                    _(
                        "Merci ! Si cette adresse n'est pas déjà inscrite au groupe « %(seed)s », "
                        "un lien pour confirmer votre demande vient d'y être envoyé : ouvrez-le "
                        "dans les sept jours. Votre demande parviendra au groupe une fois "
                        "confirmée."
                    )
                    % {"seed": seed.title},
                )
            else:
                messages.error(
                    request,
                    _("Votre demande n'a pas pu être transmise : écrivez à l'équipe du portail."),
                )
            _site_id, _root_url, page_path = page.get_url_parts()
            return redirect(page_path)
    else:
        form = JoinSeedForm(request=request)
    status = 400 if form.is_bound else 200
    return _render(page, request, "seed_join_form", status=status, seed=seed, form=form)
