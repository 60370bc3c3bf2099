"""A workshop and a journal issue showing a resident's map story: axe-core finds nothing
and the pages reflow on a phone (360 px) as on a desktop (1280 px)."""

from __future__ import annotations

import io

import pytest
from django.core.files.images import ImageFile
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from wagtail.images import get_image_model

from portal.actors.section import ActorDirectoryPage
from portal.factories import WorkshopPageFactory
from portal.models import (
    ArticleIndexPage,
    JournalIssueItem,
    JournalIssuePage,
    MapStoryPage,
    WorkshopStory,
)
from tenants.models import Neighbourhood
from tests.browser.test_accessibility import sideways_overflow, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def portal(make_portal, django_db_blocker) -> Neighbourhood:
    """A portal with a published story (photo and credit) in a workshop and an issue."""
    portal = make_portal("recits", name="Quartier des Récits")
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        out = io.BytesIO()
        PILImage.new("RGB", (640, 420), "seagreen").save(out, format="JPEG")
        photo = get_image_model().objects.create(
            title="Le banc", file=ImageFile(io.BytesIO(out.getvalue()), name="banc.jpg")
        )
        story = MapStoryPage(
            title="Le banc du square",
            kind="memory",
            text="On s'y retrouvait le dimanche après le marché, avec les voisins du "
            "troisième et leurs enfants qui jouaient autour de la fontaine.",
            latitude="48.870000",
            longitude="2.380000",
            contributor_name="Karim",
            photo=photo,
            photo_credit="Léa B.",
            photo_alt="Un banc vert sous un platane",
        )
        ActorDirectoryPage.objects.get().add_child(instance=story)
        story.save_revision().publish()
        workshop = WorkshopPageFactory(title="Le square en été", slug="square-ete")
        workshop.picked_stories = [WorkshopStory(story=story)]
        workshop.save_revision().publish()
        issue = JournalIssuePage(title="Numéro de l'été", slug="numero-ete", number=3)
        issue.items = [JournalIssueItem(page=story)]
        ArticleIndexPage.objects.get().add_child(instance=issue)
        issue.save_revision().publish()
    return portal


@pytest.mark.parametrize(
    ("path", "name"),
    [("/graines-de-projet/square-ete/", "atelier"), ("/actualites/numero-ete/", "journal")],
)
def test_a_page_showing_a_picked_story_is_accessible_and_reflows(
    portal, origin, checks_window, shoot, path, name
) -> None:
    page = checks_window
    response = page.goto(origin(portal) + path)

    assert response is not None and response.status == 200
    assert page.get_by_text("Le banc du square").first.is_visible()
    problems = violations(page)
    shoot(page, f"{name}-1280px")
    page.set_viewport_size({"width": 360, "height": 740})
    assert sideways_overflow(page) == 0
    shoot(page, f"{name}-360px")
    assert problems == []
