"""The public sub-views of the classifieds page (routes in ``ClassifiedsPage``).

Every view answers a visitor's input with a page or a form with its errors: a forged
token, an unknown ad, an odd query string or a hostile upload never give a 500.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from classifieds import lifecycle, notifications
from classifieds.addresses import section_path
from classifieds.feeds import ClassifiedsFeed
from classifieds.forms import (
    ClassifiedEditForm,
    ClassifiedPostForm,
    ContactForm,
    ListingFilterForm,
    ReportForm,
)
from classifieds.listing import filter_ads, published_ads
from classifieds.models import Classified, ClassifiedsPage
from classifieds.tokens import confirmed_id, managed_id
from core import page_cache
from core.routable import render_route

PER_PAGE = 12


_render = partial(render_route, "classifieds")


def _published_or_404(pk: int) -> Classified:
    classified = published_ads().filter(pk=pk).first()
    if classified is None:
        raise Http404(_("Cette annonce n'existe pas ou n'est plus en ligne."))
    return classified


def listing(page: ClassifiedsPage, request: HttpRequest) -> TemplateResponse:
    """Published ads, newest first, filtered by kind, category and words, 12 a page."""
    filters = ListingFilterForm(request.GET)
    ads = published_ads()
    if filters.is_valid():
        category = filters.cleaned_data["category"]
        ads = filter_ads(
            ads,
            kind=filters.cleaned_data["kind"],
            category=category.slug if category else "",
            text=filters.cleaned_data["q"],
        )
    paginated = Paginator(ads, PER_PAGE).get_page(request.GET.get("page"))
    page_cache.keep_out_unless_asked_page(request, paginated)
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        page,
        request,
        "classifieds_page",
        filters=filters,
        ads=paginated,
        filter_query=query.urlencode(),
    )


def post(page: ClassifiedsPage, request: HttpRequest) -> HttpResponse:
    """The public form; a valid ad waits for its author's confirmation by e-mail."""
    if request.method == "POST":
        form = ClassifiedPostForm(request.POST, request.FILES, request=request)
        if form.is_valid():
            classified = form.save(commit=False)
            lifecycle.submit(classified, form.cleaned_data["photos"])
            return redirect(section_path(page, "posted"))
    else:
        form = ClassifiedPostForm(
            request=request,
            initial={
                "kind": Classified.Kind.OFFER,
                "price_kind": Classified.PriceKind.FREE,
                "contact_preference": Classified.Contact.RELAY,
            },
        )
    status = 400 if form.is_bound else 200
    return _render(page, request, "post_form", status=status, form=form)


def posted(page: ClassifiedsPage, request: HttpRequest) -> TemplateResponse:
    """ "Check your e-mail": the page after posting."""
    return _render(page, request, "posted")


def detail(page: ClassifiedsPage, request: HttpRequest, pk: int) -> TemplateResponse:
    """One published ad (never its author's address)."""
    return _render(page, request, "classified_detail", classified=_published_or_404(pk))


def contact(page: ClassifiedsPage, request: HttpRequest, pk: int) -> HttpResponse:
    """The relay form: the message goes to the author, with the sender's address to reply to."""
    classified = _published_or_404(pk)
    if classified.contact_preference != Classified.Contact.RELAY:
        raise Http404(_("Cette annonce se contacte par téléphone."))
    if request.method == "POST":
        form = ContactForm(request.POST, request=request)
        if form.is_valid():
            data = form.cleaned_data
            notifications.to_author(
                classified,
                "contact",
                _("Un message au sujet de votre annonce « %(title)s »")
                % {"title": classified.title[:60]},
                reply_to=[data["sender_email"]],
                sender_name=data["sender_name"],
                message=data["message"],
            )
            messages.success(
                request,
                _("Votre message a été transmis. L'auteur·rice vous répondra par e-mail."),
            )
            return redirect(section_path(page, "detail", classified.pk))
    else:
        form = ContactForm(request=request)
    status = 400 if form.is_bound else 200
    return _render(page, request, "contact_form", status=status, classified=classified, form=form)


def report(page: ClassifiedsPage, request: HttpRequest, pk: int) -> HttpResponse:
    """A visitor's report; enough of them send the ad back to moderation."""
    classified = _published_or_404(pk)
    if request.method == "POST":
        form = ReportForm(request.POST, request=request)
        if form.is_valid():
            lifecycle.report(classified, form.cleaned_data["reason"])
            messages.success(request, _("Merci : l'équipe d'animation va regarder cette annonce."))
            return redirect(section_path(page, "listing"))
    else:
        form = ReportForm(request=request)
    status = 400 if form.is_bound else 200
    return _render(page, request, "report_form", status=status, classified=classified, form=form)


def _invalid_link(page: ClassifiedsPage, request: HttpRequest) -> TemplateResponse:
    return _render(page, request, "invalid_link", status=404)


def confirm(page: ClassifiedsPage, request: HttpRequest, token: str) -> TemplateResponse:
    """The link e-mailed after posting: a page with a button, and the ad confirmed on POST
    (mail scanners open links ahead of their reader; they must not confirm). Confirming
    again does no harm."""
    page_cache.keep_out(request)  # one person's link, with a form
    classified = Classified.objects.filter(pk=confirmed_id(token) or 0).first()
    if classified is None:
        return _invalid_link(page, request)
    waiting = classified.status == Classified.Status.AWAITING_CONFIRMATION
    if waiting and request.method == "POST":
        classified = lifecycle.confirm(classified)
        waiting = False
    return _render(page, request, "confirmed", classified=classified, ask=waiting)


MANAGE_ACTIONS = {
    "extend": (lifecycle.extend, _("Votre annonce est prolongée.")),
    "withdraw": (lifecycle.withdraw, _("Votre annonce est retirée du site.")),
}


def manage(page: ClassifiedsPage, request: HttpRequest, token: str) -> HttpResponse:
    """The author's private page: see the ad's state, edit, extend or withdraw it."""
    page_cache.keep_out(request)  # one person's link, even once it has no form left
    classified = Classified.objects.filter(pk=managed_id(token) or 0).first()
    if classified is None:
        return _invalid_link(page, request)
    here = section_path(page, "manage", token)
    editable = classified.status in lifecycle.EDITABLE
    form = ClassifiedEditForm(instance=classified) if editable else None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in MANAGE_ACTIONS:
                transition, done = MANAGE_ACTIONS[action]
                transition(classified)
                messages.success(request, done)
                return redirect(here)
            if action == "edit" and editable:
                form = ClassifiedEditForm(request.POST, request.FILES, instance=classified)
                if form.is_valid():
                    photos = form.cleaned_data["photos"] or None
                    lifecycle.save_edit(form.save(commit=False), photos)
                    messages.success(
                        request,
                        _(
                            "Vos modifications sont enregistrées. L'équipe d'animation va relire "
                            "votre annonce avant de la remettre en ligne."
                        ),
                    )
                    return redirect(here)
                status = 400
            else:
                messages.error(request, _("Cette action n'est pas possible."))
                return redirect(here)
        except lifecycle.TransitionError as error:
            messages.error(request, error.messages[0])
            return redirect(here)
        classified.refresh_from_db()
    return _render(
        page,
        request,
        "manage",
        status=status,
        classified=classified,
        form=form,
        can_extend=classified.status in lifecycle.EXTENDABLE,
        can_withdraw=classified.status in lifecycle.WITHDRAWABLE,
    )


def feed(page: ClassifiedsPage, request: HttpRequest) -> HttpResponse:
    """The RSS feed of the newest published ads."""
    return ClassifiedsFeed(page)(request)
