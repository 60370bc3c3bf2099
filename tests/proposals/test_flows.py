"""A proposal's life, driven as a resident and an animator would: forms, e-mailed links,
the admin's decision page, Wagtail's publishing."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from portal.public import ArticlePage, EventPage
from proposals.factories import EventProposalFactory, ProposalFactory
from proposals.models import Proposal, ProposalCredit, ProposalEvent, ProposalSettings
from tests.conftest import logged_in
from tests.proposals.conftest import QUEUE, SECTION, event_form, link, photo, subject_form

pytestmark = pytest.mark.django_db

Status = Proposal.Status


def _propose_and_confirm(portal, client_for, outbox, form: dict, route: str = "sujet") -> Proposal:
    browser = client_for(portal)
    response = browser.post(f"{SECTION}{route}/", form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert browser.post(link(outbox[-1], "/confirmer/")).status_code == 200
    with schema_context(portal.schema_name):
        return Proposal.objects.get(title=form["title"])


def _decide(portal, client_for, animator_of, proposal: Proposal, **data: str):
    admin = logged_in(client_for(portal), animator_of(portal))
    return admin.post(f"{QUEUE}traiter/{proposal.pk}/", {"message": "", **data})


def test_every_portal_has_the_section_with_both_forms_in_its_menu(alpha, client_for):
    browser = client_for(alpha)

    home = browser.get("/").text
    section = browser.get(SECTION)
    subject = browser.get(f"{SECTION}sujet/")
    event = browser.get(f"{SECTION}evenement/")

    assert 'href="/participer/"' in home
    assert "Proposer un sujet" in section.text and "Proposer un événement" in section.text
    assert subject.status_code == 200 and "Crédit de la photo 3" in subject.text
    assert event.status_code == 200 and "Organisé par" in event.text


def test_a_subject_goes_from_the_form_to_a_draft_article_with_its_photos_and_credit(
    alpha, client_for, animator_of, outbox
):
    form = subject_form(
        alpha,
        photo_1=photo("marche.jpg"),
        credit_1="Awa K.",
        photo_2=photo("stand.png"),
        credit_2="Club photo des Lilas",
    )
    browser = client_for(alpha)
    response = browser.post(f"{SECTION}sujet/", form)
    assert response.status_code == 302
    assert outbox[-1].to == ["diallo@example.org"]
    confirm = link(outbox[-1], "/confirmer/")
    assert outbox[-1].body.count("http://alpha.localhost") >= 1
    opened = browser.get(confirm)  # what a mail scanner does: nothing confirmed
    assert "Confirmer ma proposition" in opened.text
    with schema_context(alpha.schema_name):
        assert Proposal.objects.get(title="Trente ans au marché").status == (
            Status.AWAITING_CONFIRMATION
        )
    confirmed = browser.post(confirm)
    assert "Merci, votre proposition est confirmée" in confirmed.text
    assert "/participer/retirer/" in outbox[-1].body  # the withdrawal link, to keep
    with schema_context(alpha.schema_name):
        proposal = Proposal.objects.get(title="Trente ans au marché")
    assert proposal.status == Status.WAITING

    accepted = _decide(alpha, client_for, animator_of, proposal, decision="accept")

    with schema_context(alpha.schema_name):
        proposal.refresh_from_db()
        article = ArticlePage.objects.get(pk=proposal.page_id)
        blocks = [(block.block_type, block.value) for block in article.body]
        images = [value for kind, value in blocks if kind == "image"]
        credit = ProposalCredit.objects.get(page=article).name
        image_titles = [value["image"].title for value in images]
        cover = article.cover
    assert accepted.status_code == 302
    assert accepted["Location"] == f"/admin/pages/{article.pk}/edit/"
    assert proposal.status == Status.ACCEPTED
    assert not article.live and article.has_unpublished_changes
    assert [kind for kind, _ in blocks] == ["paragraph", "paragraph", "image", "image"]
    assert "Je tiens le stand de fruits depuis 1995." in blocks[0][1].source
    assert [value["caption"] for value in images] == [
        "Photo : Awa K.",
        "Photo : Club photo des Lilas",
    ]
    assert "Awa K." in image_titles[0] and "Club photo des Lilas" in image_titles[1]
    assert cover == images[0]["image"]
    assert credit == "Monsieur Diallo"
    assert "Votre proposition est acceptée" in outbox[-1].subject


def test_publishing_the_page_sends_the_proposer_its_link_once(alpha, client_for, outbox):
    with schema_context(alpha.schema_name):
        proposal = ProposalFactory(title="Le square rouvre", name="Collectif des parents")
    from proposals import lifecycle

    with schema_context(alpha.schema_name):
        page = lifecycle.accept(proposal, None)
        outbox.clear()
        page.save_revision().publish()
        page.refresh_from_db()
        page.save_revision().publish()  # republished: no second message
        path = page.url

    assert len(outbox) == 1
    assert "Votre proposition est en ligne" in outbox[0].subject
    assert f"http://alpha.localhost:8000{path}" in outbox[0].body
    article = client_for(alpha).get(path)
    assert "Proposé par Collectif des parents" in article.text


def test_a_proposer_who_declined_to_be_named_is_not_named(alpha, client_for):
    from proposals import lifecycle

    with schema_context(alpha.schema_name):
        proposal = ProposalFactory(title="Sans mon nom", name="Discrète", credit_consent=False)
        page = lifecycle.accept(proposal, None)
        page.save_revision().publish()
        path = Page.objects.get(pk=page.pk).url

    article = client_for(alpha).get(path)

    assert article.status_code == 200
    assert "Discrète" not in article.text and "Proposé par" not in article.text


def test_an_event_becomes_a_draft_event_with_its_dates_place_and_organiser(
    alpha, client_for, animator_of, outbox
):
    proposal = _propose_and_confirm(
        alpha,
        client_for,
        outbox,
        event_form(
            alpha, photo_1=photo(), credit_1="Sophie", place="Rue des Lilas\n12, rue des Lilas"
        ),
        "evenement",
    )

    accepted = _decide(alpha, client_for, animator_of, proposal, decision="accept")

    with schema_context(alpha.schema_name):
        proposal.refresh_from_db()
        event = EventPage.objects.get(pk=proposal.page_id)
    assert accepted["Location"] == f"/admin/pages/{event.pk}/edit/"
    assert not event.live
    assert (event.start, event.end) == (proposal.start, proposal.end)
    assert event.place_name == "Rue des Lilas" and event.address == "12, rue des Lilas"
    assert event.organiser == "Les Lilas en fête"
    assert timezone.localtime(event.start).hour == 9
    assert [block.block_type for block in event.body] == ["paragraph", "image"]


def test_decline_needs_a_message_which_the_proposer_receives(
    alpha, client_for, animator_of, outbox
):
    with schema_context(alpha.schema_name):
        proposal = ProposalFactory(title="Publicité déguisée")

    refused = _decide(alpha, client_for, animator_of, proposal, decision="decline")
    declined = _decide(
        alpha,
        client_for,
        animator_of,
        proposal,
        decision="decline",
        message="Nous ne publions pas de publicité.",
    )

    assert refused.status_code == 200
    assert "Écrivez un message à la personne qui propose" in refused.text
    assert declined.status_code == 302
    with schema_context(alpha.schema_name):
        proposal.refresh_from_db()
    assert proposal.status == Status.DECLINED
    assert outbox[-1].subject.endswith("Votre proposition n'a pas été retenue")
    assert "Nous ne publions pas de publicité." in outbox[-1].body


def test_answer_without_deciding_is_emailed_and_kept_in_the_history(
    alpha, client_for, animator_of, outbox
):
    with schema_context(alpha.schema_name):
        proposal = ProposalFactory(title="Les jardins partagés")

    answered = _decide(
        alpha,
        client_for,
        animator_of,
        proposal,
        decision="answer",
        message="On vous rappelle jeudi pour en parler.",
    )
    page = logged_in(client_for(alpha), animator_of(alpha)).get(f"{QUEUE}traiter/{proposal.pk}/")

    assert answered.status_code == 302
    with schema_context(alpha.schema_name):
        proposal.refresh_from_db()
        last = proposal.history.last()
    assert proposal.status == Status.WAITING
    assert last.message == "On vous rappelle jeudi pour en parler."
    assert last.actor == ProposalEvent.Actor.MODERATOR
    assert "On vous rappelle jeudi pour en parler." in outbox[-1].body
    assert "On vous rappelle jeudi pour en parler." in page.text


def test_the_proposer_withdraws_from_the_emailed_link(alpha, client_for, outbox):
    proposal = _propose_and_confirm(alpha, client_for, outbox, subject_form(alpha))
    withdraw = link(outbox[-1], "/retirer/")
    browser = client_for(alpha)

    shown = browser.get(withdraw)
    with schema_context(alpha.schema_name):
        still_waiting = Proposal.objects.get(pk=proposal.pk).status
    done = browser.post(withdraw)
    again = browser.post(withdraw)

    assert "Retirer ma proposition" in shown.text
    assert still_waiting == Status.WAITING  # opening the link withdraws nothing
    assert "Votre proposition est retirée" in done.text
    assert again.status_code == 409
    with schema_context(alpha.schema_name):
        assert Proposal.objects.get(pk=proposal.pk).status == Status.WITHDRAWN
    # Withdrawn, the page has no form left: it stays the proposer's, kept by no cache.
    after = client_for(alpha).get(withdraw)
    assert "public" not in after.get("Cache-Control", "")
    assert after.get("X-Cache") != "MISS"


def test_withdrawing_an_accepted_proposal_removes_the_credit_not_the_page(alpha):
    from proposals import lifecycle

    with schema_context(alpha.schema_name):
        proposal = ProposalFactory(title="Retirée après coup")
        page = lifecycle.accept(proposal, None)
        lifecycle.withdraw(proposal)
        assert Page.objects.filter(pk=page.pk).exists()
        assert not ProposalCredit.objects.filter(page_id=page.pk).exists()


def test_purge_keeps_proposals_for_the_portals_retention_period(alpha, beta):
    with schema_context(alpha.schema_name):
        settings = ProposalSettings.load()
        settings.retention_days = 30
        settings.save()
        with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
            old = ProposalFactory(title="Ancienne")
            unconfirmed = EventProposalFactory(status=Status.AWAITING_CONFIRMATION)
        with time_machine.travel(timezone.now() - datetime.timedelta(days=3)):
            stale_unconfirmed = ProposalFactory(status=Status.AWAITING_CONFIRMATION)
        recent = ProposalFactory(title="Récente")
    with (
        schema_context(beta.schema_name),
        time_machine.travel(timezone.now() - datetime.timedelta(days=31)),
    ):
        kept_at_beta = ProposalFactory(title="Gardée à Beta (180 jours)")

    from io import StringIO

    output = StringIO()
    call_command("proposals_maintenance", stdout=output)
    call_command("proposals_maintenance", stdout=StringIO())  # a second run: nothing to do

    with schema_context(alpha.schema_name):
        left = set(Proposal.objects.values_list("pk", flat=True))
    with schema_context(beta.schema_name):
        assert Proposal.objects.filter(pk=kept_at_beta.pk).exists()
    assert left >= {recent.pk}
    assert not left & {old.pk, unconfirmed.pk, stale_unconfirmed.pk}
    assert "alpha … 3 proposition(s) effacée(s)" in output.getvalue()
