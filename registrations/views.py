"""The public sub-views registrations add to an event page (routes in ``wagtail_hooks``)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core import page_cache
from core.routable import render_route
from portal.public import EventPage
from registrations import lifecycle
from registrations.forms import RegistrationForm
from registrations.models import Registration
from registrations.tokens import cancelled_id

_render = partial(render_route, "registrations")


def register(page: EventPage, request: HttpRequest) -> HttpResponse:
    """The registration form; a full event puts the resident on its waiting list."""
    if not lifecycle.accepts_registrations(page):
        return _render(page, request, "closed", status=404)
    if request.method == "POST":
        form = RegistrationForm(request.POST, request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = lifecycle.register(
                    page, data["name"], data["email"], data["people"], data["accessibility_needs"]
                )
            except lifecycle.RegistrationClosed as error:
                form.add_error(None, error.messages[0])
            else:
                request.session["registration_status"] = registration.status
                return redirect(page.url + page.reverse_subpage("registered"))
    else:
        form = RegistrationForm(request=request)
    status = 400 if form.is_bound else 200
    return _render(
        page, request, "register", status=status, form=form, places_left=lifecycle.places_left(page)
    )


def registered(page: EventPage, request: HttpRequest) -> HttpResponse:
    """ "Check your e-mail": confirmed, or on the waiting list."""
    waiting = request.session.pop("registration_status", "") == Registration.Status.WAITING
    return _render(page, request, "registered", waiting=waiting)


def cancel(page: EventPage, request: HttpRequest, token: str) -> HttpResponse:
    """The private link of the e-mails: GET shows the registration, POST cancels it."""
    page_cache.keep_out(request)  # one person's link, even once it has no form left
    registration = Registration.objects.filter(pk=cancelled_id(token) or 0, event=page).first()
    if registration is None:
        return _render(page, request, "invalid_link", status=404)
    if request.method == "POST" and registration.status != Registration.Status.CANCELLED:
        lifecycle.cancel(registration)
        messages.success(request, _("Votre inscription est annulée. Merci de nous avoir prévenus."))
        registration.refresh_from_db()
    return _render(page, request, "cancel", registration=registration)
