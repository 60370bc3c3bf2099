"""An animator opens the admin's "Fédiverse" menu: who follows the portal from Mastodon,
and what could not be delivered (fediverse/wagtail_hooks.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from fediverse.factories import DeliveryFailureFactory, FollowerFactory
from fediverse.models import DeliveryFailure, Follower
from tests.browser.conftest import animator_login, log_into_admin
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = [1280, 360]


@pytest.fixture(scope="module")
def fediverse_rows(alpha, django_db_blocker) -> Iterator[str]:
    """A follower and a failed delivery, and the animator's user name, committed for the
    live server's thread."""
    with django_db_blocker.unblock():
        username = animator_login(alpha, PASSWORD)
    with django_db_blocker.unblock(), schema_context(alpha.schema_name):
        FollowerFactory(
            actor_id="https://mastodon.example/users/samia", handle="@samia@mastodon.example"
        )
        DeliveryFailureFactory()
    yield username
    with django_db_blocker.unblock(), schema_context(alpha.schema_name):
        Follower.objects.all().delete()
        DeliveryFailure.objects.all().delete()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_animator_reads_followers_and_failed_deliveries(
    new_window, origin, alpha, fediverse_rows, shoot, width
) -> None:
    username = fediverse_rows
    page = new_window(viewport={"width": width, "height": 800})
    log_into_admin(page, origin(alpha), username, PASSWORD)

    page.goto(origin(alpha) + "/admin/fediverse/abonnes/")
    expect(page.locator("main")).to_contain_text("@samia@mastodon.example")
    shoot(page, f"abonnes-{width}")

    page.goto(origin(alpha) + "/admin/fediverse/echecs/")
    expect(page.locator("main")).to_contain_text("instance-en-panne.example")
    expect(page.locator("main")).to_contain_text("Publication d'un article")
    shoot(page, f"envois-en-echec-{width}")
