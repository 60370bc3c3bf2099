"""The forms visitors fill in: post or edit an ad, contact its author, report it, filter."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from classifieds.models import MAX_PHOTOS, Classified, ClassifiedCategory
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

# Generous for a neighbour, tight for a robot: a portal's whole neighbourhood posts a few
# dozen ads a week.
POSTS_PER_IP = RateLimit("classifieds-post-ip", limit=5, period=HOUR)
POSTS_PER_EMAIL = RateLimit("classifieds-post-email", limit=5, period=DAY)
CONTACTS_PER_IP = RateLimit("classifieds-contact-ip", limit=10, period=HOUR)
CONTACTS_PER_EMAIL = RateLimit("classifieds-contact-email", limit=20, period=DAY)
REPORTS_PER_IP = RateLimit("classifieds-report-ip", limit=10, period=DAY)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to four photos in one file input, each checked and re-encoded (``photos.py``)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(
                _("Quatre photos au maximum : vous en avez choisi %(count)d."),
                params={"count": len(uploads)},
            )
        errors: list[ValidationError] = []
        photos = []
        for upload in uploads:
            super().clean(upload, initial)
            try:
                photos.append(clean_photo(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return photos


class ClassifiedFieldsForm(forms.ModelForm):
    """What an author writes, for posting and for editing."""

    kind = forms.ChoiceField(
        label=_("Vous"), choices=Classified.Kind.choices, widget=forms.RadioSelect
    )
    category = forms.ModelChoiceField(
        label=_("Catégorie"),
        queryset=ClassifiedCategory.objects.all(),
        empty_label=_("Choisissez une catégorie"),
        error_messages={"invalid_choice": _("Choisissez une catégorie de la liste.")},
    )
    # One line: it goes into the subject of the e-mails about the ad.
    title = OneLineTextField(label=_("Titre"), max_length=120)
    text = PlainTextField(
        label=_("Texte de l'annonce"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("3 000 caractères au plus. Texte simple : les liens ne sont pas cliquables."),
    )
    price_kind = forms.ChoiceField(
        label=_("Prix"), choices=Classified.PriceKind.choices, widget=forms.RadioSelect
    )
    area = PlainTextField(
        label=_("Secteur du quartier"),
        max_length=80,
        required=False,
        help_text=_("Une rue, une place, un ensemble : jamais votre adresse exacte."),
    )
    contact_preference = forms.ChoiceField(
        label=_("Comment être contacté·e"),
        choices=Classified.Contact.choices,
        widget=forms.RadioSelect,
    )
    phone = forms.RegexField(
        label=_("Téléphone"),
        regex=r"^\+?[0-9 .-]{6,20}$",
        required=False,
        error_messages={
            "invalid": _("Saisissez un numéro de téléphone, par exemple 06 12 34 56 78.")
        },
        help_text=_("Seulement si vous choisissez d'être appelé·e : il sera affiché."),
    )
    author_name = PlainTextField(
        label=_("Votre nom ou pseudonyme"),
        max_length=80,
        help_text=_("Affiché avec l'annonce."),
    )

    class Meta:
        model = Classified
        fields = [
            "kind",
            "category",
            "title",
            "text",
            "price_kind",
            "price",
            "area",
            "contact_preference",
            "phone",
            "author_name",
        ]
        labels = {"price": _("Montant en euros")}
        error_messages = {
            "price": {"invalid": _("Saisissez un montant en euros, par exemple 15 ou 7,50.")}
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["price"].localize = True
        self.fields["price"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["price"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("price_kind") == Classified.PriceKind.AMOUNT:
            if cleaned.get("price") is None and "price" not in self.errors:
                self.add_error("price", _("Indiquez le montant, ou choisissez « Gratuit »."))
        else:
            cleaned["price"] = None
        if cleaned.get("contact_preference") == Classified.Contact.PHONE:
            if not cleaned.get("phone") and "phone" not in self.errors:
                self.add_error("phone", _("Indiquez le numéro où vous joindre."))
        else:
            cleaned["phone"] = ""
        return cleaned


class ClassifiedPostForm(ProtectedFormMixin, ClassifiedFieldsForm):
    """The public form to post an ad without an account."""

    author_email = VisitorEmailField(
        help_text=_(
            "Jamais affichée. Vous y recevrez le lien pour confirmer, puis gérer, votre annonce."
        ),
    )
    photos = PhotosField(
        label=_("Photos (facultatif)"),
        required=False,
        help_text=_("Jusqu'à 4 photos JPEG, PNG ou WebP de 5 Mo au plus chacune."),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que mon annonce soit publiée après relecture par l'équipe d'animation, "
            "et effacée à sa fin de vie."
        ),
        error_messages={"required": _("Cochez cette case pour déposer votre annonce.")},
    )

    rate_limits = [(POSTS_PER_IP, "ip"), (POSTS_PER_EMAIL, "author_email")]

    class Meta(ClassifiedFieldsForm.Meta):
        fields = [*ClassifiedFieldsForm.Meta.fields, "author_email"]


class ClassifiedEditForm(ClassifiedFieldsForm):
    """The author's form, from their private link (the e-mail address stays as it is)."""

    photos = PhotosField(
        label=_("Remplacer les photos (facultatif)"),
        required=False,
        help_text=_("Si vous en choisissez, elles remplacent toutes les photos actuelles."),
    )


class ContactForm(ProtectedFormMixin, forms.Form):
    """A message to an ad's author, relayed by e-mail: neither side sees the other's address
    until the author answers."""

    sender_name = PlainTextField(label=_("Votre nom"), max_length=80)
    sender_email = VisitorEmailField(
        help_text=_("L'auteur·rice de l'annonce pourra vous répondre à cette adresse."),
    )
    message = PlainTextField(
        label=_("Votre message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )

    rate_limits = [(CONTACTS_PER_IP, "ip"), (CONTACTS_PER_EMAIL, "sender_email")]


class ReportForm(ProtectedFormMixin, forms.Form):
    """A visitor tells the animators something is wrong with an ad."""

    reason = PlainTextField(
        label=_("Qu'est-ce qui ne va pas ?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Arnaque, propos blessants, objet interdit, annonce en double…"),
    )

    rate_limits = [(REPORTS_PER_IP, "ip")]


class ListingFilterForm(forms.Form):
    """The filters of the public listing (all optional; anything odd is ignored)."""

    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Offres et demandes")), *Classified.Kind.choices],
    )
    category = forms.ModelChoiceField(
        label=_("Catégorie"),
        required=False,
        queryset=ClassifiedCategory.objects.all(),
        to_field_name="slug",
        empty_label=_("Toutes les catégories"),
    )
    q = PlainTextField(label=_("Mots"), required=False, max_length=100)
