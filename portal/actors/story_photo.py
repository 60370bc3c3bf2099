"""The photo a resident sent with a story, shown to the animators only while it waits.

It is kept under ``private/`` (never served under ``/media/``, ``core.views``) until the
story is approved; this admin view streams it to whoever may moderate stories.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core.views import make_harmless, serve_upload
from portal.actors.stories import MapStoryPage
from portal.actors.story_admin import user_can_moderate


def pending_story_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The waiting photo of story ``pk``, for an animator; 404 when it has none."""
    if not user_can_moderate(request.user):
        raise PermissionDenied
    story = get_object_or_404(MapStoryPage, pk=pk)
    if not story.pending_photo:
        raise Http404
    response = make_harmless(
        serve_upload(request, story.pending_photo.name), story.pending_photo.name
    )
    # Never kept by a shared cache, nor by the browser after the animator leaves.
    response["Cache-Control"] = "private, no-store"
    return response
