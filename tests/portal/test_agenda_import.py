"""Other agendas in ours: an animator's subscriptions to iCal feeds, imported into the
agenda by ``import_agendas``, from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context
from wagtail.models import Page

from portal.agenda.ical_import import (
    NEW_EVENTS_PER_RUN,
    import_active_subscriptions,
    import_subscription,
)
from portal.agenda.subscriptions import AgendaSubscription
from portal.factories import AgendaSubscriptionFactory
from portal.models import EventPage
from tests.portal.ical_server import ics

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def in_days(days: int, hour: int = 18) -> datetime.datetime:
    day = datetime.datetime.now(tz=PARIS).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 30), tzinfo=PARIS)


def repair_cafe(**changes) -> dict:
    return {
        "uid": "repair-cafe@mobilizon.example",
        "summary": "Repair café",
        "dtstart": in_days(5),
        "dtend": in_days(5, 21),
        "location": "Maison des associations, 12 rue des Lilas, 75020 Paris",
        "description": "On répare ensemble.\n\nApportez vos objets.",
        "url": "https://mobilizon.example/events/repair-cafe",
        **changes,
    }


def jardin(**changes) -> dict:
    return {
        "uid": "jardin@mobilizon.example",
        "summary": "Jardin partagé",
        "dtstart": in_days(12, 10),
        "dtend": in_days(12, 12),
        **changes,
    }


def imported_pages(portal) -> list[EventPage]:
    with schema_context(portal.schema_name):
        return list(EventPage.objects.exclude(source_name="").order_by("start"))


def address(portal, page: EventPage) -> str:
    with schema_context(portal.schema_name):
        return page.url


def subscribe(portal, url: str, **fields) -> AgendaSubscription:
    with schema_context(portal.schema_name):
        return AgendaSubscriptionFactory(name="Mobilizon du quartier", url=url, **fields)


def run(portal, subscription: AgendaSubscription):
    with schema_context(portal.schema_name):
        return import_subscription(AgendaSubscription.objects.get(pk=subscription.pk))


def test_import_creates_drafts_with_their_origin(alpha, feeds):
    long_past = jardin(uid="ancien@mobilizon.example", dtstart=in_days(-60), dtend=in_days(-60))
    url = feeds.serve("/groupe.ics", ics(repair_cafe(), jardin(), long_past))
    subscription = subscribe(alpha, url)

    result = run(alpha, subscription)

    assert (result.added, result.changed, result.removed, result.error) == (2, 0, 0, "")
    repair, garden = imported_pages(alpha)
    assert not repair.live and not garden.live
    with schema_context(alpha.schema_name):
        assert repair.get_parent().slug == "agenda"
    assert repair.title == "Repair café"
    assert repair.start == in_days(5) and repair.end == in_days(5, 21)
    assert (repair.place_name, repair.address) == (
        "Maison des associations",
        "12 rue des Lilas, 75020 Paris",
    )
    assert "On répare ensemble." in repair.intro
    assert "Apportez vos objets." in str(repair.body)
    assert "On répare ensemble." not in str(repair.body)
    assert repair.source_name == "Mobilizon du quartier"
    assert repair.source_url == "https://mobilizon.example/events/repair-cafe"
    # No URL of its own: no link, never the feed's address (a private feed's carries a key).
    assert garden.source_url == ""
    with schema_context(alpha.schema_name):
        subscription.refresh_from_db()
    assert (subscription.last_added, subscription.last_error) == (2, "")
    assert subscription.last_run_at is not None


def test_trusted_source_publishes_and_the_page_credits_it(alpha, feeds, client_for):
    subscription = subscribe(alpha, feeds.serve("/mairie.ics", ics(repair_cafe())), trusted=True)

    run(alpha, subscription)

    (repair,) = imported_pages(alpha)
    assert repair.live
    page = client_for(alpha).get(address(alpha, repair))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Repair café" in text and "Apportez vos objets." in text
    assert 'href="https://mobilizon.example/events/repair-cafe"' in text
    assert "Mobilizon du quartier" in text


def test_a_second_run_changes_nothing(alpha, feeds):
    subscription = subscribe(alpha, feeds.serve("/groupe.ics", ics(repair_cafe(), jardin())))
    run(alpha, subscription)
    with schema_context(alpha.schema_name):
        revisions = sorted(p.revisions.count() for p in EventPage.objects.all())

    again = run(alpha, subscription)

    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    assert len(imported_pages(alpha)) == 2
    with schema_context(alpha.schema_name):
        assert sorted(p.revisions.count() for p in EventPage.objects.all()) == revisions


def test_a_changed_event_is_updated_and_republished_when_trusted(alpha, feeds, client_for):
    subscription = subscribe(alpha, feeds.serve("/mairie.ics", ics(repair_cafe())), trusted=True)
    run(alpha, subscription)
    feeds.serve("/mairie.ics", ics(repair_cafe(summary="Repair café géant", dtstart=in_days(6))))

    result = run(alpha, subscription)

    assert (result.added, result.changed) == (0, 1)
    (repair,) = imported_pages(alpha)
    assert repair.live and repair.title == "Repair café géant"
    assert repair.start == in_days(6)
    assert "Repair café géant" in client_for(alpha).get(address(alpha, repair)).content.decode()


def test_a_change_from_an_untrusted_source_waits_as_a_draft_on_the_live_page(alpha, feeds):
    subscription = subscribe(alpha, feeds.serve("/groupe.ics", ics(repair_cafe())))
    run(alpha, subscription)
    with schema_context(alpha.schema_name):
        # The animator read the draft and published it as it came.
        EventPage.objects.get().get_latest_revision().publish()
    feeds.serve("/groupe.ics", ics(repair_cafe(summary="Repair café déplacé")))

    result = run(alpha, subscription)

    assert result.changed == 1
    (repair,) = imported_pages(alpha)
    assert repair.live and repair.title == "Repair café"
    assert repair.has_unpublished_changes
    with schema_context(alpha.schema_name):
        assert repair.get_latest_revision_as_object().title == "Repair café déplacé"


def test_an_animators_own_edits_win_over_the_source(alpha, feeds):
    subscription = subscribe(alpha, feeds.serve("/mairie.ics", ics(repair_cafe())), trusted=True)
    run(alpha, subscription)
    with schema_context(alpha.schema_name):
        page = EventPage.objects.get()
        page.title = "Repair café (salle changée)"
        page.save_revision().publish()
    feeds.serve("/mairie.ics", ics(repair_cafe(description="Nouveau texte.")))

    result = run(alpha, subscription)

    assert (result.changed, result.kept) == (0, 1)
    (repair,) = imported_pages(alpha)
    assert repair.title == "Repair café (salle changée)"
    assert "Nouveau texte." not in str(repair.body)


def test_an_event_removed_at_the_source_is_unpublished_once(alpha, feeds):
    url = feeds.serve("/mairie.ics", ics(repair_cafe(), jardin()))
    subscription = subscribe(alpha, url, trusted=True)
    run(alpha, subscription)
    feeds.serve("/mairie.ics", ics(jardin()))

    result = run(alpha, subscription)
    again = run(alpha, subscription)

    assert (result.removed, again.removed) == (1, 0)
    repair, garden = imported_pages(alpha)
    assert not repair.live and garden.live


def test_an_event_back_in_a_trusted_feed_is_published_again(alpha, feeds):
    subscription = subscribe(alpha, feeds.serve("/m.ics", ics(repair_cafe())), trusted=True)
    run(alpha, subscription)
    feeds.serve("/m.ics", ics(jardin()))
    run(alpha, subscription)
    feeds.serve("/m.ics", ics(repair_cafe(), jardin()))

    back = run(alpha, subscription)
    again = run(alpha, subscription)

    assert (back.changed, again.changed, again.removed) == (1, 0, 0)
    repair, _garden = imported_pages(alpha)
    assert repair.live


def test_a_cancelled_event_is_unpublished(alpha, feeds):
    subscription = subscribe(alpha, feeds.serve("/m.ics", ics(repair_cafe())), trusted=True)
    run(alpha, subscription)
    feeds.serve("/m.ics", ics(repair_cafe(status="CANCELLED")))

    assert run(alpha, subscription).removed == 1
    assert not imported_pages(alpha)[0].live


def test_a_page_the_animator_deleted_is_not_brought_back(alpha, feeds):
    subscription = subscribe(alpha, feeds.serve("/m.ics", ics(repair_cafe())), trusted=True)
    run(alpha, subscription)
    with schema_context(alpha.schema_name):
        EventPage.objects.get().delete()

    result = run(alpha, subscription)

    assert result.added == 0
    assert imported_pages(alpha) == []


def test_a_recurring_event_keeps_its_first_date_and_says_so(alpha, feeds):
    weekly = repair_cafe(rrule={"freq": "weekly", "count": 10})
    subscription = subscribe(alpha, feeds.serve("/m.ics", ics(weekly)))

    run(alpha, subscription)

    (repair,) = imported_pages(alpha)
    assert repair.start == in_days(5)
    assert "seule sa première date figure ici" in str(repair.body)


def test_all_day_events_last_the_whole_day_in_paris(alpha, feeds):
    day = in_days(9).date()
    fete = jardin(dtstart=day, dtend=day + datetime.timedelta(days=1))
    subscription = subscribe(alpha, feeds.serve("/m.ics", ics(fete)))

    run(alpha, subscription)

    (garden,) = imported_pages(alpha)
    assert garden.start == datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)
    assert garden.end == datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=PARIS)


def test_a_feed_of_portal_a_never_writes_into_portal_b(alpha, beta, feeds):
    subscribe(alpha, feeds.serve("/alpha.ics", ics(repair_cafe())), trusted=True)
    at_beta = subscribe(beta, feeds.serve("/beta.ics", ics(jardin())), trusted=True)
    with schema_context(beta.schema_name):
        events_in_beta = EventPage.objects.count()

    call_command("import_agendas", "--portal", "alpha", stdout=io.StringIO())

    assert [p.title for p in imported_pages(alpha)] == ["Repair café"]
    assert imported_pages(beta) == []
    with schema_context(beta.schema_name):
        assert EventPage.objects.count() == events_in_beta
        assert AgendaSubscription.objects.get(pk=at_beta.pk).last_run_at is None
    assert feeds.asked == ["/alpha.ics"]


def test_a_private_address_is_refused_without_the_test_setting(alpha, feeds, settings):
    url = feeds.serve("/groupe.ics", ics(repair_cafe()))
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    subscription = subscribe(alpha, url)

    result = run(alpha, subscription)

    assert "n'est pas une adresse publique" in result.error
    assert feeds.asked == []
    assert imported_pages(alpha) == []


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"<!doctype html><title>Mairie</title><p>Bienvenue</p>", 200, "pas un agenda iCal"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:coupe", 200, "pas un agenda iCal"),
        (b"", 404, "introuvable (erreur 404)"),
        (b"", 500, "a répondu par une erreur (500)"),
    ],
    ids=["html", "truncated", "404", "500"],
)
def test_a_bad_feed_records_a_french_error_and_makes_nothing(alpha, feeds, body, status, message):
    subscription = subscribe(alpha, feeds.serve("/casse.ics", body, status=status))

    result = run(alpha, subscription)

    assert message in result.error
    assert imported_pages(alpha) == []
    with schema_context(alpha.schema_name):
        subscription.refresh_from_db()
    assert message in subscription.last_error
    assert message in subscription.last_result


def test_a_huge_feed_is_refused_whole(alpha, feeds, settings):
    settings.OUTBOUND_MAX_BYTES = 20_000
    many = [repair_cafe(uid=f"e{n}@x", description="x" * 500) for n in range(60)]
    subscription = subscribe(alpha, feeds.serve("/enorme.ics", ics(*many)))

    result = run(alpha, subscription)

    assert "Réponse trop longue" in result.error
    assert imported_pages(alpha) == []


def test_a_feed_that_does_not_answer_in_time_is_abandoned(alpha, feeds, settings):
    settings.OUTBOUND_TIMEOUT_SECONDS = 1
    subscription = subscribe(alpha, feeds.serve("/lent.ics", ics(repair_cafe()), delay=2))

    result = run(alpha, subscription)

    assert "trop de temps" in result.error
    assert imported_pages(alpha) == []


def test_a_failing_subscription_does_not_stop_the_others(alpha, feeds):
    broken = subscribe(alpha, feeds.base + "/disparu.ics")
    working = subscribe(alpha, feeds.serve("/groupe.ics", ics(repair_cafe())))

    with schema_context(alpha.schema_name):
        touched = import_active_subscriptions()
        broken.refresh_from_db()
        working.refresh_from_db()

    assert touched == 1
    assert "introuvable" in broken.last_error
    assert (working.last_added, working.last_error) == (1, "")


def test_an_inactive_subscription_is_not_read(alpha, feeds):
    subscribe(alpha, feeds.serve("/groupe.ics", ics(repair_cafe())), active=False)

    with schema_context(alpha.schema_name):
        import_active_subscriptions()

    assert feeds.asked == []


def test_hostile_event_text_is_shown_escaped(alpha, feeds, client_for):
    hostile = repair_cafe(
        summary='Fête <script>alert("titre")</script><b>du quartier</b>',
        description=(
            'Venez ! <a href="javascript:alert(1)">clic</a> <img src=x onerror="alert(2)">\n'
            "&lt;script&gt;alert(3)&lt;/script&gt;"
        ),
        location='<iframe src="https://pistage.example"></iframe>Salle, rue X',
        url="javascript:alert(4)",
    )
    url = feeds.serve("/piege.ics", ics(hostile))
    subscription = subscribe(alpha, url, trusted=True)

    run(alpha, subscription)

    (page,) = imported_pages(alpha)
    assert page.title == "Fête du quartier"
    assert page.source_url == ""
    text = client_for(alpha).get(address(alpha, page)).content.decode()
    assert url not in text and "Source" in text
    assert "clic" in text
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in text
    for forbidden in ("<script>alert", "javascript:", "onerror", "<iframe", "pistage.example"):
        assert forbidden not in text


def test_the_command_tells_what_each_subscription_did(alpha, feeds):
    subscribe(alpha, feeds.serve("/groupe.ics", ics(repair_cafe(), jardin())))
    subscribe(alpha, feeds.base + "/disparu.ics")
    out, err = io.StringIO(), io.StringIO()

    call_command("import_agendas", "--portal", "alpha", stdout=out, stderr=err)

    assert "portail 1/1 : alpha … 2 événement(s)" in out.getvalue()
    assert "Mobilizon du quartier" in out.getvalue()
    assert "2 ajouté(s), 0 modifié(s), 0 retiré(s)" in out.getvalue()
    assert "introuvable (erreur 404)" in err.getvalue()


def test_the_commands_output_never_shows_a_feeds_private_address(alpha, feeds):
    """A private calendar's address carries its key in its path or query: cron mails its
    output, so it names the subscription and the feed's host only."""
    subscribe(alpha, feeds.serve("/cal/cle-secrete-123.ics?token=jeton-456", ics(jardin())))
    subscribe(alpha, feeds.base + "/cle-disparue-789.ics")
    out, err = io.StringIO(), io.StringIO()

    call_command("import_agendas", "--portal", "alpha", stdout=out, stderr=err)

    printed = out.getvalue() + err.getvalue()
    assert "Mobilizon du quartier (127.0.0.1)" in printed
    for secret in ("cle-secrete-123", "jeton-456", "cle-disparue-789"):
        assert secret not in printed


def test_a_run_adds_a_bounded_number_of_events_and_the_next_run_the_rest(alpha, feeds):
    """A feed of hundreds of new events does not bury the animators' pages under drafts in
    one run: ``NEW_EVENTS_PER_RUN`` at a time, the rest at the next runs, none removed."""
    count = NEW_EVENTS_PER_RUN + 3
    many = [jardin(uid=f"atelier-{n}@x", summary=f"Atelier {n}") for n in range(count)]
    subscription = subscribe(alpha, feeds.serve("/beaucoup.ics", ics(*many)))

    first = run(alpha, subscription)

    assert first.added == NEW_EVENTS_PER_RUN and first.removed == 0
    assert "3 au prochain import" in first.summary()
    second = run(alpha, subscription)
    assert (second.added, second.removed) == (3, 0)
    assert len(imported_pages(alpha)) == count


def test_imported_pages_are_ordinary_event_pages(alpha, feeds):
    subscription = subscribe(alpha, feeds.serve("/groupe.ics", ics(repair_cafe())))

    run(alpha, subscription)

    with schema_context(alpha.schema_name):
        page = Page.objects.get(pk=imported_pages(alpha)[0].pk)
        assert page.specific_class is EventPage
        page.specific.full_clean()
