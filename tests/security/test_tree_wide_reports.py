"""Wagtail's reports that read the whole page tree (page types, moderation) answer only
those who may publish: a blog's contributor reads neither another person's draft title nor
the addresses of everyone who submitted a page for moderation."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context
from wagtail.models import Workflow

from portal.blogs.contributors import invite_contributor
from portal.factories import ArticlePageFactory, BlogPageFactory, BlogPostPageFactory
from tests.conftest import PASSWORD
from tests.portal.test_blogs import logged_in

pytestmark = pytest.mark.django_db

REPORTS = [
    "/admin/reports/page-types-usage/",
    "/admin/reports/page-types-usage/results/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow/results/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/workflow_tasks/results/",
]


@pytest.fixture
def moderated_draft(alpha):
    """An animator's unpublished article, and a post another contributor submitted."""
    with schema_context(alpha.schema_name):
        draft = ArticlePageFactory(title="Fermeture secrète de la piscine", slug="piscine")
        draft.unpublish()
        blog = BlogPageFactory(title="Carnet de Samia", slug="carnet-samia")
        samia = invite_contributor(alpha, "samia.confidentielle@example.org", blog)
        post = BlogPostPageFactory(parent=blog, title="Mon premier billet", live=False)
        post.save_revision(user=samia)
        Workflow.objects.filter(active=True).first().start(post, samia)
        curious = invite_contributor(alpha, "curieux@example.org", BlogPageFactory(slug="c"))
        curious.set_password(PASSWORD)
        curious.save()
    return curious


@pytest.mark.parametrize("report", REPORTS)
def test_a_contributor_reads_no_tree_wide_report(alpha, client_for, moderated_draft, report):
    browser = logged_in(client_for(alpha), moderated_draft.username)

    response = browser.get(report, follow=True)

    assert response.redirect_chain == [("/admin/", 302)]  # refused, as Wagtail refuses
    assert "Fermeture secrète" not in response.text
    assert "samia.confidentielle" not in response.text


def test_an_animator_still_reads_them(alpha, client_for, animator_of, moderated_draft):
    browser = logged_in(client_for(alpha), animator_of(alpha).username)

    types = browser.get("/admin/reports/page-types-usage/")
    moderation = browser.get("/admin/reports/workflow/")

    assert types.status_code == 200 and "Fermeture secrète" in types.text
    assert moderation.status_code == 200 and "samia.confidentielle" in moderation.text
