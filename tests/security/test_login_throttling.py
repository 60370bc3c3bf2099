"""Guessing a password in a portal's admin is stopped after a few tries, per account and
per address, at that portal only; the person locked out is told why, in French."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LIMIT = settings.AXES_FAILURE_LIMIT


def attempt(client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(
    alpha, animator_of, client_for
):
    animator = animator_of(alpha)
    for _ in range(LIMIT - 1):
        assert attempt(client_for(alpha), animator.username, "mauvais").status_code == 200
    # The failure that reaches the limit is told at once.
    assert attempt(client_for(alpha), animator.username, "mauvais").status_code == 429

    # From another address, with the right password: the account itself is locked.
    locked = attempt(client_for(alpha), animator.username, PASSWORD, address="198.51.100.9")

    assert locked.status_code == 429
    assert "Connexion bloquée" in locked.text
    assert "15 minutes" in locked.text
    assert "_auth_user_id" not in locked.client.session


def test_an_address_is_locked_after_failures_on_many_accounts(alpha, animator_of, client_for):
    animator = animator_of(alpha)
    for number in range(LIMIT):
        attempt(client_for(alpha), f"inconnu{number}", "mauvais", address="192.0.2.50")

    from_that_address = attempt(client_for(alpha), animator.username, PASSWORD, "192.0.2.50")
    from_elsewhere = attempt(client_for(alpha), animator.username, PASSWORD, "192.0.2.51")

    assert from_that_address.status_code == 429
    assert from_elsewhere.status_code == 302


def test_a_lockout_at_one_portal_locks_nobody_out_of_another(alpha, beta, animator_of, client_for):
    at_alpha = animator_of(alpha)
    at_beta = animator_of(beta)
    for _ in range(LIMIT):
        attempt(client_for(alpha), at_alpha.username, "mauvais")
        attempt(client_for(alpha), at_beta.username, "mauvais")

    # Same address, same user names, another portal: its own counters, all at zero.
    response = attempt(client_for(beta), at_beta.username, PASSWORD)

    assert response.status_code == 302
    assert attempt(client_for(alpha), at_alpha.username, PASSWORD).status_code == 429


def test_a_success_before_the_limit_resets_the_count(alpha, animator_of, client_for):
    animator = animator_of(alpha)
    for _ in range(LIMIT - 1):
        attempt(client_for(alpha), animator.username, "mauvais")
    assert attempt(client_for(alpha), animator.username, PASSWORD).status_code == 302

    for _ in range(LIMIT - 1):
        attempt(client_for(alpha), animator.username, "mauvais")

    assert attempt(client_for(alpha), animator.username, PASSWORD).status_code == 302
