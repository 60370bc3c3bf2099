"""Residents register for events: places respected, waiting list promoted, .ics attached."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from icalendar import Calendar

from portal.factories import EventPageFactory
from registrations import lifecycle
from registrations.forms import RegistrationForm
from registrations.models import Registration
from tests.classifieds.conftest import form_opened_a_minute_ago, links_in, outbox, path_of
from tests.conftest import host

__all__ = ["outbox"]

pytestmark = pytest.mark.django_db

Status = Registration.Status


def _event(portal, **fields):
    fields.setdefault("registrations_open", True)
    with schema_context(portal.schema_name):
        event = EventPageFactory(**fields)
        event.page_url = event.url  # read inside the portal, where its Site lives
        return event


def _form(**overrides):
    data = {
        "name": "Fatou",
        "email": "fatou@example.org",
        "people": "2",
        "accessibility_needs": "Accès en fauteuil",
        "site_web": "",
        "formulaire_ouvert": form_opened_a_minute_ago(RegistrationForm),
    }
    data.update(overrides)
    return data


def _register_path(event):
    return event.page_url + "inscription/"


def test_resident_registers_and_gets_the_event_as_ics_with_a_cancel_link(alpha, client_for, outbox):
    event = _event(alpha, places=10, title="Atelier radio")
    browser = client_for(alpha)
    assert "Il reste 10 places" in browser.get(event.page_url).text

    response = browser.post(_register_path(event), _form(), follow=True)

    assert "Vous êtes inscrit·e" in response.text
    message = outbox[-1]
    assert message.to == ["fatou@example.org"]
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    vevent = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Atelier radio"
    assert vevent.decoded("DTSTART") == event.start.replace(microsecond=0)
    assert str(vevent["URL"]).startswith(f"http://{host(alpha)}:8000/agenda/")
    cancel = next(url for url in links_in(message) if "/inscription/annuler/" in url)
    assert cancel.startswith(f"http://{host(alpha)}:8000/agenda/")
    assert "Il reste 8 places" in browser.get(event.page_url).text

    browser.post(path_of(cancel))

    with schema_context(alpha.schema_name):
        assert Registration.objects.get(email="fatou@example.org").status == Status.CANCELLED
    assert "Il reste 10 places" in browser.get(event.page_url).text


def test_a_full_event_says_so_and_puts_residents_on_the_waiting_list(alpha, client_for, outbox):
    event = _event(alpha, places=2)
    browser = client_for(alpha)
    browser.post(_register_path(event), _form(email="premiere@example.org"))

    assert "Complet" in browser.get(event.page_url).text
    response = browser.post(_register_path(event), _form(email="suivant@example.org"), follow=True)

    assert "liste d&#x27;attente" in response.text or "liste d'attente" in response.text
    assert "Liste d'attente" in outbox[-1].subject
    assert outbox[-1].attachments == []


def test_cancelling_promotes_the_waiting_list_in_order_and_tells_them(alpha, outbox):
    event = _event(alpha, places=3)
    with schema_context(alpha.schema_name):
        first = lifecycle.register(event, "Un", "un@example.org", 3)
        big = lifecycle.register(event, "Groupe", "groupe@example.org", 4)
        small = lifecycle.register(event, "Deux", "deux@example.org", 2)
        outbox.clear()

        promoted = lifecycle.cancel(first)

        assert [r.email for r in promoted] == ["deux@example.org"]
        statuses = dict(Registration.objects.filter(event=event).values_list("email", "status"))
    assert statuses == {
        "un@example.org": Status.CANCELLED,
        "groupe@example.org": Status.WAITING,  # four people do not fit in three places
        "deux@example.org": Status.CONFIRMED,
    }
    promoted_mail = next(m for m in outbox if m.to == ["deux@example.org"])
    assert "Une place s'est libérée" in promoted_mail.subject
    assert promoted_mail.attachments[0][0].endswith(".ics")
    assert big.pk and small.pk


# A deadlock in the concurrency test fails it within these delays instead of hanging CI.
BARRIER_SECONDS = 60  # they meet within milliseconds when all is well; a busy machine needs more
LOCK_WAIT = "20s"  # PostgreSQL's lock_timeout: a stuck row lock raises, freeing the thread
THREAD_SECONDS = 30


def finished(thread: threading.Thread) -> None:
    """Wait for a thread of the test, failing (not hanging) if it never ends."""
    thread.join(timeout=THREAD_SECONDS)
    assert not thread.is_alive(), f"{thread.name} bloqué plus de {THREAD_SECONDS} s"


def test_capacity_holds_when_residents_register_at_the_same_instant(alpha, django_db_blocker):
    """Six residents, three places, six threads with their own database connections."""
    made = {}

    def in_thread(work):
        def run():
            try:
                with schema_context(alpha.schema_name):
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT set_config('lock_timeout', %s, false)", [LOCK_WAIT])
                    made.setdefault("results", []).append(work())
            finally:
                connection.close()

        # A daemon: a thread stuck for good cannot keep the test process from exiting.
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    finished(in_thread(lambda: made.setdefault("event", _event(alpha, places=3))))
    event = made["event"]
    # A thread that dies before the barrier breaks it for the others after the timeout.
    start = threading.Barrier(6, timeout=BARRIER_SECONDS)

    def register(number):
        def work():
            start.wait()
            return lifecycle.register(event, f"N{number}", f"n{number}@example.org", notify=False)

        return work

    try:
        for thread in [in_thread(register(number)) for number in range(6)]:
            finished(thread)
        statuses = sorted(r.status for r in made["results"] if isinstance(r, Registration))
        assert statuses == [Status.CONFIRMED] * 3 + [Status.WAITING] * 3
    finally:
        finished(in_thread(lambda: Registration.objects.filter(event_id=event.pk).delete()))
        finished(in_thread(lambda: event.delete()))


def test_the_reminder_goes_the_day_before_once(alpha, outbox, capsys):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    event = _event(alpha, places=5, start=tomorrow)
    later = _event(alpha, places=5, start=timezone.now() + datetime.timedelta(days=5))
    with schema_context(alpha.schema_name):
        lifecycle.register(event, "Demain", "demain@example.org", notify=False)
        lifecycle.register(later, "Plus tard", "tard@example.org", notify=False)

    call_command("send_event_reminders", "--portal", "alpha")
    call_command("send_event_reminders", "--portal", "alpha")

    reminders = [m for m in outbox if m.subject.startswith("[Portail Alpha] C'est demain")]
    assert [m.to for m in reminders] == [["demain@example.org"]]
    assert "1 rappel(s)" in capsys.readouterr().out


def test_a_cancelled_registrations_link_is_never_kept_for_the_next_visitor(
    alpha, client_for, outbox
):
    event = _event(alpha, places=5, slug="pique-nique")
    client_for(alpha).post(_register_path(event), _form())
    cancel = path_of(next(url for url in links_in(outbox[-1]) if "/inscription/annuler/" in url))
    client_for(alpha).post(cancel)
    shown = client_for(alpha).get(cancel)  # opened again: no form left on it
    with schema_context(alpha.schema_name):
        Registration.objects.filter(event=event).delete()  # the person asked to be forgotten

    again = client_for(alpha).get(cancel)

    assert "Fatou" in shown.text
    # Shared caches (the portal's nginx) keep what is public: not this one's name.
    assert "public" not in shown.get("Cache-Control", "")
    assert again.status_code == 404


def test_cancel_links_of_one_portal_do_not_work_at_another(alpha, beta, client_for, outbox):
    mine = _event(alpha, places=5, slug="meme-evenement")
    _event(beta, places=5, slug="meme-evenement")
    client_for(alpha).post(_register_path(mine), _form())
    cancel = next(url for url in links_in(outbox[-1]) if "/inscription/annuler/" in url)

    response = client_for(beta).post(path_of(cancel))

    assert response.status_code == 404
    with schema_context(alpha.schema_name):
        assert Registration.objects.get(event=mine).status == Status.CONFIRMED


@pytest.mark.parametrize(
    "overrides",
    [
        {"people": "-3"},
        {"people": "0"},
        {"people": "99999999999999999999999"},
        {"people": "deux"},
        {"email": "pas-une-adresse"},
        {"name": ""},
        {"name": "x" * 5000},
        {"site_web": "http://spam.example"},
    ],
)
def test_bad_input_is_refused_in_french_never_a_500(alpha, client_for, outbox, overrides):
    event = _event(alpha, places=5)

    response = client_for(alpha).post(_register_path(event), _form(**overrides))

    assert response.status_code == 400
    assert "Votre envoi n'est pas complet" in response.text
    assert outbox == []


INVALID_LINK = "Ce lien n'est pas valable"  # the registrations' own page
NOT_FOUND = "Page introuvable"  # the portal's 404 page: the route refuses such a token


@pytest.mark.parametrize(
    ("token", "french"),
    [
        ("x", INVALID_LINK),
        ("MTIzOmFiYw", INVALID_LINK),
        ("A" * 301, NOT_FOUND),
        ("é", NOT_FOUND),
    ],
    ids=["short", "forged", "too-long", "not-ascii"],
)
def test_junk_cancel_tokens_give_a_clean_page(alpha, client_for, token, french):
    event = _event(alpha, places=5)
    browser = client_for(alpha)

    for response in (
        browser.get(f"{event.page_url}inscription/annuler/{token}/"),
        browser.post(f"{event.page_url}inscription/annuler/{token}/"),
    ):
        assert response.status_code == 404
        assert french in response.text
        assert "Traceback" not in response.text


def test_an_event_without_registrations_has_no_form(alpha, client_for):
    event = _event(alpha, registrations_open=False)

    assert "Je m'inscris" not in client_for(alpha).get(event.page_url).text
    assert client_for(alpha).get(_register_path(event)).status_code == 404
