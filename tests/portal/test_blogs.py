"""Residents write in their own blog; nothing goes live before an animator approves it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils.text import slugify
from django_tenants.utils import schema_context
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.blogs.contributors import invite_contributor
from portal.factories import BlogPageFactory
from tests.conftest import PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def blogs(beta, django_capture_on_commit_callbacks):
    """Two blogs at beta, and a contributor invited to write in the first one only."""
    with schema_context(beta.schema_name):
        own = BlogPageFactory(title="Carnet de Mireille", slug="carnet")
        other = BlogPageFactory(title="Reporters du collège", slug="reporters")
        with django_capture_on_commit_callbacks(execute=True):
            writer = invite_contributor(beta, "Mireille@Example.org", own, first_name="Mireille")
        writer.set_password(PASSWORD)
        writer.save()
    return {"own": own, "other": other, "writer": writer}


def logged_in(client, username):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    pass_second_factor(client)
    assert response.status_code == 302
    return client


def post_form(title: str, action: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "date": "2026-11-20",
            "intro": rich_text("<p>Chapô</p>"),
            "body": streamfield([]),
            "comments": inline_formset([]),
            action: "1",
        }
    )


def test_invited_contributor_gets_an_email_linking_to_their_portal(blogs):
    (message,) = mail.outbox

    assert message.to == ["mireille@example.org"]
    assert "Carnet de Mireille" in message.body
    assert "http://beta.localhost:8000/admin/password_reset/confirm/" in message.body


def test_contributor_cannot_publish_directly(blogs, beta, client_for):
    browser = logged_in(client_for(beta), "mireille@example.org")

    browser.post(
        f"/admin/pages/add/portal/blogpostpage/{blogs['own'].pk}/",
        post_form("Publié sans relecture ?", "action-publish"),
    )

    with schema_context(beta.schema_name):
        post = Page.objects.get(title="Publié sans relecture ?")
    assert not post.live
    assert client_for(beta).get(post.url_path.replace("/accueil", "")).status_code == 404


def test_contributor_cannot_write_in_another_blog(blogs, beta, client_for):
    browser = logged_in(client_for(beta), "mireille@example.org")

    form = browser.get(f"/admin/pages/add/portal/blogpostpage/{blogs['other'].pk}/")
    browser.post(
        f"/admin/pages/add/portal/blogpostpage/{blogs['other'].pk}/",
        post_form("Dans le blog des autres", "action-submit"),
    )

    assert form.status_code != 200
    with schema_context(beta.schema_name):
        assert not Page.objects.filter(title="Dans le blog des autres").exists()


def test_submitted_post_goes_live_only_after_an_animator_approves_it(
    blogs, beta, animator_of, client_for, django_capture_on_commit_callbacks
):
    animator = animator_of(beta)
    mail.outbox.clear()
    writer = logged_in(client_for(beta), "mireille@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        writer.post(
            f"/admin/pages/add/portal/blogpostpage/{blogs['own'].pk}/",
            post_form("Le square de mon enfance", "action-submit"),
        )
    with schema_context(beta.schema_name):
        post = Page.objects.get(title="Le square de mon enfance").specific
        task_state = post.current_workflow_task_state
    public_url = f"/blogs/carnet/{post.slug}/"
    before = client_for(beta).get(public_url).status_code

    # The animator is told by e-mail, with a link to their own portal's admin...
    notified = [m for m in mail.outbox if animator.email in m.to]
    assert notified, [m.to for m in mail.outbox]
    assert f"http://beta.localhost:8000/admin/pages/{post.pk}/" in notified[0].body
    assert "alpha.localhost" not in notified[0].body
    # ...and sees it waiting in the admin.
    reviewer = logged_in(client_for(beta), animator.username)
    assert "Le square de mon enfance" in reviewer.get("/admin/").text

    reviewer.post(
        f"/admin/pages/workflow/action/{post.pk}/approve/{task_state.pk}/",
        {"comment": "Bravo"},
    )
    after = client_for(beta).get(public_url)

    assert before == 404
    assert after.status_code == 200
    assert "Le square de mon enfance" in after.text


def test_animator_invites_a_contributor_from_the_admin(beta, animator_of, client_for):
    animator = animator_of(beta)
    browser = logged_in(client_for(beta), animator.username)

    form = browser.get("/admin/contributeurs/inviter/")
    browser.post(
        "/admin/contributeurs/inviter/",
        {"email": "karim@example.org", "first_name": "Karim", "new_blog_title": "Vu du 5e"},
    )

    assert form.status_code == 200
    with schema_context(beta.schema_name):
        karim = get_user_model().objects.get(username="karim@example.org")
        groups = sorted(karim.groups.values_list("name", flat=True))
        assert Page.objects.filter(title="Vu du 5e", live=True).exists()
    assert groups[0] == "Blog n° " + groups[0].split("n° ")[1]
    assert "Contributeurs" in groups


def test_invitation_form_says_what_is_missing_in_french(beta, animator_of, client_for):
    browser = logged_in(client_for(beta), animator_of(beta).username)

    response = browser.post("/admin/contributeurs/inviter/", {"email": "pas-une-adresse"})

    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide" in response.text
    assert "Choisissez un blog existant ou donnez un titre au nouveau blog" in response.text


def test_an_animator_of_another_portal_cannot_reach_the_invitation_screen(
    alpha, beta, animator_of, client_for
):
    animator = animator_of(alpha)
    browser = client_for(alpha)
    browser.post("/admin/login/", {"username": animator.username, "password": PASSWORD})
    pass_second_factor(browser)
    browser.defaults["HTTP_HOST"] = "beta.localhost"

    response = browser.get("/admin/contributeurs/inviter/")

    assert response.status_code == 302
    assert re.match(r"^/admin/login/", response["Location"])
