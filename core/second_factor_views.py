"""The admin's sign-in with a second factor: Wagtail's login form, then the code page.

``LoginView`` is Wagtail's, mounted on ``admin/login/`` before Wagtail's own URLs
(core/urls_tenant.py): the password form, axes' lockout, ``next`` (same host only) and
"remember me" are Wagtail's and Django's. What changes is the answer to a right password
for someone asked for a code: no ``login()``, a pending sign-in in the session
(``core.second_factor``) and a redirect to ``/admin/login/code/``, or to the enrolment
(``/admin/login/code/activer/``) for someone who must have a second factor and has none.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.admin.views import account as wagtail_account

from core import second_factor
from core.abuse import axes_client_ip
from tenants import second_factor as devices
from tenants.accounts import NetworkAccount

NEW_KEY = "second_factor_new_key"
NO_PROVEN_ACCOUNT = gettext_lazy(
    "Votre rôle demande une double authentification, attachée à votre compte Quartiers. "
    "Choisissez d'abord votre mot de passe par le lien « Mot de passe oublié ? » : il "
    "confirme que l'adresse est la vôtre."
)
WRONG_CODE = gettext_lazy("Ce code n'est pas le bon, ou il a déjà servi. Réessayez.")


class CodeForm(forms.Form):
    """The app's 6 digits, or one of the recovery codes."""

    code = forms.CharField(
        label=gettext_lazy("Code de l'application ou code de secours"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def locked_message(until) -> str:
    """The French answer to a locked code step, with the time it opens again."""
    return _(
        "Trop de codes erronés pour ce compte. Par sécurité, réessayez à partir de "
        "%(heure)s (heure de Paris)."
    ) % {"heure": time_format(timezone.localtime(until), "H:i")}


class LoginView(wagtail_account.LoginView):
    """Wagtail's login, which waits for the second factor of those asked for one."""

    def form_valid(self, form: forms.Form) -> HttpResponse:
        user = form.get_user()
        account = second_factor.proven_account(user)
        unproven = False
        if account is None and second_factor.required(user):
            # Signed in with a portal's former password (docs/accounts.md): the code of the
            # e-mail's network account is asked if it has an app (its owner has it, whoever
            # typed the address has not); none is set up from an unproven address.
            account = second_factor.open_account(user)
            if devices.device_of(account) is None:
                form.add_error(None, NO_PROVEN_ACCOUNT)
                return self.form_invalid(form)
            unproven = True
        if not second_factor.asked(user, account):
            response = super().form_valid(form)
            return second_factor.note_browser(self.request, response, account)
        # The password was right: its failures start again from zero, as on a sign-in
        # (axes' reset on success); wrong codes have their own count, for every portal.
        AxesProxyHandler.reset_attempts(
            ip_address=axes_client_ip(self.request), username=form.cleaned_data.get("username")
        )
        second_factor.hold(
            self.request,
            user,
            account,
            self.get_success_url(),
            remember=bool(form.cleaned_data.get("remember")),
            unproven=unproven,
        )
        if devices.device_of(account) is None:
            return redirect("second_factor_enrol")
        return redirect("second_factor_code")


def _back_to_login(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Saisissez d'abord votre adresse et votre mot de passe."))
    return redirect("wagtailadmin_login")


def _locked(request: HttpRequest, template: str, context: dict, until) -> HttpResponse:
    return render(request, template, {**context, "locked": locked_message(until)}, status=429)


def _portal(request: HttpRequest) -> str:
    tenant = getattr(request, "tenant", None)
    return getattr(tenant, "schema_name", "") or ""


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def code(request: HttpRequest) -> HttpResponse:
    """The code page: a right code (or recovery code) signs the pending person in."""
    waiting = second_factor.pending(request)
    if waiting is None or waiting.account is None:
        return _back_to_login(request)
    if devices.device_of(waiting.account) is None:
        return redirect("second_factor_enrol")
    template = "core/second_factor/code.html"
    form = CodeForm(request.POST or None)
    context = {"form": form, "action": reverse("second_factor_code")}
    held = waiting.unproven_sign_in
    until = devices.locked_until(waiting.account, held)
    if until is not None:
        return _locked(request, template, context, until)
    if request.method == "POST":
        if form.is_valid() and devices.check_code(
            waiting.account, form.cleaned_data["code"], _portal(request), held
        ):
            second_factor.complete(request, waiting)
            response = HttpResponseRedirect(waiting.next_url or reverse("wagtailadmin_home"))
            return second_factor.note_browser(request, response, waiting.account)
        form.errors.clear()
        form.add_error(None, WRONG_CODE)
        until = devices.locked_until(waiting.account, held)
        if until is not None:
            return _locked(request, template, context, until)
        return render(request, template, context, status=400)
    return render(request, template, context)


def enrolment_context(request: HttpRequest, account: NetworkAccount, form: forms.Form) -> dict:
    """The QR code and the key in text of the key this session is setting up (the same
    until it is confirmed: a wrong code or a reload keeps the app's entry valid)."""
    key = request.session.get(NEW_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = devices.new_key()
        request.session[NEW_KEY] = key
    uri = devices.provisioning_uri(account.email, key)
    spaced = devices.base32_key(key)
    return {
        "form": form,
        "qr_svg": devices.qr_svg(uri),
        "key_text": " ".join(spaced[i : i + 4] for i in range(0, len(spaced), 4)),
        "email": account.email,
    }


def enrol_with_code(
    request: HttpRequest, account: NetworkAccount, form: forms.Form
) -> list[str] | None:
    """Confirm this session's new key with the code of ``form``: the recovery codes, or
    None (the error is on the form)."""
    key = request.session.get(NEW_KEY)
    codes = None
    if form.is_valid() and isinstance(key, str):
        codes = devices.enrol(account, key, form.cleaned_data["code"], _portal(request))
    if codes is None:
        form.errors.clear()
        form.add_error(None, WRONG_CODE)
        return None
    request.session.pop(NEW_KEY, None)
    return codes


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Setting up the app of someone whose role requires it, between the password and the
    session: confirmed with a code, it signs them in and shows their recovery codes once."""
    waiting = second_factor.pending(request)
    if waiting is None or waiting.account is None:
        return _back_to_login(request)
    if devices.device_of(waiting.account) is not None:
        return redirect("second_factor_code")
    template = "core/second_factor/enrol.html"
    form = CodeForm(request.POST or None)
    until = devices.locked_until(waiting.account)
    if until is not None:
        return _locked(request, template, {"form": form}, until)
    if request.method == "POST":
        codes = enrol_with_code(request, waiting.account, form)
        if codes is not None:
            second_factor.complete(request, waiting)
            response = render(
                request,
                "core/second_factor/recovery_codes.html",
                {"codes": codes, "next_url": waiting.next_url or reverse("wagtailadmin_home")},
            )
            return second_factor.note_browser(request, response, waiting.account)
    # The QR code only for a form shown (again): drawing one takes 11 ms of CPU, which a
    # right code used to pay for nothing.
    context = {**enrolment_context(request, waiting.account, form), "pending": True}
    context["action"] = reverse("second_factor_enrol")
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@sensitive_post_parameters("code")
@never_cache
def turn_on(request: HttpRequest) -> HttpResponse:
    """For someone signed in (a contributor, to whom it is optional): set up the app of
    their network account. Once on, every sign-in asks for the code, at every portal.
    Nobody turns off or resets another person's second factor here: only federation
    staff and operators do (``reset_second_factor``, the network's screens)."""
    account = second_factor.proven_account(request.user)
    template = "core/second_factor/enrol.html"
    if account is None:
        return render(request, template, {"form": None, "no_account": NO_PROVEN_ACCOUNT})
    if devices.device_of(account) is not None:
        return redirect("second_factor_turn_off")
    form = CodeForm(request.POST or None)
    until = devices.locked_until(account)
    if until is not None:
        return _locked(request, template, {"form": form}, until)
    if request.method == "POST":
        codes = enrol_with_code(request, account, form)
        if codes is not None:
            return render(
                request,
                "core/second_factor/recovery_codes.html",
                {"codes": codes, "next_url": reverse("wagtailadmin_home")},
            )
    # As in ``enrol``: the QR code only for a form shown (again).
    context = {**enrolment_context(request, account, form), "action": request.path}
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@sensitive_post_parameters("code")
@never_cache
def turn_off(request: HttpRequest) -> HttpResponse:
    """For someone signed in to whom the second factor is optional everywhere (a
    contributor at every portal they belong to): turn it off, proven by a current code
    (a session left open is not enough), written to the network's journal, and the person
    told by e-mail. Whoever must have one (animator or above at any portal) cannot."""
    account = second_factor.proven_account(request.user)
    if account is None or devices.device_of(account) is None:
        return redirect("second_factor_turn_on")
    template = "core/second_factor/turn_off.html"
    if second_factor.required_anywhere(account):
        return render(request, template, {"form": None, "required": True}, status=403)
    form = CodeForm(request.POST or None)
    context = {"form": form, "action": request.path}
    until = devices.locked_until(account)
    if until is not None:
        return _locked(request, template, context, until)
    if request.method == "POST":
        if form.is_valid() and devices.check_code(
            account, form.cleaned_data["code"], _portal(request)
        ):
            devices.reset(account, request.user)
            second_factor.send_turned_off_mail(request, account)
            messages.success(request, _("La double authentification est désactivée."))
            return redirect("wagtailadmin_home")
        form.errors.clear()
        form.add_error(None, WRONG_CODE)
        return render(request, template, context, status=400)
    return render(request, template, context)
