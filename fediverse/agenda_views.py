"""The agenda actor's addresses (``fediverse.agenda_actor``) and its events as objects.

The inbox is ``fediverse.views.agenda_inbox`` (the same verification as the portal's)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from core.page_cache import keep_out
from fediverse import agenda_actor, events
from fediverse.models import Tombstone
from fediverse.negotiation import wants_activity_json
from fediverse.views import activity_response, outbox_answer


def _refusal(reason: str, status: int) -> HttpResponse:
    return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")


@require_GET
def actor(request: HttpRequest) -> HttpResponse:
    """The agenda's ``Application`` actor document."""
    return activity_response(agenda_actor.actor_document())


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """The agenda's outbox (its announces), or one of its pages (``?page=``)."""
    return outbox_answer(request, events.outbox)


@require_GET
def followers(request: HttpRequest) -> HttpResponse:
    """The agenda's followers collection (its size)."""
    return activity_response(agenda_actor.followers())


@require_GET
def event(request: HttpRequest, page_id: int) -> HttpResponse:
    """A public event as Mobilizon's ``Event``; a browser goes to its page. An event that
    went out and was withdrawn answers 410 (Gone), even once deleted; any other (private
    from the start, a draft, imported) is unknown: 404, as an id that never was."""
    page = events.public_events().filter(pk=page_id).first()
    if page is None:
        keep_out(request)
        if Tombstone.objects.filter(folder=events.EVENTS_FOLDER, page_id=page_id).exists():
            return _refusal("supprimé", 410)
        return _refusal("inconnu", 404)
    if not wants_activity_json(request):
        return HttpResponseRedirect(page.get_url())
    return activity_response({"@context": events.MOBILIZON_CONTEXT, **events.event_object(page)})
