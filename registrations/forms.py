"""The registration form of an event page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.abuse import DAY, HOUR, PlainTextField, ProtectedFormMixin, RateLimit, VisitorEmailField
from registrations.models import MAX_PEOPLE

REGISTRATIONS_PER_IP = RateLimit("registrations-ip", limit=10, period=HOUR)
REGISTRATIONS_PER_EMAIL = RateLimit("registrations-email", limit=5, period=DAY)


class RegistrationForm(ProtectedFormMixin, forms.Form):
    """Who comes, how many, and what would make the event accessible to them."""

    name = PlainTextField(label=_("Votre nom"), max_length=120)
    email = VisitorEmailField(
        help_text=_("Pour la confirmation, le lien d'annulation et le rappel la veille."),
    )
    people = forms.IntegerField(
        label=_("Nombre de personnes, vous compris"),
        min_value=1,
        max_value=MAX_PEOPLE,
        initial=1,
        error_messages={
            "invalid": _("Saisissez un nombre, par exemple 2."),
            "min_value": _("Au moins une personne."),
            "max_value": _("%(limit_value)s personnes au plus par inscription."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    accessibility_needs = PlainTextField(
        label=_("Besoins d'accessibilité (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Fauteuil roulant, interprète LSF, boucle magnétique, garde d'enfants…"),
    )

    rate_limits = [(REGISTRATIONS_PER_IP, "ip"), (REGISTRATIONS_PER_EMAIL, "email")]
