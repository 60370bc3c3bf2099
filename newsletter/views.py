"""What a visitor and a subscriber reach without an account: subscribe, confirm, manage,
leave in one click. Every answer is a page (or a 4xx), never a 500, whatever is sent.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core import page_cache
from newsletter import subscriptions, tokens
from newsletter.addresses import newsletter_section
from newsletter.forms import SOURCES, SubscribeForm, TopicsForm
from newsletter.models import Subscriber
from tenants.addresses import current_portal

MAX_TOKEN_LENGTH = 300


def _render(request: HttpRequest, template: str, status: int = 200, **context) -> HttpResponse:
    context.setdefault("section", newsletter_section())
    return TemplateResponse(request, f"newsletter/{template}.html", context, status=status)


def _subscriber(purpose: str, token: str) -> Subscriber | None:
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    pk = tokens.read_token(purpose, token)
    return Subscriber.objects.filter(pk=pk).first() if pk else None


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return _render(request, "invalid_link", status=404)


# No CSRF token: the footer form sits on every (cacheable) page, and a token would set a
# cookie for every visitor. A forged post can only ask for a confirmation e-mail to be sent
# to the address given, which anyone can do with the form itself: the double opt-in, the
# honeypot and the rate limits are the protection here.
@csrf_exempt
def subscribe(request: HttpRequest) -> HttpResponse:
    """The subscribe form (footer and newsletter page both post here)."""
    if request.method == "POST":
        form = SubscribeForm(request.POST, request=request, with_topics=True)
        if form.is_valid():
            data = form.cleaned_data
            portal = current_portal()
            subscriptions.subscribe(
                data["email"],
                data.get("topics"),
                method=str(SOURCES[data["source"]]),
                wording=subscriptions.consent_wording(portal.name),
            )
            return redirect("newsletter-subscribed")
        return _render(request, "subscribe", status=400, form=form)
    return _render(request, "subscribe", form=SubscribeForm(request=request, with_topics=True))


def subscribed(request: HttpRequest) -> HttpResponse:
    """ "Check your e-mail", the same whether the address was new or known."""
    return _render(request, "subscribed")


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation e-mail: a button to confirm (mail scanners that open
    links do not press buttons, so nobody is subscribed by their antivirus)."""
    subscriber = _subscriber(tokens.CONFIRM, token)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        subscriber = subscriptions.confirm(subscriber)
        messages.success(request, _("C'est confirmé : vous recevrez la prochaine infolettre."))
        return redirect("newsletter-manage", token=tokens.make_token(tokens.MANAGE, subscriber.pk))
    return _render(request, "confirm", subscriber=subscriber)


def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The subscriber's private page: topics, leave, get their data, erase it."""
    subscriber = _subscriber(tokens.MANAGE, token)
    if subscriber is None:
        return _invalid_link(request)
    here = reverse("newsletter-manage", args=[token])
    form = TopicsForm(initial={"topics": subscriber.topics})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "topics":
            form = TopicsForm(request.POST)
            if form.is_valid():
                subscriptions.change_topics(subscriber, form.cleaned_data["topics"])
                messages.success(request, _("Vos sujets sont enregistrés."))
                return redirect(here)
            status = 400
        elif action == "leave":
            subscriptions.unsubscribe(subscriber, _("page personnelle d'abonnement"))
            messages.success(request, _("Vous êtes désabonné·e : vous ne recevrez plus rien."))
            return redirect(here)
        elif action == "erase":
            if request.POST.get("sure") != "oui":
                messages.error(request, _("Cochez la case pour confirmer l'effacement."))
                return redirect(here)
            subscriptions.erase(subscriber)
            return _render(request, "erased")
        else:
            messages.error(request, _("Cette action n'est pas possible."))
            return redirect(here)
    return _render(
        request,
        "manage",
        status=status,
        subscriber=subscriber,
        form=form,
        data_url=reverse("newsletter-data", args=[token]),
    )


def download_data(request: HttpRequest, token: str) -> HttpResponse:
    """Everything held about the subscriber, as a JSON file."""
    subscriber = _subscriber(tokens.MANAGE, token)
    if subscriber is None:
        return _invalid_link(request)
    body = json.dumps(subscriptions.personal_data(subscriber), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-infolettre.json"'
    response["Cache-Control"] = "private, no-store"
    return response


# RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here with no cookie and no token
# of a form: the signed link is the proof, so CSRF protection has nothing to add.
@csrf_exempt
def one_click_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the List-Unsubscribe header: GET shows a button, POST unsubscribes."""
    page_cache.keep_out(request)  # one person's link, with their address
    if request.method not in {"GET", "HEAD", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    subscriber = _subscriber(tokens.UNSUBSCRIBE, token)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber, _("désabonnement en un clic"))
        return _render(
            request,
            "unsubscribed",
            manage_url=reverse(
                "newsletter-manage", args=[tokens.make_token(tokens.MANAGE, subscriber.pk)]
            ),
        )
    return _render(request, "unsubscribe", subscriber=subscriber)
