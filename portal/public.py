"""portal's public face: what other features may use of it, and nothing else.

Sibling features never import portal's internals (its models package, views, calendars):
they import this module, which the import contract (``[tool.importlinter]`` in
pyproject.toml) lets through by name. Anything added here becomes a promise to them.
"""

from portal.agenda.calendars import event_calendar_at
from portal.models import EventPage

__all__ = ["EventPage", "event_calendar_at"]
