"""Logged-in sessions end after ``ADMIN_IDLE_TIMEOUT_MINUTES`` without a person's request.

A tab forgotten on a shared computer (a community centre, a library) must not leave a
portal's admin open to the next person. Django's own idle expiry (a short
``SESSION_COOKIE_AGE`` renewed by ``SESSION_SAVE_EVERY_REQUEST``) would count every
request, and Wagtail's editor pings the server every 10 seconds while a page is open in
it: a forgotten editor tab would never expire. Here the editor's background pings do not
count as activity, and the time of the last request is written at most once a minute
rather than on every request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

LAST_ACTIVITY = "quartiers_last_activity"
# Requests a page makes by itself, without anyone at the keyboard.
BACKGROUND_NAMESPACES = {"wagtailadmin_editing_sessions"}
# How stale the recorded time may get: saves the session once a minute, not per request.
WRITE_EVERY_SECONDS = 60


class IdleSessionMiddleware:
    """Logs out a person whose last request is older than the idle delay.

    Sits after ``AuthenticationMiddleware``; runs in ``process_view`` to know which view
    is asked for, so that background pings neither renew nor end the session early.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> None:
        # Without a session cookie nobody is logged in: leave the session untouched, so
        # that anonymous pages do not gain a "Vary: Cookie" and stay cacheable as they were.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return
        if not request.user.is_authenticated:
            return
        now = timezone.now().timestamp()
        last = request.session.get(LAST_ACTIVITY)
        idle = settings.ADMIN_IDLE_TIMEOUT_MINUTES * 60
        if isinstance(last, int | float) and now - last > idle:
            logout(request)
            minutes = settings.ADMIN_IDLE_TIMEOUT_MINUTES
            message = ngettext(
                "Votre session a pris fin après %(minutes)d minute sans activité : "
                "connectez-vous à nouveau.",
                "Votre session a pris fin après %(minutes)d minutes sans activité : "
                "connectez-vous à nouveau.",
                minutes,
            )
            messages.info(request, message % {"minutes": minutes})
            return
        if _is_background(request):
            return
        if not isinstance(last, int | float) or now - last >= WRITE_EVERY_SECONDS:
            request.session[LAST_ACTIVITY] = now


def _is_background(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and bool(set(match.namespaces) & BACKGROUND_NAMESPACES)
