"""The network sign-in to the animators' space, at the federation's host only.

Not a Django login (see ``network_space.access``): the person's network password opens
the space, and nothing else, in this host's session.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from core import second_factor
from core.second_factor_views import (
    WRONG_CODE,
    CodeForm,
    enrol_with_code,
    enrolment_context,
    locked_message,
)
from core.security import login_locked_out
from core.views import federation_only
from network_space import access
from network_space.models import AnimatorsSpacePage, reserved
from tenants import second_factor as devices

CODE_TEMPLATE = "network_space/code.html"
# Where the space's code step goes once passed (the sign-in's "suivant", checked there).
NEXT = "network_space_next"

WRONG = _("Adresse ou mot de passe incorrect. Vérifiez-les, puis réessayez.")
NOT_AN_ANIMATOR = _(
    "Votre compte Quartiers ne donne pas accès à l'espace : il est réservé aux animateurs "
    "et animatrices des quartiers ouverts et à l'équipe de la fédération."
)


class SignInForm(forms.Form):
    """The network account's e-mail and password."""

    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)
    password = forms.CharField(
        label=_("Mot de passe"), max_length=4096, strip=False, widget=forms.PasswordInput
    )


def _space_url() -> str:
    space = AnimatorsSpacePage.objects.live().first()
    return space.url if space is not None and space.url else "/"


def _next_url(request: HttpRequest) -> str:
    """Where to go once signed in: the address asked for, if it is this host's own."""
    asked = request.POST.get("suivant") or request.GET.get("suivant") or ""
    if asked and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return _space_url()


@federation_only
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """The space's sign-in form: the network account's e-mail and password."""
    if request.method == "GET" and access.space_visitor(request) is not None:
        return HttpResponseRedirect(_next_url(request))
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            email, password = form.cleaned_data["email"], form.cleaned_data["password"]
            if access.locked_out(request, email):
                return reserved(login_locked_out(request))
            account = access.authenticate(request, email, password)
            if account is None:
                form.add_error(None, WRONG)
            elif not access.space_portals(account):
                form.add_error(None, NOT_AN_ANIMATOR)
                status = 403
            else:
                request.session[NEXT] = _next_url(request)
                return reserved(access.second_factor(request, account))
    context = {"form": form, "suivant": _next_url(request)}
    return reserved(render(request, "network_space/sign_in.html", context, status=status))


@federation_only
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def code(request: HttpRequest) -> HttpResponse:
    """The space's code step: the app's code (or a recovery code) opens the space; a
    person without an app sets it up here first (QR code, key, a code to confirm, then
    their recovery codes once). Wrong codes count with the portals' (the person's)."""
    account = access.pending_account(request)
    if account is None:
        return reserved(HttpResponseRedirect(reverse("network-space-sign-in")))
    form = CodeForm(request.POST or None)
    device = devices.device_of(account)
    context: dict = {"form": form, "enrol": device is None}
    if device is None:
        context.update(enrolment_context(request, account, form))
    until = devices.locked_until(account)
    if until is not None:
        context["locked"] = locked_message(until)
        return reserved(render(request, CODE_TEMPLATE, context, status=429))
    if request.method != "POST":
        return reserved(render(request, CODE_TEMPLATE, context))
    next_url = request.session.get(NEXT) or _space_url()
    if device is None:
        codes = enrol_with_code(request, account, form)
        if codes is not None:
            access.sign_in(request, account)
            context = {"codes": codes, "next_url": next_url}
            page = render(request, "network_space/recovery_codes.html", context)
            return reserved(second_factor.note_browser(request, page, account))
    elif form.is_valid() and devices.check_code(account, form.cleaned_data["code"], "espace"):
        access.sign_in(request, account)
        request.session.pop(NEXT, None)
        # As at a portal's admin: a browser that never signed this person in is e-mailed.
        redirect = HttpResponseRedirect(next_url)
        return reserved(second_factor.note_browser(request, redirect, account))
    else:
        form.errors.clear()
        form.add_error(None, WRONG_CODE)
    until = devices.locked_until(account)
    if until is not None:
        context["locked"] = locked_message(until)
        return reserved(render(request, CODE_TEMPLATE, context, status=429))
    return reserved(render(request, CODE_TEMPLATE, context, status=400))


@federation_only
@require_POST
@csrf_protect
def sign_out(request: HttpRequest) -> HttpResponse:
    """Close the space in this browser."""
    access.sign_out(request)
    return reserved(HttpResponseRedirect("/"))
