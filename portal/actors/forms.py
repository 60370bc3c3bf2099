"""The forms visitors fill in on the actors' directory: its filters, and proposing an actor.

Filters accept anything and ignore what they cannot use; the proposal form carries the
same protections as the classifieds' (``core.abuse``): honeypot, minimum fill
time and rate limits, with errors in French and nothing typed lost.
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
from portal.actors.models import Actor, ActorProposal, ActorTag
from portal.actors.stories import StoryKind

# A neighbourhood proposes a few actors a month; a robot would propose hundreds.
PROPOSALS_PER_IP = RateLimit("actors-proposal-ip", limit=5, period=HOUR)
PROPOSALS_PER_EMAIL = RateLimit("actors-proposal-email", limit=10, period=DAY)


def theme_choices() -> list[tuple[str, str]]:
    """The themes the portal's actors carry, by name: (slug, name)."""
    themes = (
        ActorTag.objects.values_list("tag__slug", "tag__name")
        .distinct()
        .order_by("tag__name", "tag__slug")
    )
    return list(themes)


class DirectoryFilterForm(forms.Form):
    """The directory's filters: all optional; a value that is not offered is ignored."""

    type = forms.ChoiceField(
        label=_("Type d'acteur"),
        required=False,
        choices=[("", _("Tous les types")), *Actor.Kind.choices],
        error_messages={"invalid_choice": _("Ce type n'existe pas : tous les types sont montrés.")},
    )
    theme = forms.ChoiceField(
        label=_("Thème"),
        required=False,
        error_messages={
            "invalid_choice": _("Ce thème n'existe pas : tous les thèmes sont montrés.")
        },
    )
    q = PlainTextField(label=_("Nom, adresse ou mot-clé"), required=False, max_length=100)
    montrer = forms.ChoiceField(
        label=_("Montrer"),
        required=False,
        choices=[
            ("", _("Les acteurs et les récits")),
            ("acteurs", _("Les acteurs seulement")),
            ("recits", _("Les récits des habitants seulement")),
        ],
        error_messages={"invalid_choice": _("Ce choix n'existe pas : tout est montré.")},
    )
    recit = forms.ChoiceField(
        label=_("Récits"),
        required=False,
        choices=[("", _("Tous les récits")), *StoryKind.choices],
        error_messages={"invalid_choice": _("Ce type de récit n'existe pas : tous sont montrés.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Tous les thèmes")), *theme_choices()]

    def filters(self) -> dict[str, str]:
        """The valid filters, by name (invalid ones left out)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        names = ("type", "theme", "q", "montrer", "recit")
        return {name: cleaned.get(name) or "" for name in names}


# The proposal form's groups, each shown with its own legend; the form's fields follow.
PROPOSAL_FIELDSETS = [
    (_("L'acteur"), ["name", "kind", "themes", "description"]),
    (
        _("Où et comment le joindre"),
        [
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "website",
            "public_email",
            "public_phone",
        ],
    ),
    (_("Vous"), ["message", "proposer_name", "proposer_email"]),
]


class ActorProposalForm(ProtectedFormMixin, forms.ModelForm):
    """The public form to propose a new actor, or a correction of an existing one."""

    # One line: it goes into the subject of the animators' e-mail.
    name = OneLineTextField(label=_("Nom de l'acteur"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=Actor.Kind.choices,
        error_messages={"invalid_choice": _("Choisissez un type de la liste.")},
    )
    themes = PlainTextField(
        label=_("Thèmes"),
        max_length=255,
        required=False,
        help_text=_("Séparés par des virgules, par exemple « jeunesse, sport »."),
    )
    description = PlainTextField(
        label=_("Présentation"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que fait cet acteur, pour qui. Texte simple."),
    )
    address = PlainTextField(label=_("Adresse"), max_length=255, required=False)
    opening_hours = PlainTextField(
        label=_("Horaires d'ouverture"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.URLField(
        label=_("Site web"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Saisissez une adresse web, par exemple https://…")},
    )
    public_phone = forms.RegexField(
        label=_("Téléphone public"),
        regex=r"^\+?[0-9 .-]{6,20}$",
        required=False,
        error_messages={
            "invalid": _("Saisissez un numéro de téléphone, par exemple 01 23 45 67 89.")
        },
    )
    message = PlainTextField(
        label=_("Un mot pour l'équipe d'animation (facultatif)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pour une correction : ce qui a changé, et comment vous le savez."),
    )
    proposer_name = PlainTextField(label=_("Votre nom ou pseudonyme"), max_length=80)
    proposer_email = VisitorEmailField(
        help_text=_("Jamais affichée : l'équipe ne l'utilise que pour vous poser une question."),
    )

    rate_limits = [(PROPOSALS_PER_IP, "ip"), (PROPOSALS_PER_EMAIL, "proposer_email")]

    class Meta:
        model = ActorProposal
        fields = [name for _legend, names in PROPOSAL_FIELDSETS for name in names]
        labels = {
            "latitude": _("Latitude (facultatif)"),
            "longitude": _("Longitude (facultatif)"),
            "public_email": _("E-mail public de l'acteur"),
        }
        help_texts = {"latitude": _("Par exemple 48,8722 : l'équipe peut la compléter.")}
        error_messages = {
            "latitude": {"invalid": _("Saisissez un nombre, par exemple 48,8722.")},
            "longitude": {"invalid": _("Saisissez un nombre, par exemple 2,3850.")},
            "public_email": {"invalid": _("Saisissez une adresse e-mail valide.")},
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].localize = True
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})

    @property
    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The visible fields in groups, each rendered with its own legend."""
        return [(legend, [self[name] for name in names]) for legend, names in PROPOSAL_FIELDSETS]

    def clean(self) -> dict:
        cleaned = super().clean()
        has_latitude = cleaned.get("latitude") is not None
        has_longitude = cleaned.get("longitude") is not None
        if has_latitude != has_longitude and not {"latitude", "longitude"} & set(self.errors):
            self.add_error(
                "longitude" if has_latitude else "latitude",
                _("Donnez la latitude et la longitude, ou aucune des deux."),
            )
        return cleaned


# An actor's own link: a handful of updates a year; more is someone replaying the link.
ENTRY_UPDATES_PER_IP = RateLimit("actors-entry-ip", limit=10, period=HOUR)

ENTRY_FIELDSETS = [
    PROPOSAL_FIELDSETS[0],
    PROPOSAL_FIELDSETS[1],
    (_("Pour l'équipe d'animation"), ["message"]),
]


class ActorEntryForm(ActorProposalForm):
    """The form an actor reaches from its signed link: its public entry, to change.

    The link stands for the actor: no name or address of the sender is asked."""

    proposer_name = None
    proposer_email = None
    rate_limits = [(ENTRY_UPDATES_PER_IP, "ip")]

    class Meta(ActorProposalForm.Meta):
        fields = [name for _legend, names in ENTRY_FIELDSETS for name in names]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = _("Ce qui a changé, si c'est utile de le dire.")

    @property
    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in ENTRY_FIELDSETS]


class ActorRemovalForm(ProtectedFormMixin, forms.Form):
    """Asking that the actor's entry leave the directory (a POST, so that a mail client
    opening links ahead of its reader asks nothing)."""

    message = PlainTextField(
        label=_("Pourquoi ? (facultatif, pour l'équipe d'animation)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rate_limits = [(ENTRY_UPDATES_PER_IP, "ip")]
