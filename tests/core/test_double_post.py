"""A page form posted twice never meets a 500 (``core.page_creation``).

A contributor's "Soumettre" can reach Wagtail's create view twice: a double click, a form
sent again, or the editor's autosave (a JSON POST to the same address) still on its way
when the button is pressed. The second POST is answered in French, with the form or with
the page already made, and one page is made.

The concurrent cases are made certain, not left to luck: the test holds the blog's row
(the lock Wagtail's tree takes to add a child) from a connection of its own while both
requests start, each on its own connection, and lets go once both are waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.utils.text import slugify
from django_tenants.utils import schema_context
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from core.page_creation import add_with_free_slug
from portal.blogs.contributors import invite_contributor
from portal.blogs.models import BlogPostPage
from portal.factories import BlogPageFactory
from tenants.models import Neighbourhood
from tests.conftest import PASSWORD, host, logged_in

# No test transaction: what each test writes is committed, for the requests' own
# connections to see (``django_db_blocker.unblock``, as the module's portal is made).
TWIN = "existe déjà"


@pytest.fixture(scope="module")
def portal(make_portal) -> Neighbourhood:
    return make_portal("doublepost")


@pytest.fixture(scope="module")
def blog(portal, django_db_blocker) -> Page:
    """« Carnet de Mireille » and its contributor (committed: every connection sees them)."""
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        blog = BlogPageFactory(title="Carnet de Mireille", slug="carnet")
        writer = invite_contributor(portal, "mireille@example.org", blog, first_name="Mireille")
        writer.set_password(PASSWORD)
        writer.save(update_fields=["password"])
        return blog


@pytest.fixture
def writer(portal, blog, django_db_blocker) -> Iterator[Callable[[], Client]]:
    """Browsers signed in as Mireille; the posts the test made are deleted afterwards."""
    with django_db_blocker.unblock():

        def browser() -> Client:
            client = Client(HTTP_HOST=host(portal), raise_request_exception=False)
            with schema_context(portal.schema_name):
                user = get_user_model().objects.get(email="mireille@example.org")
            return logged_in(client, user)

        yield browser
        with schema_context(portal.schema_name):
            for post in Page.objects.get(pk=blog.pk).get_children():
                post.delete()


def form(title: str, action: str | None) -> dict:
    """The create form as the editor sends it (``action`` None: the autosave's POST)."""
    data = {
        "title": title,
        "slug": slugify(title),
        "date": "2026-11-20",
        "intro": rich_text("<p>Toute la rue a dansé jusqu'au soir.</p>"),
        "body": streamfield([]),
        "comments": inline_formset([]),
    }
    if action:
        data[action] = "1"
    return nested_form_data(data)


def add_url(blog: Page) -> str:
    return f"/admin/pages/add/portal/blogpostpage/{blog.pk}/"


def posts_titled(portal: Neighbourhood, blog: Page, title: str) -> int:
    with schema_context(portal.schema_name):
        return Page.objects.get(pk=blog.pk).get_children().filter(title=title).count()


def said(response) -> str:
    """What the person reads: the page, or the autosave's JSON message."""
    return response.content.decode()


def test_a_form_sent_again_is_answered_with_the_page_already_made(
    portal, blog, writer, django_db_blocker
) -> None:
    with django_db_blocker.unblock():
        browser = writer()
        first = browser.post(add_url(blog), form("La fête de la rue Piat", "action-submit"))
        second = browser.post(add_url(blog), form("La fête de la rue Piat", "action-submit"))

        assert first.status_code == 302
        assert second.status_code == 200
        assert TWIN in said(second)
        assert "La fête de la rue Piat" in said(second)
        assert posts_titled(portal, blog, "La fête de la rue Piat") == 1


def _waiting_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def run_together(portal: Neighbourhood, blog: Page, calls: list[Callable[[], object]]) -> list:
    """The calls run at once, each in its own thread with its own database connection; the
    blog's row is held until every call waits (on it, or on another call), so that all of
    them pass their checks before any adds its page. Returns what each call returned, in
    order (a call that raised fails the test)."""
    holder = connections.create_connection(DEFAULT_DB_ALIAS)
    holder.set_schema(portal.schema_name)
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute("SELECT 1 FROM wagtailcore_page WHERE id = %s FOR UPDATE", [blog.pk])
    answers: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            answers[index] = call()
        except BaseException as error:
            answers[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while _waiting_sessions() < len(calls) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        holder.commit()
        holder.close()
        for thread in threads:
            thread.join(timeout=120)
    for answer in answers:
        assert not isinstance(answer, BaseException), answer
    return answers


def post_together(portal: Neighbourhood, blog: Page, posts: list[tuple[Client, dict, dict]]):
    """The POSTs (browser, form, headers) sent at once (``run_together``); their responses
    in order."""
    return run_together(
        portal,
        blog,
        [
            lambda browser=browser, data=data, headers=headers: browser.post(
                add_url(blog), data, headers=headers
            )
            for browser, data, headers in posts
        ],
    )


def test_two_clicks_at_once_make_one_post_and_a_french_answer(
    portal, blog, writer, django_db_blocker
) -> None:
    with django_db_blocker.unblock():
        data = form("Le vide-grenier du square", "action-submit")
        answers = post_together(portal, blog, [(writer(), data, {}), (writer(), data, {})])

        assert sorted(answer.status_code for answer in answers) == [200, 302]
        (refused,) = [answer for answer in answers if answer.status_code == 200]
        assert TWIN in said(refused)
        assert posts_titled(portal, blog, "Le vide-grenier du square") == 1


def test_the_autosave_and_the_submit_button_at_once_make_one_post(
    portal, blog, writer, django_db_blocker
) -> None:
    with django_db_blocker.unblock():
        title = "Les jardins partagés rouvrent"
        autosave = (writer(), form(title, None), {"Accept": "application/json"})
        submit = (writer(), form(title, "action-submit"), {})
        saved, submitted = post_together(portal, blog, [autosave, submit])

        assert saved.status_code in (200, 400)
        assert submitted.status_code in (200, 302)
        # One of the two made the page; the other says so, in French (the autosave's
        # indicator shows Wagtail's own message; the button then shows the form's).
        if submitted.status_code == 302:
            assert saved.status_code == 400
            assert saved.json()["error_code"] == "validation_error"
            assert "erreurs de validation" in saved.json()["error_message"]
        else:
            assert saved.json()["success"] is True
            assert TWIN in said(submitted)
        assert posts_titled(portal, blog, title) == 1


def test_pages_made_by_a_service_at_once_get_two_slugs(portal, blog, writer, django_db_blocker):
    """A proposal accepted, a story picked, a sheet adopted: two at once, of one title,
    make two pages (``add_with_free_slug``), where the second used to fail on its slug."""
    with django_db_blocker.unblock():

        def add() -> str:
            with schema_context(portal.schema_name):
                parent = Page.objects.get(pk=blog.pk).specific
                page = BlogPostPage(title="Fête des voisins", date="2026-05-29", live=False)
                return add_with_free_slug(parent, page, "fete-des-voisins").slug

        made = run_together(portal, blog, [add, add])

        assert sorted(made) == ["fete-des-voisins", "fete-des-voisins-1"]
        assert posts_titled(portal, blog, "Fête des voisins") == 2
