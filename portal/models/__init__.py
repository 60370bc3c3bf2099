"""The portal's page types, one module per section."""

from portal.models.actors import Actor, ActorTag
from portal.models.blogs import BlogIndexPage, BlogPage, BlogPostPage
from portal.models.directory import ActorDirectoryPage
from portal.models.events import EventIndexPage, EventPage
from portal.models.federation_hub import FederationHubPage
from portal.models.journal import JournalIssueItem, JournalIssuePage
from portal.models.methodology import MethodologyIndexPage, MethodologyPage, MethodologyPageTag
from portal.models.news import ArticleCategory, ArticleIndexPage, ArticlePage, ArticlePageTag
from portal.models.proposals import ActorProposal
from portal.models.workshops import ProjectSeed, ProjectSeedIndexPage, WorkshopPage

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
