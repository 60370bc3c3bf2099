"""The time stamp a public form carries is good for that form, at that portal, only.

The stamp proves that a person opened the form a few seconds before sending it. Signed
with the schema and the form's name, it can no longer be fetched once from one form (or
one portal) and replayed at every other form of the network by a robot.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from classifieds.factories import ClassifiedFactory
from core.abuse import STARTED_FIELD
from tests.classifieds.conftest import SECTION, ad_form, outbox

__all__ = ["outbox"]  # the fixture

pytestmark = pytest.mark.django_db

ELSEWHERE = "ne vient pas de cette page"


def stamp_on(browser, path: str) -> str:
    """The stamp of the form a visitor's browser receives at ``path``."""
    page = browser.get(path)
    assert page.status_code == 200
    return re.search(rf'name="{STARTED_FIELD}" value="([^"]+)"', page.text).group(1)


def a_minute_later():
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=1), tick=False)


def test_a_stamp_from_another_portal_is_refused(alpha, beta, client_for, outbox):
    stamp = stamp_on(client_for(alpha), f"{SECTION}deposer/")

    with a_minute_later():
        at_beta = client_for(beta).post(
            f"{SECTION}deposer/", ad_form(beta, **{STARTED_FIELD: stamp})
        )
        at_alpha = client_for(alpha).post(
            f"{SECTION}deposer/", ad_form(alpha, **{STARTED_FIELD: stamp})
        )

    assert at_beta.status_code == 400
    assert ELSEWHERE in at_beta.text
    assert 'value="Donne vélo enfant"' in at_beta.text  # what was typed is kept
    assert at_alpha.status_code == 302


def test_a_stamp_from_another_form_is_refused(alpha, client_for, outbox):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory(title="Machine à coudre")
    contact_stamp = stamp_on(client_for(alpha), f"{SECTION}annonce/{classified.pk}/contacter/")
    post_stamp = stamp_on(client_for(alpha), f"{SECTION}deposer/")

    with a_minute_later():
        borrowed = client_for(alpha).post(
            f"{SECTION}deposer/", ad_form(alpha, **{STARTED_FIELD: contact_stamp})
        )
        its_own = client_for(alpha).post(
            f"{SECTION}deposer/", ad_form(alpha, **{STARTED_FIELD: post_stamp})
        )

    assert borrowed.status_code == 400
    assert ELSEWHERE in borrowed.text
    assert its_own.status_code == 302
