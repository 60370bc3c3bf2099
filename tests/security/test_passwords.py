"""Admin passwords are checked (length, common, numeric, like the user), in French."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("court1", "trop court"),
        ("motdepasse", "trop courant"),
        ("20242025202", "entièrement numérique"),
    ],
)
def test_weak_passwords_are_refused_with_a_french_reason(password, expected):
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert any(expected in message for message in refused.value.messages)


def test_a_long_unusual_password_is_accepted():
    validate_password("un-mot-de-passe-solide")
