"""The minimum time a person takes to fill in a public form is a setting, read at each check."""

import pytest

from classifieds.forms import ClassifiedPostForm
from core.abuse import STARTED_FIELD, started_stamp
from tests.classifieds.conftest import SECTION, ad_form, outbox

__all__ = ["outbox"]

pytestmark = pytest.mark.django_db


def test_a_longer_minimum_refuses_a_form_filled_in_a_minute(alpha, client_for, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 120

    response = client_for(alpha).post(f"{SECTION}deposer/", ad_form(alpha))

    assert response.status_code == 400
    assert "très vite" in response.text


def test_without_a_minimum_a_form_sent_at_once_is_accepted(alpha, client_for, settings, outbox):
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    just_opened = started_stamp(ClassifiedPostForm.stamp_name(), alpha.schema_name)

    response = client_for(alpha).post(
        f"{SECTION}deposer/", ad_form(alpha, **{STARTED_FIELD: just_opened})
    )

    assert response.status_code == 302
    assert [message.to for message in outbox] == [["samia@example.org"]]
