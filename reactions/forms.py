"""The forms visitors fill in: react to a page, report a reaction."""

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
from reactions.models import MAX_TEXT

REACTIONS_PER_IP = RateLimit("reactions-ip", limit=10, period=HOUR)
REACTIONS_PER_EMAIL = RateLimit("reactions-email", limit=20, period=DAY)
REPORTS_PER_IP = RateLimit("reactions-report-ip", limit=10, period=DAY)


class ReactionForm(ProtectedFormMixin, forms.Form):
    """A name, an e-mail address (never shown) and the reaction."""

    name = OneLineTextField(
        label=_("Votre nom"),
        max_length=80,
        help_text=_("Il sera affiché avec votre réaction. Un prénom suffit."),
        error_messages={"required": _("Indiquez votre nom, ou un prénom.")},
    )
    email = VisitorEmailField(
        help_text=_("Jamais affichée. Elle sert à confirmer votre réaction."),
    )
    text = PlainTextField(
        label=_("Votre réaction"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Écrivez votre réaction."),
            "max_length": _(
                "%(limit_value)d caractères au plus (vous en avez écrit %(show_value)d)."
            ),
        },
    )

    rate_limits = [(REACTIONS_PER_IP, "ip"), (REACTIONS_PER_EMAIL, "email")]


class ReportForm(ProtectedFormMixin, forms.Form):
    """Why a reaction should be read again by the team."""

    reason = PlainTextField(
        label=_("Pourquoi signalez-vous cette réaction ?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Dites en quelques mots ce qui pose problème.")},
    )

    rate_limits = [(REPORTS_PER_IP, "ip")]
