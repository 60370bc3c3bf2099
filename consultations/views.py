"""The public sub-views of a consultation (routes in ``ConsultationPage``).

Every answer to a visitor's input is a page: a refused form comes back with its French
errors and everything typed kept; a forged, old or foreign link is a 404 page, never a 500.
"""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from consultations import lifecycle
from consultations.models import ConsultationAnswer, ConsultationPage
from consultations.notifications import route_path
from consultations.results import consultation_results
from consultations.tokens import confirmed_id
from core import page_cache
from core.routable import render_route

_render = partial(render_route, "consultations")


def answer(page: ConsultationPage, request: HttpRequest) -> HttpResponse:
    """The questions (or, once closed, the closing message); a valid answer is stored and
    the visitor sent to the thanks page, or asked to confirm their address."""
    if not page.is_open():
        status = 200 if request.method in ("GET", "HEAD") else 403
        return _render(page, request, "consultation_page", status=status, closed=True)
    if request.method == "POST":
        form = page.get_form(request.POST, page=page, user=request.user, request=request)
        if form.is_valid():
            lifecycle.submit(page, form)
            return redirect(route_path(page, "check_email" if page.by_email else "thanks"))
    else:
        form = page.get_form(page=page, user=request.user, request=request)
    status = 400 if form.is_bound else 200
    return _render(page, request, "consultation_page", status=status, form=form, closed=False)


def thanks(page: ConsultationPage, request: HttpRequest) -> TemplateResponse:
    """After an anonymous answer: it counts."""
    return _render(page, request, "thanks")


def check_email(page: ConsultationPage, request: HttpRequest) -> TemplateResponse:
    """After an answer by e-mail: "open the link we sent you"."""
    return _render(page, request, "check_email")


def confirm(page: ConsultationPage, request: HttpRequest, token: str) -> TemplateResponse:
    """The link e-mailed after answering: a page with a button, and the answer counts on
    POST (mail scanners open links ahead of their reader; they must not answer for them)."""
    page_cache.keep_out(request)  # one person's link, with a form
    answer = ConsultationAnswer.objects.filter(pk=confirmed_id(token) or 0, page=page).first()
    if answer is None:
        return _render(page, request, "invalid_link", status=404)
    counted = answer.status == ConsultationAnswer.Status.COUNTED
    if not page.is_open() and not counted:
        # Answered in time but confirmed too late: counting it now would move results
        # that may already be published.
        return _render(page, request, "consultation_page", status=410, closed=True)
    if request.method == "POST":
        lifecycle.confirm(answer)
        counted = True
    return _render(page, request, "confirmed", ask=not counted)


def results(page: ConsultationPage, request: HttpRequest) -> TemplateResponse:
    """The published results: a chart and a table per question, the chosen free answers."""
    if not page.results_published:
        return _render(page, request, "results_unpublished", status=404)
    total, questions = consultation_results(page)
    return _render(page, request, "results", total=total, questions=questions)
