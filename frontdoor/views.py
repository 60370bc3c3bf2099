"""The public views of the "launch a media" page (routes in ``frontdoor.models``)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from core.routable import render_route
from frontdoor import launch_requests
from frontdoor.forms import LaunchRequestForm

if TYPE_CHECKING:
    from frontdoor.models import LaunchPage

_render = partial(render_route, "frontdoor")


def launch_form(page: LaunchPage, request: HttpRequest) -> HttpResponse:
    """What it takes, whom to contact, and the form; a refused form comes back with
    everything typed and its errors in French (status 400)."""
    if request.method == "POST":
        form = LaunchRequestForm(request.POST, request=request)
        if form.is_valid():
            launch_requests.receive(form.save(commit=False))
            return redirect(page.url + page.reverse_subpage("sent"))
    else:
        form = LaunchRequestForm(request=request)
    status = 400 if form.is_bound else 200
    return _render(page, request, "launch_page", status=status, form=form)


def launch_sent(page: LaunchPage, request: HttpRequest) -> TemplateResponse:
    """Thanks: the federation's team will write back."""
    return _render(page, request, "launch_sent")
