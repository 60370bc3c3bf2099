"""No test asks a video or sound provider on the Internet for an embed (tests/settings.py):
a provider added to ``radio.embeds.PROVIDERS`` without its endpoint there would make the
demo's seeding wait on it on a connected machine, and store a player where CI stores a
link."""

from __future__ import annotations

from urllib.parse import urlsplit

from radio.embeds import PROVIDERS
from tests import settings as test_settings


def test_every_provider_is_asked_on_the_loopback_in_tests():
    endpoints = test_settings.RADIO_OEMBED_ENDPOINTS

    assert {provider.key for provider in PROVIDERS} <= set(endpoints)
    assert {urlsplit(endpoint).hostname for endpoint in endpoints.values()} == {"127.0.0.1"}
