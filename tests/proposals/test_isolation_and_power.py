"""A proposal of portal A is never seen, decided or withdrawn at portal B; only those who
may moderate proposals see the queue and decide."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context

from proposals.factories import ProposalFactory
from proposals.models import Proposal
from proposals.tokens import confirmation_token, withdrawal_token
from tests.conftest import PASSWORD, logged_in
from tests.proposals.conftest import QUEUE, SECTION

pytestmark = pytest.mark.django_db

Status = Proposal.Status


def _same_id_at_both(alpha, beta) -> tuple[Proposal, Proposal]:
    """A proposal at each portal, with the same id: only the portal tells them apart."""
    with schema_context(alpha.schema_name):
        at_alpha = ProposalFactory(title="Proposition d'Alpha")
    with schema_context(beta.schema_name):
        at_beta = ProposalFactory(title="Proposition de Beta")
        Proposal.objects.filter(pk=at_beta.pk).update(id=at_alpha.pk)
        at_beta = Proposal.objects.get(pk=at_alpha.pk)
    return at_alpha, at_beta


def test_a_proposal_of_a_is_never_in_bs_admin(alpha, beta, client_for, animator_of):
    with schema_context(alpha.schema_name):
        secret = ProposalFactory(title="Projet secret d'Alpha", email="alpha-only@example.org")
    at_beta = logged_in(client_for(beta), animator_of(beta))

    queue = at_beta.get(QUEUE)
    searched = at_beta.get(f"{QUEUE}?q=secret")
    inbox = at_beta.get("/admin/moderation/")

    assert queue.status_code == 200
    for response in (queue, searched, inbox):
        assert "Projet secret d&#x27;Alpha" not in response.text
        assert "alpha-only@example.org" not in response.text
    with schema_context(beta.schema_name):
        assert not Proposal.objects.filter(title="Projet secret d'Alpha").exists()
    assert secret.pk


def test_links_issued_by_a_are_dead_at_b(alpha, beta, client_for):
    at_alpha, at_beta = _same_id_at_both(alpha, beta)
    with schema_context(alpha.schema_name):
        withdraw = withdrawal_token(at_alpha.pk)
        confirm = confirmation_token(at_alpha.pk)
    with schema_context(beta.schema_name):
        Proposal.objects.filter(pk=at_beta.pk).update(status=Status.AWAITING_CONFIRMATION)

    withdrawn = client_for(beta).post(f"{SECTION}retirer/{withdraw}/")
    confirmed = client_for(beta).post(f"{SECTION}confirmer/{confirm}/")

    assert withdrawn.status_code == 404 and confirmed.status_code == 404
    with schema_context(beta.schema_name):
        assert Proposal.objects.get(pk=at_beta.pk).status == Status.AWAITING_CONFIRMATION


def test_an_animator_of_a_cannot_accept_bs_proposal(alpha, beta, client_for, animator_of):
    _at_alpha, at_beta = _same_id_at_both(alpha, beta)
    animator = animator_of(alpha)
    browser = logged_in(client_for(alpha), animator)
    # Same browser, B's host: A's session means nothing there.
    browser.defaults["HTTP_HOST"] = beta.get_primary_domain().domain

    response = browser.post(f"{QUEUE}traiter/{at_beta.pk}/", {"decision": "accept"})

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    with schema_context(beta.schema_name):
        assert Proposal.objects.get(pk=at_beta.pk).status == Status.WAITING


def _contributor(portal):
    with schema_context(portal.schema_name):
        user = get_user_model().objects.create_user(
            username="plume@example.org", email="plume@example.org", password=PASSWORD
        )
        user.groups.add(Group.objects.get(name="Contributeurs"))
    return user


def test_a_user_without_the_right_cannot_see_the_queue_nor_decide(alpha, client_for, outbox):
    with schema_context(alpha.schema_name):
        proposal = ProposalFactory(title="Pas pour les contributeurs")
    browser = logged_in(client_for(alpha), _contributor(alpha))

    queue = browser.get(QUEUE)
    decide = browser.get(f"{QUEUE}traiter/{proposal.pk}/")
    accept = browser.post(f"{QUEUE}traiter/{proposal.pk}/", {"decision": "accept"})
    bulk = browser.post(
        f"/admin/bulk/proposals/proposal/decline_proposals/?id={proposal.pk}", {"message": "Non"}
    )
    dashboard = browser.get("/admin/")
    inbox = browser.get("/admin/moderation/")

    for response in (queue, decide, accept):
        assert response.status_code in (302, 403)
    assert bulk.status_code in (302, 403)
    assert "Pas pour les contributeurs" not in dashboard.text + inbox.text
    assert 'href="/admin/moderation/"' not in dashboard.text  # no menu item
    with schema_context(alpha.schema_name):
        proposal.refresh_from_db()
    assert proposal.status == Status.WAITING and proposal.page_id is None
    assert outbox == []


def test_the_queue_lists_waiting_first_with_filters_and_bulk_decline(
    alpha, client_for, animator_of, outbox
):
    with schema_context(alpha.schema_name):
        Proposal.objects.all().delete()
        spam = [ProposalFactory(title=f"Gagnez un iPhone {n}") for n in range(2)]
        kept = ProposalFactory(title="Une vraie idée", kind=Proposal.Kind.NEWS)
        ProposalFactory(title="Déjà déclinée", status=Status.DECLINED)
    browser = logged_in(client_for(alpha), animator_of(alpha))

    queue = browser.get(QUEUE).text
    edit = browser.get(f"{QUEUE}edit/{kept.pk}/")
    news = browser.get(f"{QUEUE}?kind=news").text
    ids = "&".join(f"id={proposal.pk}" for proposal in spam)
    confirm = browser.get(f"/admin/bulk/proposals/proposal/decline_proposals/?{ids}")
    declined = browser.post(
        f"/admin/bulk/proposals/proposal/decline_proposals/?{ids}",
        {"message": "Hors sujet pour le média du quartier."},
    )

    assert queue.index("Une vraie idée") < queue.index("Déjà déclinée")
    assert f'href="/admin/propositions/traiter/{kept.pk}/"' in queue
    assert edit.status_code == 302 and edit["Location"] == f"{QUEUE}traiter/{kept.pk}/"
    assert "Une vraie idée" in news and "Gagnez un iPhone" not in news
    assert "Message envoyé à chaque personne" in confirm.text
    assert declined.status_code == 302
    with schema_context(alpha.schema_name):
        statuses = dict(Proposal.objects.values_list("title", "status"))
    assert statuses["Gagnez un iPhone 0"] == statuses["Gagnez un iPhone 1"] == Status.DECLINED
    assert statuses["Une vraie idée"] == Status.WAITING
    assert len(outbox) == 2 and "Hors sujet" in outbox[0].body
    assert kept.pk
