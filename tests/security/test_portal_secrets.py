"""Private links carry their portal's own secret: a portal opened again under the slug of
a deleted one, or a copy made by import, never honours the old portal's links."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified
from classifieds.tokens import confirmation_token
from newsletter import tokens as newsletter_tokens
from newsletter.models import Subscriber
from tenants.factories import PortalSpecFactory
from tenants.models import Neighbourhood
from tenants.provisioning import provision_neighbourhood
from tests.classifieds.conftest import SECTION

# Each test runs in a transaction rolled back at its end: portals made here vanish with it.
pytestmark = pytest.mark.django_db

SLUG = "recycle"


def settle_deferred_checks() -> None:
    """Run the foreign-key checks PostgreSQL defers to the commit now, as a commit would:
    a schema whose rows have checks pending cannot be dropped in the same transaction
    (in real life, a portal is opened and deleted in two)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def open_portal() -> Neighbourhood:
    spec = PortalSpecFactory(slug=SLUG, name="Portail recyclé")
    return provision_neighbourhood(spec).neighbourhood


def delete_portal(portal: Neighbourhood) -> None:
    settle_deferred_checks()
    with schema_context(get_public_schema_name()):
        portal.delete(force_drop=True)


def links_of_a_deleted_portal() -> tuple[Neighbourhood, int, dict[str, str]]:
    """A portal with an ad awaiting confirmation and a subscriber, the links they were
    sent, then the portal deleted and opened again under the same slug, with an ad and a
    subscriber of the same ids."""
    old = open_portal()
    with schema_context(SLUG):
        ad = ClassifiedFactory(status=Classified.Status.AWAITING_CONFIRMATION)
        subscriber = Subscriber.objects.create(email="voisine@example.org")
        links = {
            "confirm": f"{SECTION}confirmer/{confirmation_token(ad.pk)}/",
            "manage": "/abonnement/gerer/"
            f"{newsletter_tokens.make_token(newsletter_tokens.MANAGE, subscriber.pk)}/",
        }
    delete_portal(old)
    new = open_portal()
    with schema_context(SLUG):
        again = ClassifiedFactory(status=Classified.Status.AWAITING_CONFIRMATION)
        Classified.objects.filter(pk=again.pk).update(id=ad.pk)
        other = Subscriber.objects.create(email="autre@example.org")
        Subscriber.objects.filter(pk=other.pk).update(id=subscriber.pk)
    return new, ad.pk, links


def test_an_old_confirmation_link_does_not_confirm_an_ad_of_the_new_portal(client_for):
    new, ad_id, links = links_of_a_deleted_portal()

    response = client_for(new).post(links["confirm"])

    assert response.status_code == 404
    assert "Ce lien ne fonctionne pas" in response.text
    with schema_context(SLUG):
        assert Classified.objects.get(pk=ad_id).status == (Classified.Status.AWAITING_CONFIRMATION)


def test_an_old_newsletter_link_does_not_open_a_subscriber_of_the_new_portal(client_for):
    new, _ad_id, links = links_of_a_deleted_portal()

    response = client_for(new).get(links["manage"])

    assert response.status_code == 404
    assert "Ce lien n'est pas valable" in response.text
    assert "autre@example.org" not in response.text


def test_a_new_portal_honours_its_own_links(client_for):
    # Positive control: the same links, made by the portal itself, work.
    portal = open_portal()
    with schema_context(SLUG):
        ad = ClassifiedFactory(status=Classified.Status.AWAITING_CONFIRMATION)
        link = f"{SECTION}confirmer/{confirmation_token(ad.pk)}/"

    response = client_for(portal).post(link)

    assert response.status_code == 200
    with schema_context(SLUG):
        assert Classified.objects.get(pk=ad.pk).status != Classified.Status.AWAITING_CONFIRMATION


def test_an_invitation_of_the_source_portal_does_not_open_its_imported_copy(
    alpha, tmp_path, client_for, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from tenants.invitations import set_password_url
    from tenants.portability import export_portal, import_portal

    with schema_context(alpha.schema_name):
        animator = get_user_model().objects.get(groups__name="Animateurs")
    link = urlsplit(set_password_url(alpha, animator)).path
    archive = export_portal(alpha, tmp_path / "alpha.tar.gz")
    with django_capture_on_commit_callbacks(execute=True):
        copy = import_portal(archive, "copie", domain="copie.localhost", name="Copie")

    at_source = client_for(alpha).get(link)
    at_copy = client_for(copy).get(link)

    assert at_source.status_code == 302  # valid: on to the form choosing the password
    assert at_copy.status_code == 200
    assert at_copy.context["validlink"] is False


def test_a_forgotten_password_link_still_works_on_its_own_portal(alpha, animator_of, client_for):
    # Positive control for the reset e-mail: made and read with the portal's secret.
    from django.core import mail

    user = animator_of(alpha)
    browser = client_for(alpha)

    browser.post("/admin/password_reset/", {"email": user.email})
    [message] = mail.outbox
    link = urlsplit(next(w for w in message.body.split() if "/confirm/" in w)).path

    assert browser.get(link).status_code == 302
