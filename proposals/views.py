"""The public sub-views of the "Participer" page (routes in ``ProposalsPage``).

Every view answers a visitor's input with a page or a form with its errors: a forged
token, an odd upload or a made-up date never give a 500.
"""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core import page_cache
from core.routable import render_route
from proposals import lifecycle
from proposals.addresses import section_path
from proposals.forms import EventProposalForm, ProposalForm, SubjectProposalForm
from proposals.models import Proposal, ProposalsPage
from proposals.tokens import confirmed_id, withdrawn_id

_render = partial(render_route, "proposals")


def index(page: ProposalsPage, request: HttpRequest) -> TemplateResponse:
    """The section: what residents can propose, and the two forms' doors."""
    return _render(page, request, "proposals_page")


def _propose(
    page: ProposalsPage,
    request: HttpRequest,
    form_class: type[ProposalForm],
    route: str,
    heading: str,
    lead: str,
) -> HttpResponse:
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, request=request)
        if form.is_valid():
            lifecycle.submit(form.proposal(), form.cleaned_data["photos"])
            return redirect(section_path(page, "sent"))
    else:
        form = form_class(request=request)
    status = 400 if form.is_bound else 200
    return _render(
        page,
        request,
        "form",
        status=status,
        form=form,
        heading=heading,
        lead=lead,
        action=section_path(page, route),
    )


def propose_subject(page: ProposalsPage, request: HttpRequest) -> HttpResponse:
    """ "Proposer un sujet": a valid proposal waits for its author's confirmation."""
    return _propose(
        page,
        request,
        SubjectProposalForm,
        "subject",
        _("Proposer un sujet"),
        _(
            "Une idée de sujet, un témoignage ou une information : l'équipe d'animation la "
            "lira et vous répondra par e-mail."
        ),
    )


def propose_event(page: ProposalsPage, request: HttpRequest) -> HttpResponse:
    """ "Proposer un événement": a valid proposal waits for its author's confirmation."""
    return _propose(
        page,
        request,
        EventProposalForm,
        "event",
        _("Proposer un événement"),
        _(
            "Votre événement rejoindra l'agenda du quartier une fois relu par l'équipe "
            "d'animation, qui vous répondra par e-mail."
        ),
    )


def sent(page: ProposalsPage, request: HttpRequest) -> TemplateResponse:
    """ "Check your e-mail": the page after proposing."""
    return _render(page, request, "sent")


def _invalid_link(page: ProposalsPage, request: HttpRequest) -> TemplateResponse:
    return _render(page, request, "invalid_link", status=404)


def confirm(page: ProposalsPage, request: HttpRequest, token: str) -> TemplateResponse:
    """The link e-mailed after proposing: a page with a button, and the proposal confirmed
    on POST (mail scanners open links ahead of their reader; they must not confirm).
    Confirming again does no harm."""
    # One address per proposal, of interest to one person: not for the page cache.
    page_cache.keep_out(request)
    proposal = Proposal.objects.filter(pk=confirmed_id(token) or 0).first()
    if proposal is None:
        return _invalid_link(page, request)
    waiting = proposal.status == Proposal.Status.AWAITING_CONFIRMATION
    if waiting and request.method == "POST":
        proposal = lifecycle.confirm(proposal)
        waiting = False
    return _render(page, request, "confirmed", proposal=proposal, ask=waiting)


def withdraw(page: ProposalsPage, request: HttpRequest, token: str) -> HttpResponse:
    """The proposer's link: see the proposal's state, and withdraw it (a POST, so that a
    mail client opening links ahead of its reader withdraws nothing)."""
    page_cache.keep_out(request)  # one person's link, even once it has no form left
    proposal = Proposal.objects.filter(pk=withdrawn_id(token) or 0).first()
    if proposal is None:
        return _invalid_link(page, request)
    done = False
    status = 200
    if request.method == "POST":
        try:
            proposal = lifecycle.withdraw(proposal)
            done = True
        except lifecycle.TransitionError:
            status = 409
    return _render(
        page,
        request,
        "withdraw",
        status=status,
        proposal=proposal,
        done=done,
        can_withdraw=proposal.status in lifecycle.WITHDRAWABLE,
    )
