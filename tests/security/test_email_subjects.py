"""A line break typed into a name that becomes an e-mail's subject is refused in French.

Django refuses to send a header holding a line break (``BadHeaderError``: a visitor could
otherwise add ``Bcc:`` lines). Before, that surfaced as a 500 after the form was accepted;
now the fields that go into a subject hold one line, and say so, and a subject built from
an older row that holds one is folded onto one line.
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified
from portal.factories import WorkshopPageFactory
from portal.models import ActorProposal, ProjectSeed
from tests.classifieds.conftest import SECTION, ad_form, contact_form, outbox
from tests.portal.test_actor_proposals import PROPOSE, proposal_form
from tests.portal.test_workshops import join_form

__all__ = ["outbox"]  # the fixture

pytestmark = pytest.mark.django_db

SMUGGLED = "Karim\nBcc: tout-le-monde@example.org"
ONE_LINE = "sur une seule ligne"


@pytest.fixture
def seed(alpha) -> ProjectSeed:
    with schema_context(alpha.schema_name):
        page = WorkshopPageFactory(
            title="Atelier sujets",
            slug="atelier-sujets",
            seeds=[ProjectSeed(title="Jardin partagé", contact_email="jardin@example.org")],
        )
        page.save_revision().publish()
        return ProjectSeed.objects.get(title="Jardin partagé")


@pytest.fixture
def visitor(alpha, client_for):
    browser = client_for(alpha)
    browser.raise_request_exception = False  # a 500 is an answer the visitor would get
    return browser


def test_a_line_break_in_the_name_of_someone_joining_a_seed_is_refused(seed, visitor, outbox):
    url = f"/graines-de-projet/graine/{seed.pk}/rejoindre/"

    refused = visitor.post(url, join_form(name=SMUGGLED))
    accepted = visitor.post(url, join_form(name="Karim Benali"))

    assert refused.status_code == 400
    assert ONE_LINE in refused.text
    assert accepted.status_code == 302
    # Only the confirmation link goes out, and its subject carries nothing typed.
    [message] = outbox
    assert "\n" not in message.subject
    assert "Karim" not in message.subject


def test_a_line_break_in_a_proposed_actor_s_name_is_refused(
    alpha, visitor, animator_of, outbox, django_capture_on_commit_callbacks
):
    animator_of(alpha)

    with django_capture_on_commit_callbacks(execute=True):
        refused = visitor.post(PROPOSE, proposal_form(name="Repair café\nBcc: x@example.org"))
        accepted = visitor.post(PROPOSE, proposal_form(name="Repair café des Rives"))

    assert refused.status_code == 400
    assert ONE_LINE in refused.text
    assert accepted.status_code == 302
    with schema_context(alpha.schema_name):
        assert [p.name for p in ActorProposal.objects.all()] == ["Repair café des Rives"]
    assert ["Repair café des Rives" in message.subject for message in outbox] == [True]


def test_a_line_break_in_an_ad_s_title_is_refused(alpha, visitor, outbox):
    refused = visitor.post(f"{SECTION}deposer/", ad_form(alpha, title="Vélo\nBcc: x@example.org"))

    assert refused.status_code == 400
    assert ONE_LINE in refused.text
    with schema_context(alpha.schema_name):
        assert not Classified.objects.filter(title__startswith="Vélo\n").exists()


def test_contacting_an_older_ad_whose_title_holds_a_line_break_still_works(alpha, visitor, outbox):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory(title="Vélo\nrouge", author_email="ines@example.org")

    sent = visitor.post(f"{SECTION}annonce/{classified.pk}/contacter/", contact_form())

    assert sent.status_code == 302
    [message] = outbox
    assert "Vélo rouge" in message.subject


def test_joining_a_seed_whose_title_holds_a_line_break_still_works(alpha, visitor, outbox):
    # review2: the seed's title is typed by an editor (a contributor's draft included) and
    # goes into the subject as it is (portal/workshops/seeds.py), like an event's title in the
    # registrations' confirmations (registrations/notifications.py).
    with schema_context(alpha.schema_name):
        page = WorkshopPageFactory(
            title="Atelier titres",
            slug="atelier-titres",
            seeds=[ProjectSeed(title="Jardin\npartagé", contact_email="jardin@example.org")],
        )
        page.save_revision().publish()
        seed = ProjectSeed.objects.get(title="Jardin\npartagé")

    sent = visitor.post(
        f"/graines-de-projet/graine/{seed.pk}/rejoindre/", join_form(name="Karim Benali")
    )

    assert sent.status_code == 302
    [message] = outbox
    assert "Jardin partagé" in message.subject
