"""The contact relay: the author gets the message, nobody gets anybody's address."""

import pytest
from django_tenants.utils import schema_context

from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified
from tests.classifieds.conftest import SECTION, contact_form

pytestmark = pytest.mark.django_db


def test_message_reaches_the_author_with_the_sender_as_reply_to(alpha, client_for, outbox):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory(title="Machine à coudre", author_email="ines@example.org")
    browser = client_for(alpha)

    form = browser.get(f"{SECTION}annonce/{classified.pk}/contacter/")
    sent = browser.post(f"{SECTION}annonce/{classified.pk}/contacter/", contact_form())
    detail = browser.get(sent["Location"])

    assert form.status_code == 200
    assert sent.status_code == 302
    assert "transmis" in detail.text
    [message] = outbox
    assert message.to == ["ines@example.org"]
    assert message.reply_to == ["karim@example.net"]
    assert "le vélo est-il toujours disponible" in message.body
    assert "Machine à coudre" in message.subject


def test_the_author_address_is_in_no_page(alpha, client_for):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory(title="Machine à coudre", author_email="ines@example.org")
    browser = client_for(alpha)

    pages = [
        browser.get(SECTION),
        browser.get(f"{SECTION}annonce/{classified.pk}/"),
        browser.get(f"{SECTION}annonce/{classified.pk}/contacter/"),
        browser.get(f"{SECTION}annonce/{classified.pk}/signaler/"),
        browser.get(f"{SECTION}rss/"),
        browser.post(f"{SECTION}annonce/{classified.pk}/contacter/", contact_form(message="")),
    ]

    for page in pages:
        # Each page does show the ad (a page that lost it would pass the check below).
        assert "Machine à coudre" in page.content.decode()
        assert "ines@example.org" not in page.content.decode()


def test_an_ad_to_be_phoned_shows_the_number_and_no_relay(alpha, client_for):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory(
            contact_preference=Classified.Contact.PHONE, phone="06 12 34 56 78"
        )
    browser = client_for(alpha)

    detail = browser.get(f"{SECTION}annonce/{classified.pk}/")
    relay = browser.get(f"{SECTION}annonce/{classified.pk}/contacter/")

    assert "06 12 34 56 78" in detail.text
    assert relay.status_code == 404


def test_an_ad_no_longer_published_cannot_be_contacted(alpha, client_for, outbox):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory(status=Classified.Status.WITHDRAWN)

    response = client_for(alpha).post(
        f"{SECTION}annonce/{classified.pk}/contacter/", contact_form()
    )

    assert response.status_code == 404
    assert outbox == []
