"""The form visitors fill in to join a project seed ("Je veux participer").

It carries the same protections as the classifieds' (``core.abuse``): honeypot, minimum
fill time and rate limits, with errors in French and nothing typed lost.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.abuse import DAY, HOUR, OneLineTextField, PlainTextField, ProtectedFormMixin, RateLimit

# An action group hears from a few residents a month; a robot would write hundreds.
JOINS_PER_IP = RateLimit("seeds-join-ip", limit=10, period=HOUR)
JOINS_PER_EMAIL = RateLimit("seeds-join-email", limit=10, period=DAY)


class JoinSeedForm(ProtectedFormMixin, forms.Form):
    """ "I want to join": relayed by e-mail to the seed's action group."""

    # One line: it goes into the subject of the group's e-mail.
    name = OneLineTextField(label=_("Votre nom"), max_length=80)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_("Le groupe vous répondra à cette adresse ; elle n'est pas affichée."),
    )
    message = PlainTextField(
        label=_("Ce que vous aimeriez apporter (facultatif)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    rate_limits = [(JOINS_PER_IP, "ip"), (JOINS_PER_EMAIL, "email")]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
