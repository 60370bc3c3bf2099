"""The fediverse's addresses of a portal: WebFinger, NodeInfo, the actor's collections,
its articles and blog posts as objects, and its inbox."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.abuse import HOUR
from core.page_cache import keep_out
from core.posted_ids import posted_id
from fediverse import agenda_actor, documents
from fediverse.inbox import Refused, authenticate, receive, receive_gone_actor
from fediverse.local_actors import AGENDA, PORTAL, LocalActor
from fediverse.models import Tombstone
from fediverse.negotiation import wants_activity_json
from fediverse.signatures import SignedRequest
from tenants.addresses import current_portal

logger = logging.getLogger(__name__)

# An activity is a few kilobytes; Mastodon refuses more than 1 MB.
MAX_INBOX_BYTES = 256_000


def activity_response(document: dict[str, Any], status: int = 200) -> JsonResponse:
    """``document`` as ``application/activity+json``."""
    return JsonResponse(
        document,
        status=status,
        content_type=f"{documents.ACTIVITY_JSON}; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def _refusal(reason: str, status: int) -> HttpResponse:
    return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")


@require_GET
def webfinger(request: HttpRequest) -> HttpResponse:
    """``acct:<slug>@<this host>`` (or the actor's address) → the actor, ``acct:agenda@<this
    host>`` → the agenda's actor; 404 for anyone else, another portal's slug included."""
    keep_out(request)
    portal = current_portal()
    resource = request.GET.get("resource", "")
    if portal is None or not resource:
        return _refusal("resource manquant", 400 if portal else 404)
    host = request.get_host().rsplit(":", 1)[0].lower()
    asked = resource.removeprefix("acct:").lstrip("@").lower()
    if asked == f"{portal.slug}@{host}" or resource == documents.actor_id(portal):
        jrd = documents.webfinger(host)
    # After the portal's own name: a portal called "agenda" keeps its handle (Mobilizon
    # finds the agenda by NodeInfo first).
    elif agenda_actor.answers_webfinger(asked, host) or resource == agenda_actor.actor_id():
        jrd = agenda_actor.webfinger(host)
    else:
        return _refusal("inconnu ici", 404)
    response = JsonResponse(jrd, content_type=documents.JRD_JSON)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    """``/.well-known/nodeinfo``: where the NodeInfo document is, and the agenda actor that
    Mobilizon's relays follow (FEP-2677)."""
    links = documents.nodeinfo_links()
    links["links"].append(agenda_actor.nodeinfo_link())
    return JsonResponse(links)


@require_GET
def nodeinfo(request: HttpRequest) -> HttpResponse:
    """NodeInfo 2.1 of the portal; its metadata names the agenda actor too."""
    document = documents.nodeinfo()
    document["metadata"]["applicationActor"] = agenda_actor.actor_id()
    return JsonResponse(
        document,
        content_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    )


def outbox_answer(
    request: HttpRequest, outbox_of: Callable[[int | None], dict[str, Any]]
) -> HttpResponse:
    """An outbox (``outbox_of(None)``) or the page ``?page=`` asks for; 404 for a page it
    does not have, whatever was typed."""
    asked = request.GET.get("page")
    if asked is None:
        return activity_response(outbox_of(None))
    number = posted_id(asked, most_digits=5) or 0
    try:
        return activity_response(outbox_of(number))
    except (EmptyPage, PageNotAnInteger):
        keep_out(request)
        return _refusal("page inconnue", 404)


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """The outbox collection, or one of its pages (``?page=``)."""
    return outbox_answer(request, documents.outbox)


@require_GET
def followers(request: HttpRequest) -> HttpResponse:
    """The followers collection (its size)."""
    return activity_response(documents.followers())


def _page_object(request: HttpRequest, pages, folder: str, page_id: int) -> HttpResponse:
    """One of ``pages`` as an ActivityStreams object; a browser goes to its page. An
    object that went out and was withdrawn answers 410 (Gone), even once its page is
    deleted; any other page (private, draft, another type) is unknown: 404."""
    page = pages.filter(pk=page_id).first()
    if page is None:
        keep_out(request)
        if Tombstone.objects.filter(folder=folder, page_id=page_id).exists():
            return _refusal("supprimé", 410)
        return _refusal("inconnu", 404)
    if not wants_activity_json(request):
        return HttpResponseRedirect(page.get_url())
    return activity_response({"@context": documents.AS_CONTEXT, **documents.page_object(page)})


@require_GET
def article(request: HttpRequest, page_id: int) -> HttpResponse:
    """An article as an ``Article``."""
    return _page_object(request, documents.public_articles(), "articles", page_id)


@require_GET
def note(request: HttpRequest, page_id: int) -> HttpResponse:
    """A resident's blog post as a ``Note``."""
    return _page_object(request, documents.public_notes(), "notes", page_id)


@csrf_exempt
@require_POST
def inbox(request: HttpRequest) -> HttpResponse:
    """The actor's inbox: a signed activity from a remote actor, acted upon at once."""
    return receive_signed(request, PORTAL)


@csrf_exempt
@require_POST
def agenda_inbox(request: HttpRequest) -> HttpResponse:
    """The agenda actor's inbox (a Mobilizon relay's Follow, its Undo)."""
    return receive_signed(request, AGENDA)


def receive_signed(request: HttpRequest, local: LocalActor) -> HttpResponse:
    """A signed activity from a remote actor to ``local``'s inbox, acted upon at once."""
    if len(request.body) > MAX_INBOX_BYTES:
        return _refusal("Activity too large", 413)
    try:
        activity = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _refusal("Body is not JSON", 400)
    signed = SignedRequest(
        method=request.method or "POST",
        path=request.get_full_path(),
        host=request.META.get("HTTP_HOST", ""),
        headers={name.lower(): value for name, value in request.headers.items()},
        body=request.body,
    )
    try:
        actor = authenticate(signed, request.scheme)
        receive(activity, actor, local)
    except Refused as refused:
        if refused.gone_key and receive_gone_actor(activity, refused.gone_key):
            return HttpResponse(status=202)
        logger.info("Inbox refused an activity: %s", refused)
        response = _refusal(str(refused), refused.status)
        if refused.status == 429:
            response["Retry-After"] = str(HOUR)
        return response
    return HttpResponse(status=202)
