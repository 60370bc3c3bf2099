"""Behind the proxy, each visitor is counted under their own address, which they cannot
choose: login lockouts per account and address, public forms' limits per visitor.

Requests come from 127.0.0.1 (nginx on the same machine, a trusted proxy) carrying the
``X-Forwarded-For`` nginx sends, or straight from a visitor's address.
The same scenarios through the real nginx configuration: ``test_nginx_in_front.py``.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from classifieds.forms import POSTS_PER_IP
from tests.classifieds.conftest import SECTION, ad_form
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LIMIT = settings.AXES_FAILURE_LIMIT
NGINX = "127.0.0.1"


def attempt(client, username: str, password: str, *, peer: str = NGINX, forwarded: str = ""):
    """A login sent from ``peer``, with nginx's ``X-Forwarded-For`` when given."""
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    data = {"username": username, "password": password}
    return client.post(LOGIN, data, REMOTE_ADDR=peer, **headers)


def test_failures_of_one_visitor_behind_the_proxy_do_not_lock_another(
    alpha, animator_of, client_for
):
    animator = animator_of(alpha)
    for _ in range(LIMIT):
        attempt(client_for(alpha), animator.username, "mauvais", forwarded="203.0.113.7")

    guesser = attempt(client_for(alpha), animator.username, PASSWORD, forwarded="203.0.113.7")
    owner = attempt(client_for(alpha), animator.username, PASSWORD, forwarded="198.51.100.9")

    assert guesser.status_code == 429
    assert owner.status_code == 302


def test_a_visitor_cannot_choose_their_address_by_sending_x_forwarded_for(
    alpha, animator_of, client_for
):
    animator = animator_of(alpha)
    # nginx appends the address it sees; whatever the visitor wrote stays on the left.
    for number in range(LIMIT):
        forwarded = f"10.9.9.{number}, 203.0.113.7"
        attempt(client_for(alpha), animator.username, "mauvais", forwarded=forwarded)

    spoofing = attempt(
        client_for(alpha), animator.username, PASSWORD, forwarded="192.0.2.200, 203.0.113.7"
    )
    owner = attempt(client_for(alpha), animator.username, PASSWORD, forwarded="198.51.100.9")

    assert spoofing.status_code == 429
    assert owner.status_code == 302


def test_x_forwarded_for_from_a_visitor_who_is_not_the_proxy_is_ignored(
    alpha, animator_of, client_for
):
    animator = animator_of(alpha)
    visitor = "203.0.113.7"  # connects straight to the application, forging the header
    for number in range(LIMIT):
        forged = f"198.51.100.{number}"
        attempt(client_for(alpha), animator.username, "mauvais", peer=visitor, forwarded=forged)

    again = attempt(
        client_for(alpha), animator.username, PASSWORD, peer=visitor, forwarded="198.51.100.9"
    )
    owner = attempt(client_for(alpha), animator.username, PASSWORD, forwarded="198.51.100.9")

    assert again.status_code == 429
    assert owner.status_code == 302


def test_ipv6_visitors_are_counted_by_their_64_network(alpha, animator_of, client_for):
    animator = animator_of(alpha)
    # One household or one attacker holds a whole /64: changing the last bits changes nothing.
    for number in range(LIMIT):
        attempt(
            client_for(alpha), animator.username, "mauvais", forwarded=f"2001:db8:1:2::{number}"
        )

    same_network = attempt(
        client_for(alpha), animator.username, PASSWORD, forwarded="2001:db8:1:2:abcd::1"
    )
    next_network = attempt(
        client_for(alpha), animator.username, PASSWORD, forwarded="2001:db8:1:3::1"
    )

    assert same_network.status_code == 429
    assert next_network.status_code == 302


def test_garbage_in_x_forwarded_for_is_answered_normally(alpha, animator_of, client_for):
    animator = animator_of(alpha)

    for forwarded in ("pas-une-adresse", "<script>", "999.1.1.1", "::ffff:zz", ",,, ,"):
        wrong = attempt(client_for(alpha), f"inconnu-{forwarded}", "mauvais", forwarded=forwarded)
        assert wrong.status_code == 200

    assert attempt(client_for(alpha), animator.username, PASSWORD).status_code == 302


def test_failures_on_one_account_do_not_lock_the_address_out_of_another(
    alpha, animator_of, client_for
):
    animator = animator_of(alpha)
    for _ in range(LIMIT):
        attempt(client_for(alpha), "voisin-oublieux", "mauvais", forwarded="192.0.2.50")

    other_account = attempt(client_for(alpha), animator.username, PASSWORD, forwarded="192.0.2.50")

    assert other_account.status_code == 302


def test_public_form_limits_count_each_visitor_behind_the_proxy(alpha, client_for):
    def post(forwarded: str, number: int):
        data = ad_form(alpha, author_email=f"voisin{forwarded}-{number}@example.org")
        return client_for(alpha).post(
            f"{SECTION}deposer/", data, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded
        )

    accepted = [post("203.0.113.7", number).status_code for number in range(POSTS_PER_IP.limit)]
    flooding = post("203.0.113.7", 99)
    neighbour = post("198.51.100.9", 0)

    assert accepted == [302] * POSTS_PER_IP.limit
    assert flooding.status_code == 400
    assert "Trop d&#x27;envois" in flooding.text
    assert neighbour.status_code == 302


def test_a_load_balancer_listed_as_trusted_proxy_is_looked_through(
    alpha, animator_of, client_for, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/24"]
    animator = animator_of(alpha)
    # The balancer (10.0.0.2) appended the visitor's address, then nginx the balancer's.
    for _ in range(LIMIT):
        attempt(client_for(alpha), animator.username, "mauvais", forwarded="203.0.113.7, 10.0.0.2")

    guesser = attempt(
        client_for(alpha), animator.username, PASSWORD, forwarded="203.0.113.7, 10.0.0.2"
    )
    owner = attempt(
        client_for(alpha), animator.username, PASSWORD, forwarded="198.51.100.9, 10.0.0.2"
    )

    assert guesser.status_code == 429
    assert owner.status_code == 302
