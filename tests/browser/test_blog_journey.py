"""A resident contributor writes in their blog; the animator approves; visitors read it."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from portal.blogs.contributors import invite_contributor
from portal.factories import BlogPageFactory
from portal.models import BlogPostPage
from tests.browser.conftest import animator_login, log_into_admin
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("carnets", name="Les Carnets")


@pytest.fixture(scope="module")
def blog_and_people(portal, django_db_blocker) -> dict:
    """A blog, its invited writer and the animator, with known passwords (committed)."""
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        blog = BlogPageFactory(title="Carnet de Mireille", slug="carnet")
        writer = invite_contributor(portal, "mireille@example.org", blog, first_name="Mireille")
        writer.set_password(PASSWORD)
        writer.save(update_fields=["password"])
        animator = animator_login(portal, PASSWORD)
        return {"blog": blog, "writer": writer.username, "animator": animator}


def test_a_blog_post_goes_live_once_the_animator_approves_it(
    new_window, origin, portal, blog_and_people, shoot
) -> None:
    base, blog = origin(portal), blog_and_people["blog"]
    writer = new_window()
    log_into_admin(writer, base, blog_and_people["writer"], PASSWORD)
    writer.goto(f"{base}/admin/pages/{blog.pk}/")
    shoot(writer, "explorateur")
    writer.locator(f"header a[href$='/pages/{blog.pk}/add_subpage/']").first.click()
    writer.locator("#id_title").fill("La fête de la rue Piat")
    writer.locator("[data-contentpath=intro] .public-DraftEditor-content").click()
    writer.keyboard.type("Toute la rue a dansé jusqu'au soir.")
    # Draftail writes its hidden field a moment after the last key: wait for it, as a writer
    # who reads their text over before sending would.
    expect(writer.locator("input[name=intro]")).to_have_value(re.compile("Toute la rue"))
    shoot(writer, "billet-redige")
    writer.locator("footer [data-w-dropdown-target=toggle]").click()
    writer.get_by_role("button", name=re.compile("Soumettre")).click()
    expect(writer.locator(".messages")).to_contain_text("soumise")
    shoot(writer, "billet-soumis")

    visitor = new_window()
    visitor.goto(f"{base}/blogs/carnet/")
    expect(visitor.get_by_text("La fête de la rue Piat")).to_have_count(0)

    animator = new_window()
    log_into_admin(animator, base, blog_and_people["animator"], PASSWORD)
    expect(animator.get_by_text("La fête de la rue Piat").first).to_be_visible()  # to review
    with schema_context(portal.schema_name):
        post = BlogPostPage.objects.get(title="La fête de la rue Piat")
    animator.goto(f"{base}/admin/pages/{post.pk}/edit/")
    shoot(animator, "relecture")
    animator.locator("footer [data-w-dropdown-target=toggle]").click()
    shoot(animator, "actions")
    animator.get_by_role("button", name="Approuver et Publier", exact=True).click()
    expect(animator.locator(".messages")).to_contain_text("La fête de la rue Piat")

    visitor.reload()
    visitor.get_by_role("link", name="La fête de la rue Piat").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("La fête de la rue Piat")
    expect(visitor.get_by_text("Toute la rue a dansé jusqu'au soir.")).to_be_visible()
    shoot(visitor, "billet-publie")
