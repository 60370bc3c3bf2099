"""portal's public face: what other features may use of it, and nothing else.

Sibling features never import portal's internals (its models package, views, calendars):
they import this module, which the import contract (``[tool.importlinter]`` in
pyproject.toml) lets through by name. Anything added here becomes a promise to them.

- registrations: ``EventPage`` and its calendar file, for the e-mails.
- proposals: the news and agenda sections and their page types, to turn a resident's
  proposal into a draft article or event.
- fediverse: articles and residents' blog posts, sent to the portal's followers, and
  ``EventPage``, sent to Mobilizon's relays as its ``Event``.
"""

from portal.agenda.calendars import event_calendar_at
from portal.models import ArticleIndexPage, ArticlePage, BlogPostPage, EventIndexPage, EventPage

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "BlogPostPage",
    "EventIndexPage",
    "EventPage",
    "event_calendar_at",
]
