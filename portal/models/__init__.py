"""The portal's page types, one module per section."""

from portal.actors.models import Actor, ActorProposal, ActorTag
from portal.actors.section import ActorDirectoryPage
from portal.agenda.models import EventIndexPage, EventPage
from portal.blogs.models import BlogIndexPage, BlogPage, BlogPostPage
from portal.methodology.hub import FederationHubPage
from portal.methodology.models import MethodologyIndexPage, MethodologyPage, MethodologyPageTag
from portal.models.workshops import ProjectSeed, ProjectSeedIndexPage, WorkshopPage
from portal.news.journal import JournalIssueItem, JournalIssuePage
from portal.news.models import ArticleCategory, ArticleIndexPage, ArticlePage, ArticlePageTag

__all__ = [
    "Actor",
    "ActorDirectoryPage",
    "ActorProposal",
    "ActorTag",
    "ArticleCategory",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTag",
    "BlogIndexPage",
    "BlogPage",
    "BlogPostPage",
    "EventIndexPage",
    "EventPage",
    "FederationHubPage",
    "JournalIssueItem",
    "JournalIssuePage",
    "MethodologyIndexPage",
    "MethodologyPage",
    "MethodologyPageTag",
    "ProjectSeed",
    "ProjectSeedIndexPage",
    "WorkshopPage",
]
