"""Every model of the portal, gathered from its domains for Django (which looks for them in
``portal.models``) and for its migrations.

Each domain keeps its own in ``portal/<domain>/``: import them from there.
"""

from portal.actors.models import Actor, ActorProposal, ActorTag
from portal.actors.section import ActorDirectoryPage
from portal.actors.stories import MapStoryPage
from portal.agenda.models import EventIndexPage, EventPage
from portal.agenda.subscriptions import AgendaSubscription, ImportedEvent
from portal.blogs.models import BlogIndexPage, BlogPage, BlogPostPage
from portal.education.models import (
    CycleSession,
    Learner,
    MediaEducationCyclePage,
    ProductionCredit,
)
from portal.methodology.hub import FederationHubPage
from portal.methodology.models import MethodologyIndexPage, MethodologyPage, MethodologyPageTag
from portal.news.journal import JournalIssueItem, JournalIssuePage
from portal.news.models import ArticleCategory, ArticleIndexPage, ArticlePage, ArticlePageTag
from portal.residencies.models import ResidencyIndexPage, ResidencyPage
from portal.workshops.group_models import SeedMember, SeedUpdate
from portal.workshops.models import ProjectSeed, WorkshopAttendee, WorkshopPage, WorkshopStory
from portal.workshops.section import ProjectSeedIndexPage

__all__ = [
    "Actor",
    "ActorDirectoryPage",
    "ActorProposal",
    "ActorTag",
    "AgendaSubscription",
    "ArticleCategory",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTag",
    "BlogIndexPage",
    "BlogPage",
    "BlogPostPage",
    "CycleSession",
    "EventIndexPage",
    "EventPage",
    "FederationHubPage",
    "ImportedEvent",
    "JournalIssueItem",
    "JournalIssuePage",
    "Learner",
    "MapStoryPage",
    "MediaEducationCyclePage",
    "MethodologyIndexPage",
    "MethodologyPage",
    "MethodologyPageTag",
    "ProductionCredit",
    "ProjectSeed",
    "ProjectSeedIndexPage",
    "ResidencyIndexPage",
    "ResidencyPage",
    "SeedMember",
    "SeedUpdate",
    "WorkshopAttendee",
    "WorkshopPage",
    "WorkshopStory",
]
