"""A resident's map story picked by the animator for a workshop or the journal (issue 19,
§4): the pick adds it to a draft of the workshop or issue, shown once the animator
publishes; a story not published on the map never shows, however it got there; another
portal's pages cannot be picked."""

import pytest
from django_tenants.utils import schema_context

from portal.factories import WorkshopPageFactory
from portal.models import (
    ArticleIndexPage,
    JournalIssueItem,
    JournalIssuePage,
    MapStoryPage,
    WorkshopPage,
    WorkshopStory,
)
from tests.portal.conftest import logged_in

pytestmark = pytest.mark.django_db

PRIVATE = ("karim@example.org", "12 rue Secrète")


def _story(portal, status: str = "published", live: bool = True, **values) -> MapStoryPage:
    """A story under the actors' directory, published as a page if ``live`` (with
    ``status`` forced as is: an attacker's or a bug's state)."""
    from portal.actors.section import ActorDirectoryPage

    with schema_context(portal.schema_name):
        story = MapStoryPage(
            title=values.pop("title", "Le banc du square"),
            kind="memory",
            text="On s'y retrouvait le dimanche après le marché.",
            latitude="48.870000",
            longitude="2.380000",
            place_hint="devant chez moi, 12 rue Secrète",
            contributor_name="Karim",
            contributor_email="karim@example.org",
            photo_credit="Léa B.",
            status=status,
            live=False,
            **values,
        )
        ActorDirectoryPage.objects.get().add_child(instance=story)
        if live:
            story.save_revision().publish()
            MapStoryPage.objects.filter(pk=story.pk).update(status=status)
        return story


def _workshop(portal, **values) -> WorkshopPage:
    with schema_context(portal.schema_name):
        return WorkshopPageFactory(title="Le square en été", slug="square-ete", **values)


def _issue(portal, items: list[MapStoryPage] = ()) -> JournalIssuePage:
    with schema_context(portal.schema_name):
        issue = JournalIssuePage(title="Numéro de l'été", slug="numero-ete", number=3)
        issue.items = [JournalIssueItem(page=page) for page in items]
        ArticleIndexPage.objects.get().add_child(instance=issue)
        issue.save_revision().publish()
        return issue


def _publish_latest(page) -> None:
    page.get_latest_revision().publish()


def test_the_animator_adds_a_story_to_a_workshop_shown_once_the_draft_is_published(
    alpha, client_for, animator_of
):
    story = _story(alpha)
    workshop = _workshop(alpha)
    animator = logged_in(client_for(alpha), animator_of(alpha))

    screen = animator.get(f"/admin/acteurs/recits/{story.pk}/").text
    response = animator.post(
        f"/admin/acteurs/recits/{story.pk}/", {"decision": "workshop", "workshop": workshop.pk}
    )

    assert "Ajouter à un atelier" in screen and "Le square en été" in screen
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{workshop.pk}/edit/"
    # A pick never publishes: the draft waits for the animator.
    assert "Le banc du square" not in client_for(alpha).get("/graines-de-projet/square-ete/").text
    with schema_context(alpha.schema_name):
        _publish_latest(WorkshopPage.objects.get(pk=workshop.pk))
    page = client_for(alpha).get("/graines-de-projet/square-ete/").text
    assert "Ce que les habitants ont raconté" in page
    assert "Le banc du square" in page and "Raconté par Karim" in page
    assert f'href="/acteurs/{story.slug}/"' in page
    for private in PRIVATE:
        assert private not in page


def test_the_animator_adds_a_story_to_a_journal_issue_shown_with_its_credit_in_print_too(
    alpha, client_for, animator_of
):
    story = _story(alpha)
    issue = _issue(alpha)
    animator = logged_in(client_for(alpha), animator_of(alpha))

    response = animator.post(
        f"/admin/acteurs/recits/{story.pk}/", {"decision": "journal", "issue": issue.pk}
    )

    assert response.status_code == 302
    assert "Le banc du square" not in client_for(alpha).get("/actualites/numero-ete/").text
    with schema_context(alpha.schema_name):
        _publish_latest(JournalIssuePage.objects.get(pk=issue.pk))
    page = client_for(alpha).get("/actualites/numero-ete/").text
    assert 'href="#piece-' in page and "<h2>Le banc du square</h2>" in page
    assert "Récit de la carte · Un souvenir" in page
    assert "Raconté par Karim" in page and "le dimanche après le marché" in page
    assert "journal-piece--story" in page and "journal-print.css" in page
    for private in PRIVATE:
        assert private not in page


def test_picking_twice_says_so_and_adds_nothing(alpha, client_for, animator_of):
    story = _story(alpha)
    issue = _issue(alpha, items=[story])
    animator = logged_in(client_for(alpha), animator_of(alpha))

    response = animator.post(
        f"/admin/acteurs/recits/{story.pk}/", {"decision": "journal", "issue": issue.pk}
    )

    assert response.status_code == 200
    assert "déjà au sommaire de ce numéro" in response.text
    with schema_context(alpha.schema_name):
        assert JournalIssueItem.objects.filter(issue=issue).count() == 1


@pytest.mark.parametrize(
    ("status", "live"),
    [("unconfirmed", False), ("pending", False), ("declined", False), ("pending", True)],
)
def test_a_story_not_published_on_the_map_never_shows_in_a_workshop_nor_an_issue(
    alpha, client_for, status, live
):
    # Forced through the models, as a crafted edit form would: the story is chosen anyway.
    story = _story(alpha, status=status, live=live, title="Récit pas encore publié")
    workshop = _workshop(alpha)
    issue = _issue(alpha, items=[story])
    with schema_context(alpha.schema_name):
        workshop.picked_stories = [WorkshopStory(story=story)]
        workshop.save_revision().publish()
        assert workshop.stories() == [] and issue.contents() == []

    for path in ("/graines-de-projet/square-ete/", "/actualites/numero-ete/"):
        page = client_for(alpha).get(path)
        assert page.status_code == 200
        assert "Récit pas encore publié" not in page.text
    assert "Ce que les habitants ont raconté" not in page.text


def test_a_crafted_pick_of_a_waiting_story_is_refused_in_french(alpha, client_for, animator_of):
    story = _story(alpha, status="pending", live=False)
    workshop = _workshop(alpha)
    animator = logged_in(client_for(alpha), animator_of(alpha))

    response = animator.post(
        f"/admin/acteurs/recits/{story.pk}/", {"decision": "workshop", "workshop": workshop.pk}
    )

    assert response.status_code == 200
    assert "Seul un récit publié peut être repris." in response.text
    with schema_context(alpha.schema_name):
        assert not WorkshopStory.objects.exists()
        assert not WorkshopPage.objects.get(pk=workshop.pk).has_unpublished_changes


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999"])
def test_a_workshop_or_issue_that_does_not_exist_here_gives_a_french_error(
    alpha, beta, client_for, animator_of, value
):
    story = _story(alpha)
    # Beta's workshop and issue: their ids mean nothing at alpha (one schema per portal).
    foreign_workshop, foreign_issue = _workshop(beta), _issue(beta)
    animator = logged_in(client_for(alpha), animator_of(alpha))
    url = f"/admin/acteurs/recits/{story.pk}/"

    tries = [
        ({"decision": "workshop", "workshop": value}, "Cet atelier n'existe pas."),
        ({"decision": "journal", "issue": value}, "Ce numéro du journal n'existe pas."),
        ({"decision": "workshop", "workshop": foreign_workshop.pk}, "Cet atelier n'existe pas."),
        ({"decision": "journal", "issue": foreign_issue.pk}, "Ce numéro du journal n'existe pas."),
    ]
    for data, error in tries:
        response = animator.post(url, data)
        assert response.status_code == 200
        assert error.replace("'", "&#x27;") in response.text
    with schema_context(beta.schema_name):
        assert not WorkshopStory.objects.exists()
        assert JournalIssueItem.objects.count() == 0
        assert not WorkshopPage.objects.get(pk=foreign_workshop.pk).has_unpublished_changes


def test_the_page_editors_offer_the_stories_chooser(alpha, client_for, animator_of):
    workshop, issue = _workshop(alpha), _issue(alpha)
    animator = logged_in(client_for(alpha), animator_of(alpha))

    workshop_editor = animator.get(f"/admin/pages/{workshop.pk}/edit/")
    issue_editor = animator.get(f"/admin/pages/{issue.pk}/edit/")

    assert workshop_editor.status_code == 200
    assert "Récits des habitants repris" in workshop_editor.text
    assert issue_editor.status_code == 200
    assert "portal.mapstorypage" in issue_editor.text
