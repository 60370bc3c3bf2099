"""The public sub-views reactions add to a page that takes them (routes in ``wagtail_hooks``).

The reaction form lives on its own address, never on the page itself: the page stays in
the anonymous page cache for everyone, while the form (with the visitor's CSRF token)
is never kept (``core.page_cache`` stores no answer that sets a cookie).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from wagtail.models import Page

from core import page_cache
from core.abuse import client_ip
from core.routable import render_route
from reactions import lifecycle
from reactions.feeds import ReactionFeed
from reactions.forms import ReactionForm, ReportForm
from reactions.models import Reaction
from reactions.pages import takes_reactions
from reactions.tokens import (
    COOKIE_MAX_AGE,
    COOKIE_NAME,
    address_cookie,
    confirmed_id,
    remembered_address,
)

_render = partial(render_route, "reactions")

# The states a visitor is told about once their reaction is sent, by their address.
SENT_STATES = {
    Reaction.Status.UNCONFIRMED: "a-confirmer",
    Reaction.Status.PENDING: "en-moderation",
    Reaction.Status.PUBLISHED: "publiee",
}


def _route(page: Page, name: str, *args: object) -> str:
    return page.url + page.reverse_subpage(name, args=args)


def react(page: Page, request: HttpRequest) -> HttpResponse:
    """The reaction form; sent, the visitor is told what happens next."""
    if not takes_reactions(page):
        return _render(page, request, "closed", status=404)
    remembered = remembered_address(request.COOKIES.get(COOKIE_NAME))
    if request.method == "POST":
        form = ReactionForm(request.POST, request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reaction = lifecycle.submit(
                    page, data["name"], data["email"], data["text"], remembered
                )
            except lifecycle.TransitionError as error:
                form.add_error(None, error.messages[0])
            else:
                return redirect(_route(page, "reaction_sent", SENT_STATES[reaction.status]))
    else:
        form = ReactionForm(request=request, initial={"email": remembered or ""})
    status = 400 if form.is_bound else 200
    return _render(page, request, "react", status=status, form=form, remembered=remembered)


def sent(page: Page, request: HttpRequest, state: str) -> HttpResponse:
    """What happens next: check your e-mail, the team reads it, or it is published."""
    if state not in SENT_STATES.values():
        raise Http404
    return _render(page, request, "sent", state=state)


def confirm(page: Page, request: HttpRequest, token: str) -> HttpResponse:
    """The link of the e-mail: a page with a button; on POST the reaction is confirmed and
    the address remembered on this browser (a signed cookie for this portal's host only).
    Mail scanners open links ahead of their reader: a GET confirms nothing."""
    page_cache.keep_out(request)  # one person's link, with a form
    reaction = Reaction.objects.filter(pk=confirmed_id(token) or 0, page_id=page.pk).first()
    if reaction is None:
        return _render(page, request, "invalid_link", status=404)
    if request.method != "POST":
        ask = reaction.status == Reaction.Status.UNCONFIRMED
        return _render(page, request, "confirmed", reaction=reaction, ask=ask)
    reaction = lifecycle.confirm(reaction)
    response = _render(page, request, "confirmed", reaction=reaction)
    response.set_cookie(
        COOKIE_NAME,
        address_cookie(reaction.email),
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def report(page: Page, request: HttpRequest, pk: int) -> HttpResponse:
    """A visitor's report of a published reaction of this page."""
    reaction = Reaction.objects.shown().filter(pk=pk, page_id=page.pk).first()
    if reaction is None or not takes_reactions(page):
        return _render(page, request, "invalid_link", status=404)
    if request.method == "POST":
        form = ReportForm(request.POST, request=request)
        if form.is_valid():
            try:
                lifecycle.report(reaction, client_ip(request), form.cleaned_data["reason"])
            except lifecycle.TransitionError as error:
                form.add_error(None, error.messages[0])
            else:
                return _render(page, request, "reported", reaction=reaction)
    else:
        form = ReportForm(request=request)
    status = 400 if form.is_bound else 200
    return _render(page, request, "report", status=status, form=form, reaction=reaction)


def feed(page: Page, request: HttpRequest) -> HttpResponse:
    """The page's comments feed (RSS): its published reactions and the team's replies."""
    if not takes_reactions(page):
        raise Http404
    return ReactionFeed()(request, page=page)
