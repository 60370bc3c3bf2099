"""Which answer a request asks for: an ActivityPub client's JSON, or a browser's page."""

from __future__ import annotations

from django.http import HttpRequest

AP_TYPES = ("application/activity+json", "application/ld+json")


def wants_activity_json(request: HttpRequest) -> bool:
    """True when the Accept header names an ActivityStreams type before (or without)
    HTML: Mastodon asks ``application/activity+json, application/ld+json; profile=...``;
    a browser asks ``text/html`` first and never these."""
    accept = request.headers.get("Accept", "").lower()
    for media_range in accept.split(","):
        media_type = media_range.split(";", 1)[0].strip()
        if media_type in AP_TYPES:
            return True
        if media_type in ("text/html", "application/xhtml+xml"):
            return False
    return False
