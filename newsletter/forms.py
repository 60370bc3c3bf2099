"""The forms of the newsletter: subscribe (footer and section page) and choose topics."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.abuse import DAY, HOUR, ProtectedFormMixin, RateLimit, VisitorEmailField
from newsletter.topics import ALL_TOPICS, Topic

# A household subscribes once or twice; a robot, or someone flooding a neighbour's mailbox
# with confirmation e-mails, is stopped by the per-address limit.
SUBSCRIBE_PER_IP = RateLimit("newsletter-subscribe-ip", limit=10, period=HOUR)
SUBSCRIBE_PER_EMAIL = RateLimit("newsletter-subscribe-email", limit=3, period=DAY)

SOURCES = {
    "footer": _("formulaire du pied de page"),
    "page": _("formulaire de la page Infolettre"),
}


class SubscribeForm(ProtectedFormMixin, forms.Form):
    """An address and, on the newsletter page, the topics; consent is the act of sending it."""

    email = VisitorEmailField(
        help_text=_("Vous recevrez un e-mail pour confirmer : rien ne part sans votre accord."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Les sujets qui vous intéressent"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=ALL_TOPICS,
        help_text=_("Aucune case cochée : vous recevez tout."),
    )
    source = forms.ChoiceField(
        choices=[(key, key) for key in SOURCES], widget=forms.HiddenInput, initial="footer"
    )

    rate_limits = [(SUBSCRIBE_PER_IP, "ip"), (SUBSCRIBE_PER_EMAIL, "email")]

    def __init__(self, *args: object, with_topics: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not with_topics and not self.is_bound:
            del self.fields["topics"]
        if with_topics and not self.is_bound:
            self.fields["source"].initial = "page"


class TopicsForm(forms.Form):
    """The subscriber's choice of topics, on their private page."""

    topics = forms.MultipleChoiceField(
        label=_("Les sujets que vous recevez"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={
            "required": _("Cochez au moins un sujet, ou désabonnez-vous plus bas."),
            "invalid_choice": _("Ce sujet n'existe pas."),
        },
    )
