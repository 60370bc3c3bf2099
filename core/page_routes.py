"""Sub-views that a feature adds to another feature's routable page type.

A page type declares its own sub-views with Wagtail's ``@path`` / ``@re_path``. Another
feature that extends it (registrations extend the agenda's events) adds its own sub-views
through the ``register_page_routes`` hook, so the page type never names that feature:

    @hooks.register("register_page_routes")
    def event_registration_routes(page_class: type[Page]) -> list[URLPattern]:
        if not issubclass(page_class, EventPage):
            return []
        return [path("inscription/", views.register, name="register")]

Each hook function receives a page class that uses ``ExtensibleRoutablePageMixin`` and
returns Django URL patterns for it (none when the class is not its concern). A pattern's
view is called as a routable page's own sub-view would be: ``view(page, request, *args,
**kwargs)``. The page type's own routes come first, so a feature cannot take an address the
page type already answers; ``reverse_subpage`` and ``{% routablepageurl %}`` know the added
names as they know the page's own.
"""

from __future__ import annotations

from django.urls import URLPattern
from wagtail.contrib.routable_page.models import RoutablePageMixin

from tenants.extension_points import gathered

HOOK = "register_page_routes"


def added_routes(page_class: type) -> tuple[URLPattern, ...]:
    """The URL patterns that features add to ``page_class`` (in the order of the hooks)."""
    return tuple(gathered(HOOK, page_class))


class ExtensibleRoutablePageMixin(RoutablePageMixin):
    """A routable page whose sub-views other features may extend (``register_page_routes``).

    Wagtail builds a page class's resolver once from ``get_subpage_urls`` and keeps it on
    the class: the hooks are read then, after every app's ``wagtail_hooks`` is loaded.
    """

    @classmethod
    def get_subpage_urls(cls) -> tuple:
        """The page type's own routes, then those features add to it."""
        return (*super().get_subpage_urls(), *added_routes(cls))
