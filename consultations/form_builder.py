"""The form a resident fills in: Wagtail's form builder, a 1-to-5 scale, and the abuse
protections of every public form (``core.abuse``).

The form class is built per consultation: its time stamp is signed for that consultation
at that portal, and its rate limits count answers per consultation (a household may
answer several consultations in one evening, but not flood one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from core.abuse import (
    DAY,
    EMAIL_INVALID,
    HONEYPOT_FIELD,
    HOUR,
    ProtectedFormMixin,
    RateLimit,
    VisitorEmailField,
    normalised_email,
)

if TYPE_CHECKING:
    from consultations.models import ConsultationField, ConsultationPage

# The e-mail asked when answers are counted one per confirmed address. Its name is not a
# label an animator would write in French, so no question of theirs takes it.
CONFIRMATION_EMAIL_FIELD = "confirmation_email"
SCALE_POINTS = 5

# Anonymous answers: a family or a community centre shares an address, hence ten a day.
ANSWERS_PER_IP = RateLimit("consultations-ip", limit=10, period=DAY)
# Each answer by e-mail sends one: a few a day per address and per consultation.
ANSWERS_PER_EMAIL = RateLimit("consultations-email", limit=3, period=DAY)
# Across every consultation of the portal, from one address.
ANSWERS_PER_IP_HOURLY = RateLimit("consultations-ip-hour", limit=20, period=HOUR)


class ConsultationFormBase(ProtectedFormMixin, BaseForm):
    """A consultation's form: Wagtail's base form with the abuse protections.

    ``rate_limits`` identities are counted per consultation (the page's id in the key).
    """

    def _identity(self, who: str, cleaned: dict) -> str:
        # "ip-any": the visitor's address, for the portal-wide limit (every consultation).
        if who == "ip-any":
            return super()._identity("ip", cleaned)
        identity = super()._identity(who, cleaned)
        return f"{self.page.pk if self.page else 0}:{identity}" if identity else identity

    @property
    def question_fields(self) -> list[forms.BoundField]:
        """The animator's questions, then the confirmation address (never the protections)."""
        return [field for field in self.visible_fields() if field.name != HONEYPOT_FIELD]

    def email_key(self) -> str:
        """The normalised spelling of the confirmation address (one answer per mailbox)."""
        return normalised_email(self.cleaned_data.get(CONFIRMATION_EMAIL_FIELD, ""))


class ConsultationFormBuilder(FormBuilder):
    """Wagtail's builder, with French messages, a scale and the confirmation address."""

    def get_field_options(self, field: ConsultationField) -> dict:
        options = super().get_field_options(field)
        options["error_messages"] = {"required": _("Répondez à cette question.")}
        return options

    def create_scale_field(self, field: ConsultationField, options: dict) -> forms.Field:
        """A radio choice from 1 to 5; the question's choices, when given, name the two
        ends ("Pas du tout, Tout à fait")."""
        ends = [end for end in self.get_formatted_field_choices(field) if end[0]]
        choices = [(str(n), str(n)) for n in range(1, SCALE_POINTS + 1)]
        if len(ends) == 2:
            choices[0] = ("1", f"1 ({ends[0][1]})")
            choices[-1] = (str(SCALE_POINTS), f"{SCALE_POINTS} ({ends[1][1]})")
        options["choices"] = choices
        options["initial"] = None
        options.setdefault("widget", forms.RadioSelect)
        return forms.ChoiceField(**options)

    def create_singleline_field(self, field: ConsultationField, options: dict) -> forms.Field:
        options["max_length"] = 255
        return forms.CharField(**options)

    def create_multiline_field(self, field: ConsultationField, options: dict) -> forms.Field:
        options["max_length"] = 3000
        options.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        return forms.CharField(**options)

    def create_email_field(self, field: ConsultationField, options: dict) -> forms.Field:
        options["error_messages"]["invalid"] = EMAIL_INVALID
        return forms.EmailField(**options)

    def get_form_class(self, page: ConsultationPage | None = None) -> type[forms.Form]:
        """The form class of ``page``: its questions, and by e-mail the address to confirm."""
        fields = dict(self.formfields)
        attrs: dict[str, object] = {
            **fields,
            "form_name": f"consultation-{page.pk if page else 0}",
            "rate_limits": [(ANSWERS_PER_IP, "ip"), (ANSWERS_PER_IP_HOURLY, "ip-any")],
        }
        if page is not None and page.by_email:
            attrs[CONFIRMATION_EMAIL_FIELD] = VisitorEmailField(
                help_text=_(
                    "Pour confirmer votre réponse : elle compte une fois le lien reçu ouvert. "
                    "Elle n'est jamais affichée."
                ),
                error_messages={
                    "required": _("Indiquez votre adresse e-mail pour confirmer votre réponse.")
                },
            )
            attrs["rate_limits"] = [
                *attrs["rate_limits"],
                (ANSWERS_PER_EMAIL, CONFIRMATION_EMAIL_FIELD),
            ]
        return type("ConsultationForm", (ConsultationFormBase,), attrs)
