"""A resident reacts under a page: confirmed once per address, moderated, answered."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from core.page_cache import HEADER
from reactions import lifecycle
from reactions.factories import ReactionFactory
from reactions.models import Reaction, ReactionAddress
from tests.classifieds.conftest import links_in, outbox, path_of
from tests.conftest import host, logged_in
from tests.reactions.conftest import article, reaction_form

__all__ = ["outbox"]

pytestmark = pytest.mark.django_db

Status = Reaction.Status


def _reaction(portal, **filters) -> Reaction:
    with schema_context(portal.schema_name):
        return Reaction.objects.get(**filters)


def test_first_reaction_is_confirmed_by_email_then_moderated_then_shown(
    alpha, client_for, animator_of, outbox
):
    page = article(alpha, title="La fête des voisins")
    visitor = client_for(alpha)
    assert "Personne n'a encore réagi" in visitor.get(page.page_url).text

    sent = visitor.post(page.page_url + "reactions/", reaction_form(alpha), follow=True)

    assert "Nous vous avons envoyé un e-mail" in sent.text
    assert _reaction(alpha, email="samia@example.org").status == Status.UNCONFIRMED
    link = next(url for url in links_in(outbox[-1]) if "/reactions/confirmer/" in url)
    assert link.startswith(f"http://{host(alpha)}:8000{page.page_url}")

    opened = visitor.get(path_of(link))  # what a mail scanner does: nothing confirmed
    assert "Confirmer ma réaction" in opened.text
    assert _reaction(alpha, email="samia@example.org").status == Status.UNCONFIRMED
    confirmed = visitor.post(path_of(link))

    assert "Votre réaction est confirmée" in confirmed.text
    assert _reaction(alpha, email="samia@example.org").status == Status.PENDING
    assert "compte rendu fidèle" not in visitor.get(page.page_url).text

    animator = logged_in(client_for(alpha), animator_of(alpha))
    reaction = _reaction(alpha, email="samia@example.org")
    animator.post(f"/admin/reactions/moderer/{reaction.pk}/", {"decision": "approve", "reply": ""})

    shown = client_for(alpha).get(page.page_url)
    assert "compte rendu fidèle" in shown.text
    assert "1 réaction" in shown.text
    assert "samia@example.org" not in shown.text


def test_a_remembered_browser_skips_confirmation_but_a_typed_address_does_not(
    alpha, client_for, outbox
):
    page = article(alpha)
    resident = client_for(alpha)
    resident.post(page.page_url + "reactions/", reaction_form(alpha, email="leon@example.org"))
    resident.post(path_of(links_in(outbox[-1])[-1]))
    outbox.clear()

    again = resident.post(
        page.page_url + "reactions/",
        reaction_form(alpha, email="leon@example.org", text="Une deuxième réaction."),
        follow=True,
    )

    assert "transmise à l'équipe" in again.text
    assert outbox == []
    assert _reaction(alpha, text="Une deuxième réaction.").status == Status.PENDING

    impostor = client_for(alpha)  # no cookie: types Léon's confirmed address
    impostor.post(
        page.page_url + "reactions/",
        reaction_form(alpha, email="leon@example.org", text="Je me fais passer pour Léon."),
    )

    assert _reaction(alpha, text="Je me fais passer pour Léon.").status == Status.UNCONFIRMED
    assert outbox[-1].to == ["leon@example.org"]  # the real Léon is asked, and may ignore it


def test_a_trusted_address_is_published_at_once(alpha, client_for, outbox):
    page = article(alpha)
    resident = client_for(alpha)
    resident.post(page.page_url + "reactions/", reaction_form(alpha, email="awa@example.org"))
    resident.post(path_of(links_in(outbox[-1])[-1]))
    with schema_context(alpha.schema_name):
        lifecycle.trust("awa@example.org", None)

    resident.post(
        page.page_url + "reactions/",
        reaction_form(alpha, email="awa@example.org", text="Publiée aussitôt."),
    )

    assert "Publiée aussitôt." in client_for(alpha).get(page.page_url).text


def test_the_editorial_reply_is_shown_as_such(alpha, client_for, animator_of):
    page = article(alpha)
    with schema_context(alpha.schema_name):
        reaction = Reaction.objects.create(
            page_id=page.pk,
            name="Karim",
            email="karim@example.org",
            text="Une suite ?",
            status=Status.PENDING,
        )
    animator = logged_in(client_for(alpha), animator_of(alpha))

    animator.post(
        f"/admin/reactions/moderer/{reaction.pk}/",
        {"decision": "reply", "reply": "Oui, la semaine prochaine."},
    )

    text = client_for(alpha).get(page.page_url).text
    assert "Réponse de la rédaction" in text
    assert "Oui, la semaine prochaine." in text


def test_refusals_are_in_french_and_keep_what_was_typed(alpha, client_for):
    page = article(alpha)
    visitor = client_for(alpha)

    response = visitor.post(
        page.page_url + "reactions/",
        reaction_form(alpha, email="pas-une-adresse", text="Mon texte gardé", name=""),
    )

    assert response.status_code == 400
    assert "Saisissez une adresse e-mail complète" in response.text
    assert "Indiquez votre nom" in response.text
    assert "Mon texte gardé" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "reactions/confirmer/AAAA/",
        "reactions/confirmer/%00%ff/",
        "reactions/confirmer/" + "x" * 400 + "/",
        "reactions/999999999/signaler/",
        "reactions/99999999999999999999999/signaler/",
        "reactions/envoyee/nimporte/",
    ],
)
def test_hostile_addresses_get_a_clean_answer_never_a_500(alpha, client_for, path):
    page = article(alpha)
    assert client_for(alpha).get(page.page_url + path).status_code == 404


def test_hostile_form_input_never_gives_a_500(alpha, client_for):
    page = article(alpha)
    visitor = client_for(alpha)
    for data in (
        {"name": ["a", "b"], "email": "\x00", "text": "\u202e" * 5000},
        {"formulaire_ouvert": "faux", "name": "x" * 10000},
        {},
    ):
        assert visitor.post(page.page_url + "reactions/", data).status_code == 400


def test_a_page_with_reactions_switched_off_shows_neither_form_nor_reactions(
    alpha, client_for, animator_of
):
    page = article(alpha)
    with schema_context(alpha.schema_name):
        Reaction.objects.create(
            page_id=page.pk,
            name="Mireille",
            email="m@example.org",
            text="Déjà publiée",
            status=Status.PUBLISHED,
        )
    visitor = client_for(alpha)
    assert "Déjà publiée" in visitor.get(page.page_url).text
    animator = logged_in(client_for(alpha), animator_of(alpha))

    animator.post(f"/admin/reactions/page/{page.pk}/")

    text = visitor.get(page.page_url).text
    assert "Déjà publiée" not in text and "Réagir" not in text
    closed = visitor.get(page.page_url + "reactions/")
    assert closed.status_code == 404 and "Les réactions sont fermées" in closed.text
    assert visitor.get(page.page_url + "reactions/rss/").status_code == 404

    animator.post(f"/admin/reactions/page/{page.pk}/", {"open": "1"})
    assert "Déjà publiée" in visitor.get(page.page_url).text


def test_reports_past_the_threshold_hide_a_reaction_until_reviewed(alpha, client_for, animator_of):
    from tests.reactions.conftest import report_form

    page = article(alpha)
    with schema_context(alpha.schema_name):
        reaction = Reaction.objects.create(
            page_id=page.pk,
            name="Troll",
            email="t@example.org",
            text="Propos limites",
            status=Status.PUBLISHED,
        )
    for n in range(3):
        client_for(alpha).post(
            page.page_url + f"reactions/{reaction.pk}/signaler/",
            report_form(alpha),
            REMOTE_ADDR=f"203.0.113.{n + 1}",
        )
    # The same visitor twice counts once.
    client_for(alpha).post(
        page.page_url + f"reactions/{reaction.pk}/signaler/",
        report_form(alpha),
        REMOTE_ADDR="203.0.113.1",
    )

    assert _reaction(alpha, pk=reaction.pk).report_count == 3
    assert "Propos limites" not in client_for(alpha).get(page.page_url).text
    animator = logged_in(client_for(alpha), animator_of(alpha))
    queue = animator.get("/admin/reactions/?queue=reported")
    assert "Troll" in queue.text

    animator.post(f"/admin/reactions/moderer/{reaction.pk}/", {"decision": "approve"})

    assert "Propos limites" in client_for(alpha).get(page.page_url).text


def test_bulk_actions_approve_several_reactions(alpha, client_for, animator_of):
    page = article(alpha)
    with schema_context(alpha.schema_name):
        ids = [
            Reaction.objects.create(
                page_id=page.pk,
                name=f"Voisin {n}",
                email=f"v{n}@example.org",
                text=f"Réaction groupée {n}",
                status=Status.PENDING,
            ).pk
            for n in range(3)
        ]
    animator = logged_in(client_for(alpha), animator_of(alpha))
    ids_query = "&".join(f"id={pk}" for pk in ids)
    base = "/admin/bulk/reactions/reaction"

    response = animator.post(f"{base}/approve_reactions/?{ids_query}", {})
    trusted = animator.post(f"{base}/trust_reaction_addresses/?id={ids[0]}", {})

    assert response.status_code == 302 and trusted.status_code == 302
    text = client_for(alpha).get(page.page_url).text
    assert all(f"Réaction groupée {n}" in text for n in range(3))
    with schema_context(alpha.schema_name):
        assert ReactionAddress.objects.get(email="v0@example.org").trusted


def test_the_moderation_inbox_lists_waiting_and_reported_reactions(alpha):
    from core.moderation import moderation_sources

    page = article(alpha)
    with schema_context(alpha.schema_name):
        Reaction.objects.create(
            page_id=page.pk,
            name="Inès",
            email="i@example.org",
            text="En attente",
            status=Status.PENDING,
        )
        sources = {source.key: source for source in moderation_sources()}
        waiting = sources["reactions"].waiting(50)
        assert sources["reactions"].waiting_count() >= 1
        assert any("Inès" in item.title for item in waiting)
        assert "reaction-reports" in sources
        assert sources["reactions"].permission == "reactions.change_reaction"


def test_the_address_confirmed_at_the_portal_is_remembered(alpha, client_for, outbox):
    page = article(alpha)
    visitor = client_for(alpha)
    visitor.post(page.page_url + "reactions/", reaction_form(alpha, email="nour@example.org"))
    link = path_of(links_in(outbox[-1])[-1])
    opened = visitor.get(link)
    response = visitor.post(link)

    assert opened[HEADER] == "BYPASS"  # one person's page: never from the page cache
    assert "reactions_adresse" not in opened.cookies  # opening the link vouches for nothing
    cookie = response.cookies["reactions_adresse"]
    assert cookie["httponly"] and not cookie["domain"]  # this host only
    with schema_context(alpha.schema_name):
        assert ReactionAddress.objects.get(email="nour@example.org").confirmed_at is not None


def test_reactions_never_confirmed_are_erased_once_their_link_has_expired(alpha, beta):
    with schema_context(alpha.schema_name):
        page = article(alpha)
        with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
            expired = ReactionFactory(page=page, status=Reaction.Status.UNCONFIRMED)
            old_but_confirmed = ReactionFactory(page=page)
        recent = ReactionFactory(page=page, status=Reaction.Status.UNCONFIRMED)
    output = StringIO()

    call_command("reactions_maintenance", stdout=output)
    call_command("reactions_maintenance", stdout=StringIO())  # a second run: nothing to do

    with schema_context(alpha.schema_name):
        left = set(Reaction.objects.values_list("pk", flat=True))
    assert expired.pk not in left
    assert {old_but_confirmed.pk, recent.pk} <= left
    assert "alpha … 1 réaction(s) non confirmée(s) effacée(s)" in output.getvalue()
