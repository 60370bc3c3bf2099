"""The forms of the action groups: a visitor's "Je veux participer", and what the group's
contact does from the group's page (write to the members, post news, change progress).

The join form carries the same protections as the classifieds' (``core.abuse``):
honeypot, minimum fill time and rate limits, with errors in French and nothing typed
lost. The group's forms are behind a signed link; its messages are rate-limited per group.
"""

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
from portal.workshops.models import ProjectSeed

# An action group hears from a few residents a month; a robot would write hundreds.
JOINS_PER_IP = RateLimit("seeds-join-ip", limit=10, period=HOUR)
JOINS_PER_EMAIL = RateLimit("seeds-join-email", limit=10, period=DAY)


class JoinSeedForm(ProtectedFormMixin, forms.Form):
    """ "I want to join": relayed by e-mail to the seed's action group."""

    # One line: it goes into the subject of the group's e-mail.
    name = OneLineTextField(label=_("Votre nom"), max_length=80)
    email = VisitorEmailField(
        help_text=_("Le groupe vous répondra à cette adresse ; elle n'est pas affichée."),
    )
    message = PlainTextField(
        label=_("Ce que vous aimeriez apporter (facultatif)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    consent = forms.BooleanField(
        label=_(
            "J'accepte que le portail garde mon nom et mon adresse pour ce groupe, et que le "
            "groupe m'écrive par le portail."
        ),
        error_messages={"required": _("Cochez cette case pour rejoindre le groupe.")},
    )

    rate_limits = [(JOINS_PER_IP, "ip"), (JOINS_PER_EMAIL, "email")]


# A group writes to its members now and then; more would be a mailing list.
GROUP_MESSAGES_PER_DAY = RateLimit("seeds-group-message", limit=5, period=DAY)


class GroupMessageForm(forms.Form):
    """The group writes to its members: relayed one by one, no address shown."""

    subject = OneLineTextField(label=_("Objet"), max_length=120)
    message = PlainTextField(
        label=_("Message aux membres"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class GroupUpdateForm(forms.Form):
    """News of the project, shown on the seed's page once approved."""

    text = PlainTextField(
        label=_("Nouvelle du projet"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Publiée sur la page du projet après validation par l'équipe d'animation."),
    )


class GroupProgressForm(forms.Form):
    """Where the project stands and what comes next, shown at once."""

    status = forms.ChoiceField(label=_("État du projet"), choices=ProjectSeed.Status.choices)
    next_steps = PlainTextField(
        label=_("Prochaines étapes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
