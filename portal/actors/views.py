"""The public sub-views of the actors' directory (routes in ``portal/actors/section.py``).

The listing is a complete page without JavaScript; the map is drawn over the same
selection by a static script, from GeoJSON embedded as data. A bad filter, page number
or id gives a page (or a 404), never a 500.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.routable import render_route
from portal.actors import proposals
from portal.actors.directory import actor_paths, select_actors, subpage_path
from portal.actors.exports import to_geojson, to_geojson_data
from portal.actors.forms import ActorProposalForm, DirectoryFilterForm
from portal.actors.models import Actor
from portal.agenda.models import EventPage
from portal.listing import paginate
from portal.news.models import ArticlePage

if TYPE_CHECKING:
    from portal.actors.section import ActorDirectoryPage

PER_PAGE = 24


_render = partial(render_route, "portal/actors")


def _filtered(request: HttpRequest) -> tuple[DirectoryFilterForm, list[Actor], str]:
    form = DirectoryFilterForm(request.GET)
    wanted = form.filters()
    actors = list(
        select_actors(wanted["type"], wanted["theme"], wanted["q"]).prefetch_related("themes")
    )
    # Only the filters that applied travel to the next page of results.
    query = urlencode({name: value for name, value in wanted.items() if value})
    return form, actors, query


def listing(page: ActorDirectoryPage, request: HttpRequest) -> TemplateResponse:
    """The filtered list (paginated) and the map data of the whole selection."""
    form, actors, filter_query = _filtered(request)
    located = [actor for actor in actors if actor.is_located]
    map_data = to_geojson_data(located, actor_paths(page))
    return _render(
        page,
        request,
        "actor_directory_page",
        filters=form,
        actors=paginate(request, actors, per_page=PER_PAGE),
        total=len(actors),
        located_count=len(located),
        map_data=map_data,
        filter_query=filter_query,
        tile_url=settings.MAP_TILE_URL,
        tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    )


def geojson(page: ActorDirectoryPage, request: HttpRequest) -> HttpResponse:
    """The same selection as GeoJSON, for other maps (public fields only)."""
    _form, actors, _query = _filtered(request)
    base = request.build_absolute_uri("/").rstrip("/")
    path_of = actor_paths(page)
    body = to_geojson(actors, lambda actor: base + path_of(actor))
    return HttpResponse(body, content_type="application/geo+json; charset=utf-8")


def actor_detail(page: ActorDirectoryPage, request: HttpRequest, pk: int) -> TemplateResponse:
    """An actor's page: who, where, when, its news and events, and what other features add
    (``register_actor_page_sections``: its classifieds, for one)."""
    actor = Actor.objects.filter(pk=pk).select_related("logo").prefetch_related("themes").first()
    if actor is None:
        raise Http404(_("Cet acteur n'est pas dans l'annuaire."))
    locale = page.locale
    articles = (
        ArticlePage.objects.live().public().filter(actors=actor, locale=locale).order_by("-date")
    )
    events = (
        EventPage.objects.live().public().filter(actors=actor, locale=locale).order_by("-start")
    )
    workshops = actor.workshops.live().public().filter(locale=locale).order_by("-date")
    return _render(
        page,
        request,
        "actor_detail",
        actor=actor,
        articles=articles[:10],
        events=events[:10],
        workshops=workshops[:10],
        map_data=to_geojson_data([actor] if actor.is_located else []),
        tile_url=settings.MAP_TILE_URL,
        tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    )


def propose(page: ActorDirectoryPage, request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The public proposal form: a new actor, or (with ``pk``) a correction of one."""
    actor = None
    if pk is not None:
        actor = Actor.objects.filter(pk=pk).first()
        if actor is None:
            raise Http404(_("Cet acteur n'est pas dans l'annuaire."))
    if request.method == "POST":
        form = ActorProposalForm(request.POST, request=request)
        if form.is_valid():
            proposal = form.save(commit=False)
            proposal.actor = actor
            proposals.submit(proposal)
            return redirect(subpage_path(page, "proposed"))
    else:
        form = ActorProposalForm(request=request, initial=proposals.initial_for(actor))
    status = 400 if form.is_bound else 200
    return _render(page, request, "actor_proposal_form", status=status, form=form, actor=actor)


def proposed(page: ActorDirectoryPage, request: HttpRequest) -> TemplateResponse:
    """Thanks: the proposal waits for the animators."""
    return _render(page, request, "actor_proposal_sent")
