"""What a resident may choose to receive, and the form field that offers it."""

from __future__ import annotations

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """The subjects of a portal's newsletter a resident picks from."""

    NEWS = "news", _("Les actualités du quartier")
    AGENDA = "agenda", _("L'agenda : tables rondes, ateliers, formations")
    CLASSIFIEDS = "classifieds", _("Les petites annonces de la semaine")
    RADIO = "radio", _("La radio et la webTV")


ALL_TOPICS = list(Topic.values)


class TopicsField(ArrayField):
    """A list of topics, edited as checkboxes (an array field's default form is a text box)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("base_field", models.CharField(max_length=20, choices=Topic.choices))
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: object) -> forms.Field:
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": Topic.choices,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
        }
        defaults.update(kwargs)
        # Skip ArrayField.formfield (SimpleArrayField): the checkboxes give a list already.
        return models.Field.formfield(self, **defaults)
