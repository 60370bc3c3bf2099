"""Forms of the network's admin screens (federation portal only)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tenants.extension_points import opening_choices
from tenants.lifecycle import TRANSITIONS
from tenants.models import Neighbourhood
from tenants.provisioning import PortalSpec


def _coordinate_field(label: str, *, bound: int, help_text: str, invalid: str) -> forms.Field:
    """An optional latitude or longitude in degrees, within ±``bound``, to five decimals
    (about a metre: enough for a neighbourhood's point on the network's map)."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=-bound,
        max_value=bound,
        decimal_places=5,
        help_text=help_text,
        error_messages={"invalid": invalid},
    )


class CreatePortalForm(forms.Form):
    """What opening a neighbourhood needs; the provisioning service does the checking."""

    name = forms.CharField(label=_("Nom du portail"), max_length=120)
    slug = forms.CharField(
        label=_("Identifiant"),
        max_length=40,
        help_text=_("Début de l'adresse du portail, par exemple « belleville »."),
    )
    city = forms.CharField(label=_("Ville"), max_length=120)
    territory = forms.CharField(
        label=_("Territoire"),
        max_length=200,
        required=False,
        help_text=_("Ce que le portail couvre, par exemple « cité du Franc-Moisin, Saint-Denis »."),
    )
    latitude = _coordinate_field(
        _("Latitude"),
        bound=90,
        help_text=_("Le point du quartier sur la carte du réseau, par exemple 48.92050."),
        invalid=_("Écrivez un nombre, par exemple 48.92050."),
    )
    longitude = _coordinate_field(
        _("Longitude"),
        bound=180,
        help_text=_("Par exemple 2.36550."),
        invalid=_("Écrivez un nombre, par exemple 2.36550."),
    )
    domain = forms.CharField(
        label=_("Nom d'hôte"),
        max_length=253,
        required=False,
        help_text=_("Laissez vide pour « <identifiant>.%(domain)s ».")
        % {"domain": settings.NETWORK_DOMAIN},
    )
    animator_email = forms.EmailField(
        label=_("E-mail du premier animateur"),
        help_text=_("Il reçoit une invitation pour choisir son mot de passe."),
    )
    carrying_structure = forms.CharField(
        label=_("Structure porteuse"), max_length=200, required=False
    )
    scic_name = forms.CharField(label=_("SCIC"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-mail de contact"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Autres langues des contenus"),
        choices=[
            (code, label)
            for code, label in settings.WAGTAIL_CONTENT_LANGUAGES
            if code != settings.LANGUAGE_CODE
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Le français est toujours inclus."),
    )

    # The service names some errors after the model's fields.
    ERROR_FIELDS = {"schema_name": "slug", "content_languages": "languages"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # What the features offer a new portal (a collection of sheets...), last.
        self.choice_keys = []
        for choice in opening_choices():
            self.fields[choice.key] = choice.field()
            self.choice_keys.append(choice.key)

    def spec(self) -> PortalSpec:
        data = self.cleaned_data
        return PortalSpec(
            name=data["name"],
            slug=data["slug"],
            city=data["city"],
            territory=data["territory"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            domain=data["domain"],
            animator_email=data["animator_email"],
            carrying_structure=data["carrying_structure"],
            scic_name=data["scic_name"],
            contact_email=data["contact_email"],
            languages=data["languages"],
            choices={key: data.get(key) for key in self.choice_keys},
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            # On the missing one, where the admin's form shows it.
            missing = "longitude" if cleaned.get("longitude") is None else "latitude"
            if missing in self.errors:  # typed but not a number: that error says it
                return cleaned
            self.add_error(
                missing, _("Donnez la latitude et la longitude ensemble, ou aucune des deux.")
            )
        return cleaned

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        """Show the service's French errors on the fields they are about."""
        for name, messages in message_dict.items():
            field = self.ERROR_FIELDS.get(name, name)
            self.add_error(field if field in self.fields else None, messages)


class DomainForm(forms.Form):
    domain = forms.CharField(label=_("Nouveau nom d'hôte"), max_length=253)


class StatusForm(forms.Form):
    """A portal's next state and why; reopening an archived portal takes a ticked box,
    as the command takes ``--unarchive`` (``tenants.lifecycle.change_status`` checks)."""

    status = forms.ChoiceField(label=_("Nouvel état"))
    reason = forms.CharField(label=_("Motif"), max_length=255)

    def __init__(self, *args, portal: Neighbourhood, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[portal.status]
        self.fields["status"].choices = [
            (value, label) for value, label in Neighbourhood.Status.choices if value in allowed
        ]
        if portal.status == Neighbourhood.Status.ARCHIVED:
            self.fields["unarchive"] = forms.BooleanField(
                label=_("Rouvrir ce portail archivé"),
                required=False,
                help_text=_(
                    "Un portail archivé est fermé pour de bon : cochez pour confirmer que "
                    "vous voulez le rouvrir au public."
                ),
            )


class DeleteForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du portail"),
        help_text=_("Tapez le nom exact du portail pour confirmer : son contenu sera effacé."),
    )
