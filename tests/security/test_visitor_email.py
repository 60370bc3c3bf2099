"""Every public form asks for the visitor's address the same way (``VisitorEmailField``):
the same French help when it is mistyped, and one spelling however it was typed."""

import pytest
from django import forms

from classifieds.forms import ClassifiedPostForm, ContactForm
from frontdoor.forms import LaunchRequestForm
from newsletter.forms import SubscribeForm
from portal.actors.forms import ActorProposalForm
from portal.actors.story_forms import MapStoryForm
from portal.workshops.forms import JoinSeedForm
from proposals.forms import ProposalForm
from reactions.forms import ReactionForm
from registrations.forms import RegistrationForm

ADDRESS_FIELDS = [
    (ClassifiedPostForm, "author_email"),
    (ContactForm, "sender_email"),
    (LaunchRequestForm, "email"),
    (SubscribeForm, "email"),
    (ActorProposalForm, "proposer_email"),
    (MapStoryForm, "contributor_email"),
    (JoinSeedForm, "email"),
    (ProposalForm, "email"),
    (ReactionForm, "email"),
    (RegistrationForm, "email"),
]


@pytest.mark.parametrize(("form", "name"), ADDRESS_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_a_mistyped_address_is_answered_with_an_example_in_french(form, name):
    field = form.base_fields[name]

    with pytest.raises(forms.ValidationError) as refused:
        field.clean("marie.dupont-chez-free.fr")

    assert refused.value.messages == [
        "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr."
    ]


@pytest.mark.parametrize(("form", "name"), ADDRESS_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_an_address_typed_with_capitals_and_spaces_is_kept_in_one_spelling(form, name):
    field = form.base_fields[name]

    assert field.clean("  Marie.Dupont@Free.FR ") == "marie.dupont@free.fr"
    assert field.widget.attrs["autocomplete"] == "email"
