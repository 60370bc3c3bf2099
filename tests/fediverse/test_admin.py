"""The animators of a portal, and they alone, see who follows it and what failed to go
out; another portal's animators see none of it."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from fediverse.factories import DeliveryFailureFactory, FollowerFactory
from fediverse.models import Follower
from tenants.factories import PortalAccountFactory
from tenants.group_names import CONTRIBUTORS
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

FOLLOWERS = "/admin/fediverse/abonnes/"
FAILURES = "/admin/fediverse/echecs/"


def _follower_and_failure(portal, handle: str) -> None:
    with schema_context(portal.schema_name):
        FollowerFactory(
            actor_id=f"https://masto.example/users/{handle}", handle=f"@{handle}@masto.example"
        )
        DeliveryFailureFactory(inbox=f"https://panne-{handle}.example/inbox")


def test_an_animator_sees_the_portals_followers_and_failed_deliveries(
    alpha, client_for, animator_of
):
    _follower_and_failure(alpha, "samia")
    animator = logged_in(client_for(alpha), animator_of(alpha))

    followers = animator.get(FOLLOWERS)
    failures = animator.get(FAILURES)

    assert followers.status_code == 200 and "@samia@masto.example" in followers.text
    assert failures.status_code == 200 and "panne-samia.example" in failures.text
    assert f"{FOLLOWERS}new/" not in followers.text  # nobody adds a follower by hand


def test_bs_animator_sees_nothing_of_as_followers(alpha, beta, client_for, animator_of):
    _follower_and_failure(alpha, "karim")
    animator_b = logged_in(client_for(beta), animator_of(beta))
    with schema_context(alpha.schema_name):
        follower = Follower.objects.get(handle="@karim@masto.example")

    listing = animator_b.get(FOLLOWERS)
    one = animator_b.get(f"{FOLLOWERS}inspect/{follower.pk}/")
    removal = animator_b.post(f"{FOLLOWERS}delete/{follower.pk}/")

    assert "karim" not in listing.text and "panne-karim" not in animator_b.get(FAILURES).text
    assert one.status_code == 404 and removal.status_code == 404
    with schema_context(alpha.schema_name):
        assert Follower.objects.filter(pk=follower.pk).exists()


def test_a_contributor_sees_neither_list(alpha, client_for):
    _follower_and_failure(alpha, "lucie")
    with schema_context(alpha.schema_name):
        writer = PortalAccountFactory(
            username="plume-fedi@example.org", password=PASSWORD, roles=[CONTRIBUTORS]
        )
    browser = logged_in(client_for(alpha), writer)

    for address in (FOLLOWERS, FAILURES):
        answer = browser.get(address)
        assert answer.status_code in (302, 403)
        assert "lucie" not in answer.text


def test_nobody_adds_nor_edits_a_follower_by_hand(alpha, client_for, animator_of):
    _follower_and_failure(alpha, "jo")
    animator = logged_in(client_for(alpha), animator_of(alpha))
    with schema_context(alpha.schema_name):
        follower = Follower.objects.get(handle="@jo@masto.example")

    added = animator.post(f"{FOLLOWERS}new/", {"handle": "@intrus@evil.example"})
    edited = animator.post(f"{FOLLOWERS}edit/{follower.pk}/", {"handle": "@intrus@evil.example"})

    assert added.status_code in (302, 403, 404) and edited.status_code in (302, 403, 404)
    with schema_context(alpha.schema_name):
        assert not Follower.objects.filter(handle="@intrus@evil.example").exists()
