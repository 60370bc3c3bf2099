"""The "launch a media" form, with the protections of every public form (``core.abuse``):
honeypot, minimum fill time and rate limits; French errors, nothing typed lost."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.abuse import (
    DAY,
    HOUR,
    OneLineTextField,
    PlainTextField,
    ProtectedFormMixin,
    RateLimit,
    VisitorEmailField,
)
from frontdoor.models import LaunchRequest

# A few towns write in a month; a robot would write hundreds.
REQUESTS_PER_IP = RateLimit("launch-request-ip", limit=5, period=HOUR)
REQUESTS_PER_EMAIL = RateLimit("launch-request-email", limit=5, period=DAY)


class LaunchRequestForm(ProtectedFormMixin, forms.ModelForm):
    """Who writes, for which place, and what they have in mind."""

    rate_limits = [(REQUESTS_PER_IP, "ip"), (REQUESTS_PER_EMAIL, "email")]

    name = OneLineTextField(
        label=_("Votre nom"),
        max_length=120,
        error_messages={"required": _("Indiquez votre nom.")},
    )
    structure = OneLineTextField(
        label=_("Votre structure"),
        max_length=200,
        required=False,
        help_text=_("Association, centre social, MJC, collectif d'habitants… (facultatif)"),
    )
    place = OneLineTextField(
        label=_("Ville ou quartier"),
        max_length=200,
        error_messages={"required": _("Indiquez la ville ou le quartier concerné.")},
    )
    email = VisitorEmailField(
        help_text=_("Pour vous répondre ; elle n'est jamais publiée."),
        error_messages={
            "required": _("Indiquez votre adresse e-mail, pour que nous puissions répondre."),
        },
    )
    message = PlainTextField(
        label=_("Votre projet"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Qui êtes-vous, qui veut s'y mettre, ce que vous imaginez (4 000 signes au plus)."
        ),
        error_messages={"required": _("Dites-nous quelques mots de votre projet.")},
    )

    class Meta:
        model = LaunchRequest
        fields = ["name", "structure", "place", "email", "message"]

    @property
    def person_fields(self) -> list[forms.BoundField]:
        """The fields a person fills in, in order (the protections are rendered apart)."""
        return [self[name] for name in self.Meta.fields]
