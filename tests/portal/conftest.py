"""Helpers for the portal's tests: public forms filled in by a person, a logged-in animator."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.classifieds.conftest import form_opened_a_minute_ago
from tests.conftest import logged_in
from tests.portal.ical_server import _feed_server, feeds

__all__ = ["_feed_server", "feeds", "form_opened_a_minute_ago", "logged_in"]


@pytest.fixture
def outbox() -> list[mail.EmailMessage]:
    """Django's locmem outbox, emptied for the test."""
    mail.outbox = []
    return mail.outbox
