"""Previews of contributors' drafts run under the public policy, not the admin's (issue 16,
point 6): a script a contributor slipped into a draft must not run with the looser
admin policy when an animator opens the preview."""

import pytest
from django.utils.text import slugify
from django_tenants.utils import schema_context
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.blogs.contributors import invite_contributor
from portal.factories import BlogPageFactory
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db


def draft_form(title: str, **actions: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "date": "2026-11-20",
            "intro": rich_text("<p>Chapô</p>"),
            "body": streamfield([]),
            "comments": inline_formset([]),
            **actions,
        }
    )


def script_sources(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives["script-src"].split()


@pytest.fixture
def contributor_draft(beta, client_for, animator_of, django_capture_on_commit_callbacks):
    """A blog post a contributor saved as a draft in the admin; the animator's browser."""
    with schema_context(beta.schema_name):
        blog = BlogPageFactory(title="Carnet de Karim", slug="carnet-karim")
        with django_capture_on_commit_callbacks(execute=True):
            writer = invite_contributor(beta, "karim@example.org", blog, first_name="Karim")
        writer.set_password(PASSWORD)
        writer.save()
    contributor = client_for(beta)
    response = logged_in(contributor, writer).post(
        f"/admin/pages/add/portal/blogpostpage/{blog.pk}/", draft_form("Ma rue")
    )
    assert response.status_code == 302
    with schema_context(beta.schema_name):
        draft = Page.objects.get(slug="ma-rue")
    animator = logged_in(client_for(beta), animator_of(beta))
    return draft, animator


def test_admin_pages_keep_the_admin_policy(contributor_draft):
    draft, animator = contributor_draft

    response = animator.get(f"/admin/pages/{draft.pk}/edit/")

    assert "'unsafe-inline'" in script_sources(response)


def test_animator_previewing_a_contributor_draft_gets_the_public_policy(contributor_draft):
    draft, animator = contributor_draft
    preview_url = f"/admin/pages/{draft.pk}/edit/preview/"
    assert animator.post(preview_url, draft_form("Ma rue")).json()["is_valid"]

    response = animator.get(preview_url)

    assert response.status_code == 200
    assert "Ma rue" in response.text
    assert script_sources(response) == ["'self'"]


def test_animator_viewing_a_contributor_revision_gets_the_public_policy(contributor_draft):
    draft, animator = contributor_draft
    revision = draft.latest_revision

    response = animator.get(f"/admin/pages/{draft.pk}/revisions/{revision.pk}/view/")

    assert response.status_code == 200
    assert script_sources(response) == ["'self'"]


def test_preview_of_a_new_page_gets_the_public_policy(beta, client_for, animator_of):
    with schema_context(beta.schema_name):
        blog = BlogPageFactory(title="Carnet d'Inès", slug="carnet-ines")
    animator = logged_in(client_for(beta), animator_of(beta))
    preview_url = f"/admin/pages/add/portal/blogpostpage/{blog.pk}/preview/"
    assert animator.post(preview_url, draft_form("Nouvelle page")).json()["is_valid"]

    response = animator.get(preview_url)

    assert response.status_code == 200
    assert script_sources(response) == ["'self'"]
