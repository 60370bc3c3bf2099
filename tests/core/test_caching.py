"""One key scheme for every cache of a portal: a deploy, or a change of anything a feature
registers as shown on pages, forgets what was kept."""

import pytest
from wagtail import hooks

from core.extension_points import SHOWN_ON_PAGES
from core.page_cache import HEADER
from tests.newsletter.conftest import active_subscriber

pytestmark = pytest.mark.django_db


def test_a_new_release_never_serves_pages_cached_by_the_previous_one(alpha, client_for, settings):
    visitor = client_for(alpha)
    visitor.get("/")
    assert visitor.get("/")[HEADER] == "HIT"

    settings.CACHE_RELEASE = "une-version-deployee-ensuite"
    after_deploy = visitor.get("/")

    assert after_deploy[HEADER] == "MISS"
    assert visitor.get("/")[HEADER] == "HIT"


def test_rows_of_a_model_refresh_pages_once_its_app_registers_it_as_shown(alpha, client_for):
    visitor = client_for(alpha)
    visitor.get("/")
    active_subscriber(alpha, "samia@example.org")  # newsletter: declared not shown
    not_registered = visitor.get("/")

    with hooks.register_temporarily(SHOWN_ON_PAGES, lambda: ["newsletter.Subscriber"]):
        active_subscriber(alpha, "leon@example.org")
        registered = visitor.get("/")

    assert not_registered[HEADER] == "HIT"
    assert registered[HEADER] == "MISS"
