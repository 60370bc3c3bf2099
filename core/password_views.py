"""The portal's password link, making the chosen password the person's network password."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from wagtail.admin.views import account

from tenants.network_login import set_network_password


class PasswordResetConfirmView(account.PasswordResetConfirmView):
    """Wagtail's "choose a new password" (reset and invitation links): the link proves the
    person reads the account's e-mail, so the password chosen becomes their network
    password at every portal, whatever this portal held before (docs/accounts.md)."""

    def form_valid(self, form: forms.Form) -> HttpResponse:
        response = super().form_valid(form)
        set_network_password(form.user, form.user.password)
        return response
