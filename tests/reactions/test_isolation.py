"""A reaction of portal A is never seen at B, its links are dead at B, and B's animator
cannot decide it; a contributor cannot moderate; a private page's reactions stay on it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from reactions.models import Reaction
from reactions.tokens import address_cookie, confirmation_token
from tests.conftest import PASSWORD, logged_in
from tests.reactions.conftest import article, reaction_form

pytestmark = pytest.mark.django_db

Status = Reaction.Status


def _published(portal, page, text, status=Status.PUBLISHED):
    with schema_context(portal.schema_name):
        return Reaction.objects.create(
            page_id=page.pk, name="Samia", email="s@example.org", text=text, status=status
        )


def test_a_reaction_of_a_is_never_at_b_and_its_links_are_dead_there(alpha, beta, client_for):
    page_a = article(alpha, title="Même titre", slug="meme-titre")
    page_b = article(beta, title="Même titre", slug="meme-titre")
    secret = _published(alpha, page_a, "Réaction du quartier A")
    unconfirmed = _published(alpha, page_a, "À confirmer en A", status=Status.UNCONFIRMED)
    with schema_context(alpha.schema_name):
        token = confirmation_token(unconfirmed.pk)
    at_b = client_for(beta)

    assert "Réaction du quartier A" not in at_b.get(page_b.page_url).text
    assert "Réaction du quartier A" not in at_b.get(page_b.page_url + "reactions/rss/").text
    assert at_b.post(page_b.page_url + f"reactions/confirmer/{token}/").status_code == 404
    assert at_b.get(page_b.page_url + f"reactions/{secret.pk}/signaler/").status_code == 404
    with schema_context(alpha.schema_name):
        assert Reaction.objects.get(pk=unconfirmed.pk).status == Status.UNCONFIRMED


def test_a_cookie_of_a_does_not_vouch_for_an_address_at_b(alpha, beta, client_for):
    from reactions.models import ReactionAddress

    page_b = article(beta)
    with schema_context(alpha.schema_name):
        cookie = address_cookie("ada@example.org")
    with schema_context(beta.schema_name):
        ReactionAddress.objects.create(email="ada@example.org", confirmed_at="2026-01-01T00:00Z")
    at_b = client_for(beta)
    at_b.cookies["reactions_adresse"] = cookie

    at_b.post(page_b.page_url + "reactions/", reaction_form(beta, email="ada@example.org"))

    with schema_context(beta.schema_name):
        assert Reaction.objects.get(email="ada@example.org").status == Status.UNCONFIRMED


def test_bs_animator_cannot_approve_as_reaction(alpha, beta, client_for, animator_of):
    page_a = article(alpha)
    pending = _published(alpha, page_a, "En attente en A", status=Status.PENDING)
    animator_b = logged_in(client_for(beta), animator_of(beta))

    answer = animator_b.post(f"/admin/reactions/moderer/{pending.pk}/", {"decision": "approve"})
    bulk = animator_b.post(f"/admin/bulk/reactions/reaction/approve_reactions/?id={pending.pk}", {})

    assert answer.status_code in (302, 404) and bulk.status_code in (302, 404)
    with schema_context(alpha.schema_name):
        assert Reaction.objects.get(pk=pending.pk).status == Status.PENDING


def test_a_contributor_cannot_moderate_reactions(alpha, client_for):
    page = article(alpha)
    pending = _published(alpha, page, "À modérer", status=Status.PENDING)
    with schema_context(alpha.schema_name):
        user = get_user_model().objects.create_user("contributrice", password=PASSWORD)
        user.groups.add(*Group.objects.filter(name="Contributeurs"))
    browser = logged_in(client_for(alpha), user)

    assert browser.get(f"/admin/reactions/moderer/{pending.pk}/").status_code in (302, 403)
    browser.post(f"/admin/reactions/moderer/{pending.pk}/", {"decision": "approve"})
    browser.post(f"/admin/bulk/reactions/reaction/approve_reactions/?id={pending.pk}", {})
    browser.post(f"/admin/reactions/page/{page.pk}/")

    with schema_context(alpha.schema_name):
        assert Reaction.objects.get(pk=pending.pk).status == Status.PENDING
    assert "Réagir" in client_for(alpha).get(page.page_url).text


def test_a_private_pages_reactions_never_leave_it(alpha, client_for):
    page = article(alpha, title="Article réservé")
    _published(alpha, page, "Réaction confidentielle")
    with schema_context(alpha.schema_name):
        PageViewRestriction.objects.create(
            page_id=page.pk, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    visitor = client_for(alpha)

    for path in (page.page_url, page.page_url + "reactions/rss/", "/actualites/rss/", "/"):
        assert "Réaction confidentielle" not in visitor.get(path).text
    assert "Article réservé" not in visitor.get("/actualites/rss/").text
