"""A proposal's photo is private until an animator decides: no public address serves it,
another portal's animator never sees it, this portal's animators see it in the admin."""

import importlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from PIL import Image

from proposals.models import Proposal, ProposalPhoto
from tests.conftest import PASSWORD, logged_in
from tests.proposals.conftest import QUEUE, SECTION, photo, subject_form

pytestmark = pytest.mark.django_db


def _pending_photo(portal, client_for, title: str) -> ProposalPhoto:
    """A resident's proposal with one photo, sent and not yet confirmed nor moderated."""
    form = subject_form(portal, title=title, photo_1=photo("balcon.jpg"), credit_1="Awa K.")
    assert client_for(portal).post(f"{SECTION}sujet/", form).status_code == 302
    with schema_context(portal.schema_name):
        proposal = Proposal.objects.get(title=title)
        assert proposal.status == Proposal.Status.AWAITING_CONFIRMATION
        return proposal.photos.get()


def _photo_view(photo: ProposalPhoto) -> str:
    return f"{QUEUE}photo/{photo.pk}/"


def test_a_pending_photo_has_no_public_address(alpha, client_for):
    photo = _pending_photo(alpha, client_for, "Mon balcon fleuri")
    with schema_context(alpha.schema_name):
        public_url = photo.image.url

    assert photo.image.name.startswith("private/")
    assert public_url.startswith("/media/")
    assert client_for(alpha).get(public_url).status_code == 404
    # The same file asked for with the folder spelled differently: still nothing.
    relative = public_url.removeprefix(f"/media/{alpha.schema_name}/")
    assert client_for(alpha).get(f"/media/{alpha.schema_name}//{relative}").status_code == 404


def test_the_admin_photo_view_refuses_visitors_and_contributors(alpha, client_for):
    photo = _pending_photo(alpha, client_for, "Le balcon d'en face")
    with schema_context(alpha.schema_name):
        contributor = get_user_model().objects.create_user(
            username="redactrice-propositions", email="red@example.org", password=PASSWORD
        )
        contributor.groups.add(Group.objects.get(name="Contributeurs"))

    for outsider in (client_for(alpha), logged_in(client_for(alpha), contributor)):
        refused = outsider.get(_photo_view(photo))
        assert refused.status_code in (302, 403)  # to the login, or the admin's refusal
        assert not refused["Content-Type"].startswith("image/")


def test_another_portals_animator_never_gets_the_photo(alpha, beta, client_for, animator_of):
    photo = _pending_photo(alpha, client_for, "Balcon d'Alpha")
    with schema_context(beta.schema_name):
        ProposalPhoto.objects.filter(pk=photo.pk).delete()  # no namesake at beta
    at_beta = logged_in(client_for(beta), animator_of(beta))

    through_beta = at_beta.get(_photo_view(photo))
    # Beta's session cookie sent to alpha's host: alpha does not know it.
    beta_cookie_at_alpha = client_for(alpha)
    beta_cookie_at_alpha.cookies = at_beta.cookies
    through_alpha = beta_cookie_at_alpha.get(_photo_view(photo))

    assert through_beta.status_code == 404
    assert through_alpha.status_code == 302 and "/admin/login/" in through_alpha["Location"]


def test_the_portals_animator_sees_the_photo_on_the_decision_page(alpha, client_for, animator_of):
    photo = _pending_photo(alpha, client_for, "Balcon à décider")
    animator = logged_in(client_for(alpha), animator_of(alpha))

    screen = animator.get(f"{QUEUE}traiter/{photo.proposal_id}/").text
    shown = animator.get(_photo_view(photo))

    assert f'src="{_photo_view(photo)}"' in screen and "Crédit : Awa K." in screen
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert "no-store" in shown["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(shown.streaming_content))).size == (64, 48)


def test_the_migration_moves_photos_stored_publicly_before(alpha, client_for, animator_of):
    photo = _pending_photo(alpha, client_for, "Balcon d'avant")
    migration = importlib.import_module("proposals.migrations.0002_private_photos")
    with schema_context(alpha.schema_name):
        storage = photo.image.storage
        with photo.image.open("rb") as source:
            old_name = storage.save("proposals/2026/11/ancien.jpg", ContentFile(source.read()))
        ProposalPhoto.objects.filter(pk=photo.pk).update(image=old_name)
        public_url = storage.url(old_name)
    assert client_for(alpha).get(public_url).status_code == 200  # the flaw being fixed

    from django.apps import apps

    with schema_context(alpha.schema_name):
        migration.move_photos(apps, None)
        migration.move_photos(apps, None)  # a second run finds nothing to do
        photo.refresh_from_db()
        moved = photo.image.name
        assert moved.startswith("private/proposals/2026/11/")
        assert not storage.exists(old_name) and storage.exists(moved)

    assert client_for(alpha).get(public_url).status_code == 404
    animator = logged_in(client_for(alpha), animator_of(alpha))
    assert animator.get(_photo_view(photo)).status_code == 200
