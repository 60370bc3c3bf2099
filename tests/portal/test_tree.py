"""An animator can never build a nonsensical tree: each page type has its place."""

import pytest

from classifieds.models import ClassifiedsPage
from home.models import HomePage
from portal.models import (
    ActorDirectoryPage,
    ArticleIndexPage,
    ArticlePage,
    BlogIndexPage,
    BlogPage,
    BlogPostPage,
    EventIndexPage,
    EventPage,
    JournalIssuePage,
    MethodologyIndexPage,
    ProjectSeedIndexPage,
    ResidencyIndexPage,
    ResidencyPage,
    WorkshopPage,
)
from radio.models import RadioPage


@pytest.mark.parametrize(
    ("parent", "child"),
    [
        (ArticleIndexPage, ArticlePage),
        (ArticleIndexPage, JournalIssuePage),
        (EventIndexPage, EventPage),
        (BlogIndexPage, BlogPage),
        (BlogPage, BlogPostPage),
        (ProjectSeedIndexPage, WorkshopPage),
        (ResidencyIndexPage, ResidencyPage),
    ],
)
def test_each_page_type_can_be_created_in_its_section(parent, child):
    assert child in parent.allowed_subpage_models()
    assert parent in child.allowed_parent_page_models()


@pytest.mark.parametrize(
    ("parent", "child"),
    [
        (HomePage, ArticlePage),
        (EventIndexPage, ArticlePage),
        (ArticleIndexPage, EventPage),
        (BlogIndexPage, BlogPostPage),
        (HomePage, BlogPostPage),
        (ArticlePage, ArticlePage),
        (BlogPostPage, BlogPostPage),
        (HomePage, WorkshopPage),
        (EventIndexPage, WorkshopPage),
        (ActorDirectoryPage, WorkshopPage),
        (HomePage, ResidencyPage),
        (ProjectSeedIndexPage, ResidencyPage),
        (ResidencyPage, ArticlePage),
    ],
)
def test_a_page_type_cannot_be_created_out_of_its_section(parent, child):
    assert child not in parent.allowed_subpage_models()


def test_sections_live_under_the_home_page_only():
    sections = [
        ArticleIndexPage,
        EventIndexPage,
        BlogIndexPage,
        MethodologyIndexPage,
        ClassifiedsPage,
        RadioPage,
        ActorDirectoryPage,
        ProjectSeedIndexPage,
        ResidencyIndexPage,
    ]
    for section in sections:
        assert section.allowed_parent_page_models() == [HomePage]
        assert section.max_count_per_parent == 1
