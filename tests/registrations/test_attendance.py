"""On the day, the animator ticks from a phone who came to an event: only confirmed
registrations of that event, of that portal, by someone who manages registrations."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from portal.factories import EventPageFactory
from registrations.factories import RegistrationFactory
from registrations.models import Registration
from tenants.group_names import ANIMATORS, CONTRIBUTORS
from tests.federation.test_network_admin import logged_in, make_user

pytestmark = pytest.mark.django_db


def _event_with(portal, *registrations: dict):
    with schema_context(portal.schema_name):
        event = EventPageFactory(registrations_open=True)
        made = [RegistrationFactory(event=event, **fields) for fields in registrations]
    return event, made


def _attendance(event) -> str:
    return f"/admin/inscriptions/presences/{event.pk}/"


def _refreshed(portal, registration) -> Registration:
    with schema_context(portal.schema_name):
        return Registration.objects.get(pk=registration.pk)


def test_the_animator_ticks_who_came_and_the_count_follows(alpha):
    event, (fatou, jean) = _event_with(alpha, {"name": "Fatou", "people": 2}, {"name": "Jean"})
    browser = logged_in(alpha, make_user(alpha, "pointage@alpha.example", ANIMATORS))

    listing = browser.get(_attendance(event))
    response = browser.post(
        _attendance(event), {"registration": fatou.pk, "came": "1"}, follow=True
    )

    assert "Fatou est venu·e" in listing.text and "Jean est venu·e" in listing.text
    assert "2 personnes venues sur 3 inscrites." in response.text
    assert "Annuler la présence de Fatou" in response.text
    assert _refreshed(alpha, fatou).attended_at is not None
    assert _refreshed(alpha, jean).attended_at is None

    browser.post(_attendance(event), {"registration": fatou.pk, "came": "0"})
    assert _refreshed(alpha, fatou).attended_at is None


def test_the_event_page_offers_the_attendance_list(alpha):
    event, _made = _event_with(alpha, {"name": "Awa"})
    browser = logged_in(alpha, make_user(alpha, "bouton@alpha.example", ANIMATORS))

    editor = browser.get(f"/admin/pages/{event.pk}/edit/")

    assert _attendance(event) in editor.text


def test_a_waiting_or_cancelled_registration_cannot_be_ticked(alpha):
    event, (waiting,) = _event_with(alpha, {"name": "Léa", "status": Registration.Status.WAITING})
    browser = logged_in(alpha, make_user(alpha, "attente@alpha.example", ANIMATORS))

    response = browser.post(
        _attendance(event), {"registration": waiting.pk, "came": "1"}, follow=True
    )

    assert "Seules les inscriptions confirmées peuvent être pointées." in response.text
    assert _refreshed(alpha, waiting).attended_at is None


def test_forged_posts_tick_nothing_and_get_a_404(alpha):
    event, _made = _event_with(alpha, {"name": "Fatou"})
    _other, (omar,) = _event_with(alpha, {"name": "Omar"})
    browser = logged_in(alpha, make_user(alpha, "faussaire@alpha.example", ANIMATORS))

    another_events = browser.post(_attendance(event), {"registration": omar.pk, "came": "1"})
    not_a_number = browser.post(_attendance(event), {"registration": "1 OR 1=1", "came": "1"})
    superscript = browser.post(_attendance(event), {"registration": "²", "came": "1"})
    no_such_event = browser.get("/admin/inscriptions/presences/999999/")

    assert another_events.status_code == 404
    assert not_a_number.status_code == 404
    assert superscript.status_code == 404
    assert no_such_event.status_code == 404
    assert _refreshed(alpha, omar).attended_at is None


def test_another_portals_event_is_unknown_here(alpha, beta):
    event, (theirs,) = _event_with(beta, {"name": "Chez beta"})
    browser = logged_in(alpha, make_user(alpha, "voisin@alpha.example", ANIMATORS))

    response = browser.post(_attendance(event), {"registration": theirs.pk, "came": "1"})

    assert response.status_code == 404
    assert _refreshed(beta, theirs).attended_at is None


def test_contributors_cannot_tick(alpha):
    event, (fatou,) = _event_with(alpha, {"name": "Fatou"})
    writer = logged_in(alpha, make_user(alpha, "redac@alpha.example", CONTRIBUTORS))

    response = writer.post(_attendance(event), {"registration": fatou.pk, "came": "1"})

    assert response.status_code in (302, 403)
    assert _refreshed(alpha, fatou).attended_at is None
