"""The form residents fill in to add a place or a story to the map, without an account.

It carries the public forms' protections (``core.abuse``: honeypot, minimum fill time,
rate limits) and the photo rules (``core.photos``: re-encoded, no metadata). The point
comes from the map (a script fills the two coordinates); without JavaScript the resident
names the place in words and the animator places it.
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
from core.photos import clean_photo
from portal.actors.stories import MAX_TEXT, StoryKind

STORIES_PER_IP = RateLimit("actors-story-ip", limit=5, period=HOUR)
STORIES_PER_EMAIL = RateLimit("actors-story-email", limit=10, period=DAY)


class MapStoryForm(ProtectedFormMixin, forms.Form):
    """A place that matters, a memory, a problem or a wish, placed on the map."""

    kind = forms.ChoiceField(
        label=_("Vous voulez partager"),
        choices=StoryKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez ce que vous partagez.")},
    )
    title = OneLineTextField(
        label=_("Titre"),
        max_length=120,
        help_text=_("Quelques mots, par exemple « Le banc des anciens »."),
        error_messages={"required": _("Donnez un titre à votre récit.")},
    )
    text = PlainTextField(
        label=_("Votre récit"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Texte simple, 2 000 signes au plus."),
        error_messages={"required": _("Écrivez quelques lignes.")},
    )
    place_hint = PlainTextField(
        label=_("Où est-ce ?"),
        max_length=255,
        required=False,
        help_text=_(
            "Un nom de lieu ou une adresse (« square Sarah-Bernhardt », « angle rue Piat »). "
            "Jamais publié : l'équipe d'animation place le point sur la carte."
        ),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=6,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Saisissez un nombre, par exemple 48,8722.")},
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=6,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Saisissez un nombre, par exemple 2,3850.")},
    )
    photo = forms.FileField(
        label=_("Une photo (facultatif)"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 5 Mo au plus. Ses métadonnées (position…) sont effacées."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_credit = PlainTextField(
        label=_("Crédit de la photo"),
        max_length=120,
        required=False,
        help_text=_("Qui l'a prise : ce nom sera publié avec la photo."),
    )
    photo_consent = forms.BooleanField(
        label=_(
            "J'ai pris cette photo ou j'ai l'accord de son auteur, et les personnes "
            "reconnaissables ont accepté qu'elle soit publiée."
        ),
        required=False,
    )
    contributor_name = PlainTextField(
        label=_("Votre prénom ou pseudonyme (publié avec le récit)"),
        max_length=80,
        required=False,
    )
    contributor_email = VisitorEmailField(
        help_text=_(
            "Jamais affichée : elle sert à confirmer votre récit, puis à vous dire quand il "
            "est publié."
        ),
        error_messages={"required": _("Donnez votre adresse e-mail pour confirmer le récit.")},
    )

    rate_limits = [(STORIES_PER_IP, "ip"), (STORIES_PER_EMAIL, "contributor_email")]

    FIELDSETS = [
        (_("Votre récit"), ["kind", "title", "text"]),
        (_("Où"), ["place_hint", "latitude", "longitude"]),
        (_("Une photo"), ["photo", "photo_credit", "photo_consent"]),
        (_("Vous"), ["contributor_name", "contributor_email"]),
    ]

    @property
    def fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """The visible fields in groups: (key, legend, fields)."""
        keys = ["story", "where", "photo", "you"]
        return [
            (key, legend, [self[name] for name in names])
            for key, (legend, names) in zip(keys, self.FIELDSETS, strict=True)
        ]

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return clean_photo(upload) if upload else None

    def clean(self) -> dict:
        # Checked before the protections' own clean, which counts a submission against the
        # rate limits only when it has no error: correcting a mistake costs nothing.
        cleaned = self.cleaned_data
        has_latitude = cleaned.get("latitude") is not None
        has_longitude = cleaned.get("longitude") is not None
        if has_latitude != has_longitude and not {"latitude", "longitude"} & set(self.errors):
            self.add_error(
                "longitude" if has_latitude else "latitude",
                _("Donnez la latitude et la longitude, ou aucune des deux."),
            )
        elif not has_latitude and not cleaned.get("place_hint") and "place_hint" not in self.errors:
            self.add_error(
                "place_hint",
                _("Dites où c'est : touchez la carte, ou écrivez un nom de lieu ou une adresse."),
            )
        if cleaned.get("photo"):
            if not cleaned.get("photo_credit"):
                self.add_error("photo_credit", _("Dites qui a pris la photo."))
            if not cleaned.get("photo_consent"):
                self.add_error(
                    "photo_consent",
                    _("Cochez cette case pour envoyer la photo, ou retirez la photo."),
                )
        return super().clean()
