"""The participatory journal gathers an accepted and published proposal as an article, with
its proposer's credit when they agreed to be named."""

import pytest
from django_tenants.utils import schema_context

from portal.factories import ArticlePageFactory
from portal.models import ArticleIndexPage, JournalIssueItem, JournalIssuePage
from proposals import lifecycle
from proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_a_journal_issue_shows_the_credit_of_a_published_proposal(alpha, client_for):
    with schema_context(alpha.schema_name):
        named = lifecycle.accept(
            ProposalFactory(title="La laverie solidaire a deux ans", name="Nadia"), None
        )
        named.save_revision().publish()
        anonymous = lifecycle.accept(
            ProposalFactory(title="Un témoignage discret", name="Anonyme", credit_consent=False),
            None,
        )
        anonymous.save_revision().publish()
        written = ArticlePageFactory(title="Article de la rédaction", slug="redaction")
        issue = JournalIssuePage(title="Numéro deux", slug="numero-deux", number=2)
        issue.items = [
            JournalIssueItem(page=named),
            JournalIssueItem(page=anonymous),
            JournalIssueItem(page=written),
        ]
        ArticleIndexPage.objects.get().add_child(instance=issue)
        issue.save_revision().publish()

    text = client_for(alpha).get("/actualites/numero-deux/").text

    assert "La laverie solidaire a deux ans" in text and "Un témoignage discret" in text
    assert text.count("Proposé par") == 1
    assert "Proposé par Nadia" in text
    assert "Anonyme" not in text
