"""Fixtures of the federation's front door: the federation portal and its pilots."""

from __future__ import annotations

import pytest

from frontdoor.forms import LaunchRequestForm
from tests.classifieds.conftest import form_opened_a_minute_ago


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal(
        "federation",
        kind="federation",
        name="Fédération Quartiers",
        contact_email="contact@federation.example",
    )


@pytest.fixture(scope="module")
def gamma(make_portal):
    """A pilot with its territory and map point, as federation staff open one today."""
    return make_portal(
        "gamma",
        name="Gamma en direct",
        territory="Cité des Gammes, Saint-Denis",
        latitude=48.9205,
        longitude=2.3655,
        carrying_structure="MJC des Gammes",
    )


def launch_form(federation, **overrides: object) -> dict:
    """What a person who wants a media in their town types, a minute after opening."""
    return {
        "name": "Awa Diallo",
        "structure": "Centre social des Tilleuls",
        "place": "Quartier des Tilleuls, Blanc-Mesnil",
        "email": "awa@tilleuls.example",
        "message": "Nous aimerions une webradio avec les jeunes du quartier.",
        "site_web": "",
        "formulaire_ouvert": form_opened_a_minute_ago(LaunchRequestForm, federation),
        **overrides,
    }
