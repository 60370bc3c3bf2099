"""The public forms: propose a subject, propose an event (no account, abuse-protected).

Photos come in three fixed slots, each a file and its credit: no JavaScript is needed to
add one, and a screen reader hears which credit goes with which photo.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
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
from proposals.lifecycle import PhotoUpload
from proposals.models import MAX_PHOTOS, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Proposal

# A neighbourhood proposes a few subjects a week: generous for a person, tight for a robot.
PROPOSALS_PER_IP = RateLimit("proposals-ip", limit=5, period=HOUR)
PROPOSALS_PER_EMAIL = RateLimit("proposals-email", limit=5, period=DAY)

# How far ahead an event may be proposed.
FURTHEST_EVENT_DAYS = 2 * 365
LONGEST_EVENT_DAYS = 31

ACCEPTED_IMAGES = "image/jpeg,image/png,image/webp"


class ProposalForm(ProtectedFormMixin, forms.Form):
    """What both forms ask: a title, a text, up to three photos, who proposes, consents."""

    title = OneLineTextField(label=_("Titre"), max_length=TITLE_MAX_LENGTH)
    text = PlainTextField(
        label=_("Votre texte"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("5 000 caractères au plus. Texte simple : les liens ne sont pas cliquables."),
    )
    name = OneLineTextField(label=_("Votre nom ou pseudonyme"), max_length=80)
    email = VisitorEmailField(
        help_text=_(
            "Jamais affichée. Vous y recevrez le lien pour confirmer votre proposition, puis "
            "les réponses de l'équipe d'animation."
        ),
    )
    credit_consent = forms.TypedChoiceField(
        label=_("Votre nom peut-il apparaître avec la publication ?"),
        choices=[
            ("oui", _("Oui, « proposé par » suivi de mon nom")),
            ("non", _("Non, restez discrets")),
        ],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites si votre nom peut apparaître, oui ou non.")},
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que l'équipe d'animation lise ma proposition, me réponde par e-mail et "
            "la conserve le temps de la traiter."
        ),
        error_messages={"required": _("Cochez cette case pour envoyer votre proposition.")},
    )

    rate_limits = [(PROPOSALS_PER_IP, "ip"), (PROPOSALS_PER_EMAIL, "email")]
    kind_choices: list[tuple[str, str]] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_PHOTOS + 1):
            self.fields[f"photo_{number}"] = forms.FileField(
                label=_("Photo %(number)d (facultatif)") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs={"accept": ACCEPTED_IMAGES}),
                help_text=_("JPEG, PNG ou WebP, 5 Mo au plus."),
            )
            self.fields[f"credit_{number}"] = OneLineTextField(
                label=_("Crédit de la photo %(number)d") % {"number": number},
                required=False,
                max_length=120,
                help_text=_("Qui l'a prise : « Samia B. », « Association Les Lilas »…"),
            )

    def photo_slots(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The (photo, credit) fields of each slot, for the template."""
        return [(self[f"photo_{n}"], self[f"credit_{n}"]) for n in range(1, MAX_PHOTOS + 1)]

    def other_fields(self) -> list[forms.BoundField]:
        """The visible fields but the photos and the protections, in order."""
        skip = {"site_web"} | {f"{kind}_{n}" for kind in ("photo", "credit") for n in range(1, 4)}
        return [field for field in self.visible_fields() if field.name not in skip]

    def clean(self) -> dict:
        # The form's own checks first: the protections count a submission against the
        # rate limits only when nothing else is wrong with it.
        photos = self.check_fields(self.cleaned_data)
        cleaned = super().clean()
        cleaned["photos"] = photos
        return cleaned

    def check_fields(self, cleaned: dict) -> list[PhotoUpload]:
        """Check what the fields alone cannot (errors added to the fields); return the
        photos, cleaned, with their credits."""
        photos = []
        for number in range(1, MAX_PHOTOS + 1):
            photo = self._one_photo(number)
            credit = cleaned.get(f"credit_{number}") or ""
            if photo is None:
                continue
            if not credit and f"credit_{number}" not in self.errors:
                self.add_error(
                    f"credit_{number}",
                    _("Indiquez qui a pris la photo %(number)d (le crédit est publié avec).")
                    % {"number": number},
                )
            else:
                photos.append(PhotoUpload(photo, credit))
        return photos

    def _one_photo(self, number: int):
        """The cleaned photo of slot ``number``, or None; errors go to the slot's field."""
        name = f"photo_{number}"
        if name in self.errors:
            return None
        uploads = self.files.getlist(name) if hasattr(self.files, "getlist") else []
        if len(uploads) > 1:
            self.add_error(
                name,
                _(
                    "Une seule photo par emplacement, trois au plus en tout : vous en avez "
                    "choisi %(count)d ici."
                )
                % {"count": len(uploads)},
            )
            return None
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        try:
            return clean_photo(upload)
        except ValidationError as error:
            self.add_error(name, error)
            return None

    def proposal(self) -> Proposal:
        """The unsaved proposal the valid form describes."""
        data = self.cleaned_data
        return Proposal(
            title=data["title"],
            text=data["text"],
            name=data["name"],
            email=data["email"],
            credit_consent=data["credit_consent"],
        )


class SubjectProposalForm(ProposalForm):
    """ "Proposer un sujet": a story idea, a testimony or a piece of news."""

    kind = forms.ChoiceField(
        label=_("Vous proposez"),
        choices=[
            (Proposal.Kind.STORY, _("une idée de sujet")),
            (Proposal.Kind.TESTIMONY, _("un témoignage")),
            (Proposal.Kind.NEWS, _("une information")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez ce que vous proposez."),
            "invalid_choice": _("Choisissez une idée de sujet, un témoignage ou une information."),
        },
    )

    field_order = ["kind", "title", "text"]

    def proposal(self) -> Proposal:
        proposal = super().proposal()
        proposal.kind = self.cleaned_data["kind"]
        return proposal


class EventProposalForm(ProposalForm):
    """ "Proposer un événement": what, when, where, who organises it."""

    start = forms.DateTimeField(
        label=_("Début"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Le jour et l'heure, par exemple 14/03/2027 18:30."),
        error_messages={
            "required": _("Indiquez le jour et l'heure du début."),
            "invalid": _("Saisissez une date et une heure, par exemple 14/03/2027 18:30."),
        },
    )
    end = forms.DateTimeField(
        label=_("Fin"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Indiquez le jour et l'heure de la fin."),
            "invalid": _("Saisissez une date et une heure, par exemple 14/03/2027 20:00."),
        },
    )
    place = PlainTextField(
        label=_("Lieu"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Le nom du lieu sur la première ligne, son adresse sur la suivante."),
    )
    organiser = OneLineTextField(
        label=_("Organisé par"),
        max_length=200,
        help_text=_("Une association, un collectif, un commerce, des habitants…"),
    )

    field_order = ["title", "start", "end", "place", "organiser", "text"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("Nom de l'événement")
        self.fields["text"].label = _("Description")
        # datetime-local sends "2027-03-14T18:30"; people typing send "14/03/2027 18:30".
        formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M"]
        self.fields["start"].input_formats = formats
        self.fields["end"].input_formats = formats

    def check_fields(self, cleaned: dict) -> list[PhotoUpload]:
        start, end = cleaned.get("start"), cleaned.get("end")
        now = timezone.now()
        if start and start < now:
            self.add_error("start", _("Cette date est passée : proposez un événement à venir."))
        elif start and start > now + datetime.timedelta(days=FURTHEST_EVENT_DAYS):
            self.add_error("start", _("Proposez un événement des deux prochaines années."))
        if start and end:
            if end <= start:
                self.add_error("end", _("La fin doit venir après le début."))
            elif end - start > datetime.timedelta(days=LONGEST_EVENT_DAYS):
                self.add_error("end", _("Un événement dure un mois au plus : vérifiez la fin."))
        return super().check_fields(cleaned)

    def proposal(self) -> Proposal:
        proposal = super().proposal()
        data = self.cleaned_data
        proposal.kind = Proposal.Kind.EVENT
        proposal.start, proposal.end = data["start"], data["end"]
        proposal.place, proposal.organiser = data["place"], data["organiser"]
        return proposal
