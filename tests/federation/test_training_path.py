"""Animators' training path (issue 20 §2): federation staff see, per portal, each
animator's modules of the methodology followed (with dates and notes) and left."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_tenants.utils import schema_context

from tenants.default_portal import ANIMATORS, CONTRIBUTORS, FEDERATION_STAFF
from tenants.models import Neighbourhood, NetworkAccount, TrainingStep
from tests.conftest import PASSWORD, host, pass_second_factor

pytestmark = pytest.mark.django_db

INDEX = "/admin/reseau/parcours/"


@pytest.fixture(scope="module")
def federation(make_portal) -> Neighbourhood:
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def make_user(portal: Neighbourhood, username: str, *groups: str, **extra: object):
    with schema_context(portal.schema_name):
        user = get_user_model().objects.create_user(
            username=username,
            email=username,
            password=PASSWORD,
            first_name="Prénom",
            last_name="Nom",
            **extra,
        )
        user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def browser(portal: Neighbourhood, user) -> Client:
    client = Client(HTTP_HOST=host(portal))
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    pass_second_factor(client)
    assert response.status_code == 302, "the login form refused the account"
    return client


def path_of(portal: Neighbourhood) -> str:
    return f"{INDEX}{portal.schema_name}/"


@pytest.fixture
def staff(federation) -> Client:
    return browser(federation, make_user(federation, "equipe@federation.example", FEDERATION_STAFF))


def followed(text: str, module: str) -> bool:
    return f'data-module="{module}" data-followed="yes"' in text


def test_staff_see_each_animators_modules_followed_with_dates_and_those_left(
    staff, alpha, animator_of
):
    animator = animator_of(alpha)
    account = NetworkAccount.objects.get(email=animator.email.lower())
    TrainingStep.objects.create(
        account=account,
        module="mapping",
        followed_on=datetime.date(2026, 10, 14),
        note="Autonome sur la carte.",
    )

    text = staff.get(path_of(alpha)).text

    assert animator.email.lower() in text
    assert followed(text, "mapping")
    assert "14 octobre 2026" in text
    assert "Autonome sur la carte." in text
    assert 'data-module="pitch" data-followed="no"' in text
    assert "1 module(s) suivi(s) sur 7" in text
    assert 'data-module="other"' not in text  # "Autre" is no module of a path


def test_staff_record_a_module_followed_and_it_shows(staff, alpha, animator_of):
    animator = animator_of(alpha)

    response = staff.post(
        path_of(alpha),
        {
            "person": animator.email.lower(),
            "module": "round_table",
            "followed_on": "2026-11-02",
            "note": "Premier atelier animé en binôme.",
        },
    )

    assert response.status_code == 302
    step = TrainingStep.objects.get(account__email=animator.email.lower())
    assert (step.module, step.followed_on) == ("round_table", datetime.date(2026, 11, 2))
    assert step.recorded_by == "equipe@federation.example"
    assert followed(staff.get(path_of(alpha)).text, "round_table")


def test_the_path_follows_the_person_across_portals(staff, alpha, beta):
    person = make_user(alpha, "nadia@reseau.example", ANIMATORS)
    make_user(beta, "nadia@reseau.example", ANIMATORS)
    staff.post(
        path_of(alpha),
        {"person": person.email, "module": "pitch", "followed_on": "2026-09-01", "note": ""},
    )

    assert followed(staff.get(path_of(beta)).text, "pitch")


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("module", "other", "Sélectionnez un choix valide"),
        ("module", "nope", "Sélectionnez un choix valide"),
        ("followed_on", "hier", "Écrivez une date"),
        ("followed_on", "2999-01-01", "pas encore passée"),
        ("person", "anim@beta.example", "Sélectionnez un choix valide"),
    ],
)
def test_a_wrong_step_answers_in_french_and_records_nothing(
    staff, alpha, animator_of, field, value, error
):
    data = {
        "person": animator_of(alpha).email.lower(),
        "module": "pitch",
        "followed_on": "2026-09-01",
        "note": "",
    }

    response = staff.post(path_of(alpha), {**data, field: value})

    assert response.status_code == 200
    assert error in response.text
    assert not TrainingStep.objects.exists()


def test_an_unknown_portal_is_a_404(staff):
    assert staff.get(f"{INDEX}nulle-part/").status_code == 404


def assert_refused(response) -> None:
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def test_only_federation_staff_see_or_write_the_paths(federation, alpha, animator_of):
    animator = animator_of(alpha)
    outsiders = [
        browser(alpha, animator),
        browser(federation, make_user(federation, "anim@federation.example", ANIMATORS)),
        browser(federation, make_user(federation, "plume@federation.example", CONTRIBUTORS)),
    ]
    forged = {"person": animator.email, "module": "pitch", "followed_on": "2026-09-01"}

    for client in outsiders:
        assert_refused(client.get(INDEX))
        assert_refused(client.get(path_of(alpha)))
        assert_refused(client.post(path_of(alpha), forged))
    assert not TrainingStep.objects.exists()
