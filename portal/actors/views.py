"""The public sub-views of the actors' directory (routes in ``portal/actors/section.py``).

The listing is a complete page without JavaScript; the map is drawn over the same
selection by a static script, from GeoJSON embedded as data. A bad filter, page number
or id gives a page (or a 404), never a 500.
"""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core import page_cache
from core.routable import render_route
from portal.actors import proposals, story_lifecycle
from portal.actors.directory import actor_paths, select_actors, subpage_path, working_together
from portal.actors.exports import stories_geojson_data, to_geojson, to_geojson_data
from portal.actors.forms import (
    ActorEntryForm,
    ActorProposalForm,
    ActorRemovalForm,
    DirectoryFilterForm,
)
from portal.actors.models import Actor, ActorProposal
from portal.actors.stories import MapStoryPage, shown_stories
from portal.actors.story_forms import MapStoryForm
from portal.actors.tokens import actor_from_token, story_id_from_token
from portal.agenda.models import EventPage
from portal.listing import paginate
from portal.news.models import ArticlePage
from portal.workshops.models import WorkshopPage

if TYPE_CHECKING:
    from portal.actors.section import ActorDirectoryPage

PER_PAGE = 24
# The stories listed under the map: the newest; the map and the GeoJSON carry them all.
STORIES_LISTED = 60


_render = partial(render_route, "portal/actors")


def _filtered(request: HttpRequest) -> tuple[DirectoryFilterForm, dict[str, str], list[Actor], str]:
    form = DirectoryFilterForm(request.GET)
    wanted = form.filters()
    actors: list[Actor] = []
    if wanted["montrer"] != "recits":
        actors = list(
            select_actors(wanted["type"], wanted["theme"], wanted["q"]).prefetch_related("themes")
        )
    # Only the filters that applied travel to the next page of results.
    query = urlencode({name: value for name, value in wanted.items() if value})
    return form, wanted, actors, query


def _stories(page: ActorDirectoryPage, wanted: dict[str, str]) -> list[MapStoryPage]:
    if wanted["montrer"] == "acteurs":
        return []
    stories = shown_stories(page)
    if wanted["recit"]:
        stories = stories.filter(kind=wanted["recit"])
    return list(stories)


def _story_url(story: MapStoryPage) -> str:
    parts = story.get_url_parts()
    return parts[2] if parts else ""


def listing(page: ActorDirectoryPage, request: HttpRequest) -> TemplateResponse:
    """The filtered list (paginated), the residents' stories, and the map data of both:
    the actors and the stories each in their own collection, drawn as their own layers."""
    form, wanted, actors, filter_query = _filtered(request)
    located = [actor for actor in actors if actor.is_located]
    map_data = to_geojson_data(located, actor_paths(page))
    stories = _stories(page, wanted)
    located_stories = [story for story in stories if story.is_located]
    story_data = stories_geojson_data(located_stories, _story_url)
    return _render(
        page,
        request,
        "actor_directory_page",
        filters=form,
        showing=wanted["montrer"],
        actors=paginate(request, actors, per_page=PER_PAGE),
        total=len(actors),
        located_count=len(located) + len(located_stories),
        map_data=map_data,
        story_data=story_data,
        stories=stories[:STORIES_LISTED],
        story_total=len(stories),
        filter_query=filter_query,
        tile_url=settings.MAP_TILE_URL,
        tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    )


def geojson(page: ActorDirectoryPage, request: HttpRequest) -> HttpResponse:
    """The same selection as GeoJSON, for other maps (public fields only)."""
    _form, _wanted, actors, _query = _filtered(request)
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
    # Seeds of a private workshop (or section) stay on their page, as its workshops do.
    seeds = (
        actor.project_seeds.filter(workshop__in=WorkshopPage.objects.live().public())
        .filter(workshop__locale=locale)
        .select_related("workshop")
        .order_by("title")
    )
    return _render(
        page,
        request,
        "actor_detail",
        actor=actor,
        articles=articles[:10],
        events=events[:10],
        workshops=workshops[:10],
        seeds=seeds[:10],
        together=working_together(actor),
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


def geojson_stories(page: ActorDirectoryPage, request: HttpRequest) -> HttpResponse:
    """The residents' published stories as their own GeoJSON collection (public fields)."""
    _form, wanted, _actors, _query = _filtered(request)
    base = request.build_absolute_uri("/").rstrip("/")
    wanted = {**wanted, "montrer": ""}
    data = stories_geojson_data(_stories(page, wanted), lambda story: base + _story_url(story))
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/geo+json; charset=utf-8"
    )


def _map_center(page: ActorDirectoryPage) -> tuple[str, str]:
    """Where the story form's map opens: amid the located actors and stories, else Paris."""
    points = list(Actor.objects.located().values_list("latitude", "longitude")[:500])
    points += list(
        shown_stories(page)
        .filter(latitude__isnull=False)
        .values_list("latitude", "longitude")[:500]
    )
    if not points:
        return "48.8566", "2.3522"
    latitude = sum(point[0] for point in points) / len(points)
    longitude = sum(point[1] for point in points) / len(points)
    return f"{latitude:.6f}", f"{longitude:.6f}"


def tell(page: ActorDirectoryPage, request: HttpRequest) -> HttpResponse:
    """ "Raconter un lieu": a resident adds a place or a story to the map, no account."""
    if request.method == "POST":
        form = MapStoryForm(request.POST, request.FILES, request=request)
        if form.is_valid():
            base = request.build_absolute_uri("/").rstrip("/")
            story_lifecycle.submit(
                page,
                form.cleaned_data,
                form.cleaned_data.get("photo"),
                lambda token: base + subpage_path(page, "story_confirm", token),
            )
            return redirect(subpage_path(page, "story_sent"))
    else:
        form = MapStoryForm(request=request)
    latitude, longitude = _map_center(page)
    return _render(
        page,
        request,
        "story_form",
        status=400 if form.is_bound else 200,
        form=form,
        center_latitude=latitude,
        center_longitude=longitude,
        tile_url=settings.MAP_TILE_URL,
        tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    )


def story_sent(page: ActorDirectoryPage, request: HttpRequest) -> TemplateResponse:
    """ "Check your e-mail": the page after adding a story."""
    return _render(page, request, "story_sent")


def _invalid_link(page: ActorDirectoryPage, request: HttpRequest) -> TemplateResponse:
    return _render(page, request, "invalid_link", status=404)


def story_confirm(page: ActorDirectoryPage, request: HttpRequest, token: str) -> TemplateResponse:
    """The link e-mailed to a story's author: a page with a button; on POST the address is
    confirmed and the story goes to the animators (mail scanners open links ahead of their
    reader; they must not confirm). Confirming again does no harm."""
    page_cache.keep_out(request)
    story_id = story_id_from_token(token)
    story = MapStoryPage.objects.child_of(page).filter(pk=story_id or 0).first()
    if story is None:
        return _invalid_link(page, request)
    waiting = story.status == MapStoryPage.Status.UNCONFIRMED
    if waiting and request.method == "POST":
        story = story_lifecycle.confirm(story)
        waiting = False
    return _render(page, request, "story_confirmed", story=story, ask=waiting)


def own_entry(page: ActorDirectoryPage, request: HttpRequest, token: str) -> HttpResponse:
    """An actor's signed link: its entry as a form, whose changes go to the animators."""
    page_cache.keep_out(request)
    actor = actor_from_token(token)
    if actor is None:
        return _invalid_link(page, request)
    if request.method == "POST":
        form = ActorEntryForm(request.POST, request=request)
        if form.is_valid():
            proposal = form.save(commit=False)
            proposal.actor = actor
            proposal.origin = ActorProposal.Origin.ACTOR
            proposal.proposer_name = actor.name[:80]
            proposal.proposer_email = actor.update_email
            proposals.submit(proposal)
            return redirect(subpage_path(page, "entry_sent"))
    else:
        form = ActorEntryForm(request=request, initial=proposals.initial_for(actor))
    return _render(
        page,
        request,
        "actor_entry_form",
        status=400 if form.is_bound else 200,
        form=form,
        actor=actor,
        token=token,
    )


def own_entry_removal(page: ActorDirectoryPage, request: HttpRequest, token: str) -> HttpResponse:
    """An actor's signed link, second door: ask that the entry leave the directory."""
    page_cache.keep_out(request)
    actor = actor_from_token(token)
    if actor is None:
        return _invalid_link(page, request)
    already = actor.proposals.pending().filter(removal=True).exists()
    if request.method == "POST" and not already:
        form = ActorRemovalForm(request.POST, request=request)
        if form.is_valid():
            proposals.submit(proposals.removal_request(actor, form.cleaned_data["message"]))
            return redirect(subpage_path(page, "entry_sent"))
    else:
        form = ActorRemovalForm(request=request)
    return _render(
        page,
        request,
        "actor_entry_removal",
        status=400 if form.is_bound else 200,
        form=form,
        actor=actor,
        token=token,
        already=already,
    )


def entry_sent(page: ActorDirectoryPage, request: HttpRequest) -> TemplateResponse:
    """Thanks: the actor's request waits for the animators."""
    return _render(page, request, "actor_entry_sent")
