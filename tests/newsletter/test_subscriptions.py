"""Residents subscribe with a double opt-in, choose topics, leave, get or erase their data."""

import json
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from core.abuse import STARTED_FIELD
from newsletter.models import ConsentRecord, Subscriber
from tests.conftest import host
from tests.newsletter.conftest import (
    SUBSCRIBE,
    active_subscriber,
    links_in,
    path_of,
    subscribe_form,
)

pytestmark = pytest.mark.django_db


def _subscriber(portal, email):
    with schema_context(portal.schema_name):
        return Subscriber.objects.filter(email=email).first()


def test_footer_of_every_page_offers_the_subscribe_form(alpha, client_for):
    home = client_for(alpha).get("/")

    assert 'action="/abonnement/"' in home.text
    assert "L'infolettre du quartier" in home.text
    assert "csrftoken" not in home.cookies


def test_the_footer_form_kept_in_the_fragment_cache_is_opened_at_each_showing(
    alpha, client_for, settings, outbox
):
    # The footer's HTML comes from the fragment cache at the second showing: its time stamp
    # must still say when this page was shown, or a robot would send it at once.
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    settings.PUBLIC_FORM_MIN_SECONDS = 20
    browser = client_for(alpha)
    stamp = re.compile(rf'name="{STARTED_FIELD}" value="([^"]+)"')
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        first = browser.get("/").text
        traveller.shift(30)
        second = browser.get("/").text
        sent_at_once = browser.post(
            SUBSCRIBE, subscribe_form(**{STARTED_FIELD: stamp.search(second)[1]})
        )
        sent_after_reading = browser.post(
            SUBSCRIBE, subscribe_form(**{STARTED_FIELD: stamp.search(first)[1]})
        )

    assert stamp.sub("", first) == stamp.sub("", second)
    assert sent_at_once.status_code == 400
    assert "très vite" in sent_at_once.text
    assert sent_after_reading.status_code == 302
    assert [message.to for message in outbox] == [["samia@example.org"]]


def test_resident_subscribes_confirms_by_email_and_consent_is_recorded(alpha, client_for, outbox):
    browser = client_for(alpha)

    response = browser.post(SUBSCRIBE, subscribe_form(email="Samia@Example.org"))

    assert response.status_code == 302
    assert _subscriber(alpha, "samia@example.org").status == Subscriber.Status.PENDING
    assert outbox[-1].to == ["samia@example.org"]
    confirm_url = next(url for url in links_in(outbox[-1]) if "/confirmer/" in url)
    assert confirm_url.startswith(f"http://{host(alpha)}:8000/abonnement/confirmer/")

    # Opening the link (as a mail scanner would) changes nothing; pressing the button does.
    assert "Oui, je confirme" in browser.get(path_of(confirm_url)).text
    assert _subscriber(alpha, "samia@example.org").status == Subscriber.Status.PENDING
    confirmed = browser.post(path_of(confirm_url), follow=True)

    assert "C&#x27;est confirmé" in confirmed.text
    subscriber = _subscriber(alpha, "samia@example.org")
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert sorted(subscriber.topics) == ["agenda", "classifieds", "news", "radio"]
    with schema_context(alpha.schema_name):
        consents = list(ConsentRecord.objects.filter(subscriber=subscriber))
    assert [c.action for c in consents] == ["requested", "confirmed"]
    assert consents[0].method == "formulaire du pied de page"
    assert "J'accepte de recevoir par e-mail l'infolettre de Portail Alpha" in consents[0].wording


def test_an_address_already_subscribed_gets_the_same_page_and_a_manage_link(
    alpha, client_for, outbox
):
    active_subscriber(alpha, "deja@example.org")
    browser = client_for(alpha)

    known = browser.post(SUBSCRIBE, subscribe_form(email="deja@example.org"), follow=True)
    unknown = browser.post(SUBSCRIBE, subscribe_form(email="nouveau@example.org"), follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert [len(outbox), outbox[0].to, outbox[1].to] == [
        2,
        ["deja@example.org"],
        ["nouveau@example.org"],
    ]
    assert "vous y êtes déjà abonné·e" in outbox[0].body
    assert any("/abonnement/gerer/" in url for url in links_in(outbox[0]))
    assert not any("/confirmer/" in url for url in links_in(outbox[0]))


def test_the_newsletter_page_lets_residents_choose_their_topics(alpha, client_for, outbox):
    browser = client_for(alpha)
    page = browser.get("/infolettre/")
    assert page.status_code == 200
    assert "<legend>Les sujets qui vous intéressent" in page.text

    browser.post(
        SUBSCRIBE,
        subscribe_form(email="agenda@example.org", source="page", topics=["agenda", "radio"]),
    )

    assert sorted(_subscriber(alpha, "agenda@example.org").topics) == ["agenda", "radio"]


def _manage_path(portal, outbox, client_for, email):
    browser = client_for(portal)
    browser.post(SUBSCRIBE, subscribe_form(email=email))
    confirm = next(url for url in links_in(outbox[-1]) if "/confirmer/" in url)
    response = browser.post(path_of(confirm))
    return browser, response["Location"]


def test_subscriber_changes_topics_downloads_then_erases_their_data(alpha, client_for, outbox):
    browser, manage = _manage_path(alpha, outbox, client_for, "karim@example.net")

    saved = browser.post(manage, {"action": "topics", "topics": ["classifieds"]}, follow=True)
    assert "Vos sujets sont enregistrés" in saved.text
    data = json.loads(browser.get(manage + "donnees.json").content)
    assert data["adresse"] == "karim@example.net"
    assert data["sujets"] == ["classifieds"]
    assert [c["action"] for c in data["consentements"]] == ["requested", "confirmed", "topics"]

    erased = browser.post(manage, {"action": "erase", "sure": "oui"})

    assert "Vos données sont effacées" in erased.text
    assert _subscriber(alpha, "karim@example.net") is None
    assert browser.get(manage).status_code == 404


def test_subscriber_leaves_from_their_page_and_may_come_back(alpha, client_for, outbox):
    browser, manage = _manage_path(alpha, outbox, client_for, "lea@example.net")

    browser.post(manage, {"action": "leave"})

    assert _subscriber(alpha, "lea@example.net").status == Subscriber.Status.UNSUBSCRIBED
    browser.post(SUBSCRIBE, subscribe_form(email="lea@example.net"))
    assert "/confirmer/" in outbox[-1].body  # a new double opt-in, not "already subscribed"


def test_one_click_unsubscribe_works_by_post_without_session_or_csrf(alpha):
    from newsletter.addresses import unsubscribe_url

    subscriber = active_subscriber(alpha, "oneclick@example.org")
    with schema_context(alpha.schema_name):
        url = unsubscribe_url(subscriber.pk)
    mail_client = Client(HTTP_HOST=host(alpha), enforce_csrf_checks=True)

    response = mail_client.post(
        path_of(url), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert _subscriber(alpha, "oneclick@example.org").status == Subscriber.Status.UNSUBSCRIBED


def test_the_unsubscribe_page_is_one_persons_and_never_kept_for_the_next_visitor(alpha):
    from newsletter.addresses import unsubscribe_url

    subscriber = active_subscriber(alpha, "voisine@example.org")
    with schema_context(alpha.schema_name):
        link = path_of(unsubscribe_url(subscriber.pk))
    first = Client(HTTP_HOST=host(alpha)).get(link)
    with schema_context(alpha.schema_name):
        Subscriber.objects.filter(pk=subscriber.pk).delete()  # erased, as they may ask

    again = Client(HTTP_HOST=host(alpha)).get(link)

    assert "voisine@example.org" in first.text
    assert "public" not in first.get("Cache-Control", "")
    assert "voisine@example.org" not in again.text


def test_links_of_one_portal_do_not_work_at_another(alpha, beta, client_for):
    from newsletter.addresses import manage_url, unsubscribe_url

    mine = active_subscriber(alpha, "voisine@example.org")
    theirs = active_subscriber(beta, "voisine@example.org")
    with schema_context(alpha.schema_name):
        links = [manage_url(mine.pk), unsubscribe_url(mine.pk)]

    for link in links:
        assert client_for(beta).get(path_of(link)).status_code == 404
        assert client_for(beta).post(path_of(link), {"action": "leave"}).status_code == 404
    assert _subscriber(beta, "voisine@example.org").status == Subscriber.Status.ACTIVE
    assert theirs.pk  # the same address is a separate subscriber on each portal


@pytest.mark.parametrize(
    "token",
    ["x", "A" * 400, "Tm9wZQ", "%00", "MTIzOmFiYw", "ZmFrZTp0b2tlbg" * 5, "é" * 3],
)
def test_junk_tokens_give_a_clean_page_never_a_500(alpha, client_for, token):
    browser = client_for(alpha)
    answers = [
        answer
        for route in ("confirmer", "gerer", "desabonnement")
        for answer in (
            browser.get(f"/abonnement/{route}/{token}/"),
            browser.post(f"/abonnement/{route}/{token}/"),
        )
    ]
    answers.append(browser.get(f"/abonnement/gerer/{token}/donnees.json"))

    for response in answers:
        assert response.status_code == 404
        # The infolettre's own page, in French, offering to subscribe again.
        assert "Ce lien n'est pas valable" in response.text
        assert "S'abonner à l'infolettre" in response.text
        assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": "pas-une-adresse"},
        {"email": ""},
        {"email": "a" * 300 + "@example.org"},
        {"topics": ["inconnu"]},
        {"source": "ailleurs"},
        {"site_web": "http://spam.example"},
    ],
)
def test_bad_input_is_refused_in_french_without_e_mail(alpha, client_for, outbox, overrides):
    response = client_for(alpha).post(SUBSCRIBE, subscribe_form(**overrides))

    assert response.status_code == 400
    assert "Votre envoi n'est pas complet" in response.text
    assert outbox == []


def test_flooding_one_address_with_confirmations_is_stopped(alpha, client_for, outbox):
    browser = client_for(alpha)
    statuses = [
        browser.post(SUBSCRIBE, subscribe_form(email="cible@example.org")).status_code
        for _ in range(5)
    ]

    assert statuses == [302, 302, 302, 400, 400]
    assert len(outbox) == 3
