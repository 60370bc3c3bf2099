"""Guessing a password in a portal's admin is stopped after a few tries, per account and
address, at that portal only; the person locked out is told why, in French.

That the owner of the account, another visitor or another account is not locked out with
them: ``test_client_address.py`` (and through nginx, ``test_nginx_in_front.py``)."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LIMIT = settings.AXES_FAILURE_LIMIT


def attempt(client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_visitor_is_locked_out_of_an_account_after_repeated_failures_even_with_the_right_password(
    alpha, animator_of, client_for
):
    animator = animator_of(alpha)
    for _ in range(LIMIT - 1):
        assert attempt(client_for(alpha), animator.username, "mauvais").status_code == 200
    # The failure that reaches the limit is told at once.
    assert attempt(client_for(alpha), animator.username, "mauvais").status_code == 429

    # From the same address, with the right password: still locked.
    locked = attempt(client_for(alpha), animator.username, PASSWORD)

    assert locked.status_code == 429
    assert "Connexion bloquée" in locked.text
    assert "15 minutes" in locked.text
    assert "_auth_user_id" not in locked.client.session


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


@pytest.mark.parametrize("address", ["", "pas-une-adresse"])
def test_a_server_that_gives_no_peer_address_still_signs_in_and_still_throttles(
    alpha, animator_of, client_for, address
):
    """Behind a Unix socket, the server may pass no peer address (``REMOTE_ADDR`` empty):
    the sign-in works, and guesses are still stopped, counted for the account alone."""
    animator = animator_of(alpha)

    assert attempt(client_for(alpha), animator.username, PASSWORD, address).status_code == 302
    for _ in range(LIMIT - 1):
        assert attempt(client_for(alpha), animator.username, "mauvais", address).status_code == 200
    assert attempt(client_for(alpha), animator.username, "mauvais", address).status_code == 429
