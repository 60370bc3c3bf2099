"""Finding the page of an address with one query for the whole path.

Wagtail's ``Page.route`` walks down the tree one level at a time, and each level costs two
queries (the child with that slug, then the child in its own type): an episode five levels
down costs ten before anything is rendered. ``route_from_root`` fetches every page the
path could go through at once (same slugs, same depths, under the root), follows the
path through them exactly as Wagtail would, and hands the deepest one, in its own type,
the rest of the path. What it cannot follow the same way (a page with a routing of its
own, a path longer than the tree, a slug it did not find) is left to Wagtail's own
``route`` from where it stopped, so an address answers exactly as it would without it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail.url_routing import RouteResult

# Deeper than any portal's tree: a longer path is followed by Wagtail from there.
MAX_LEVELS = 12


def _goes_to_children(page: Page, remaining: list[str]) -> bool:
    """Would ``page.route(request, remaining)`` look for a child named ``remaining[0]``?"""
    page_class = page.specific_class or Page
    route = page_class.route
    if route is Page.route:
        return True
    if route is RoutablePageMixin.route:
        # A routable page first tries its own sub-views (when live), then its children.
        if not page.live:
            return True
        try:
            page_class.get_resolver().resolve("/" + "/".join(remaining) + "/")
        except Http404:
            return True
        return False
    return False  # a routing of its own: let it decide


def route_from_root(root: Page, request: HttpRequest, components: list[str]) -> RouteResult:
    """What ``Page.route(root, request, components)`` returns, with one query for the
    pages along the path and one for the last of them in its own type."""
    if not components:
        return Page.route(root, request, components)
    levels = components[:MAX_LEVELS]
    candidates = Page.objects.filter(
        path__startswith=root.path,
        depth__gt=root.depth,
        depth__lte=root.depth + len(levels),
        slug__in=set(levels),
    )
    by_level: dict[tuple[int, str], list[Page]] = {}
    for candidate in candidates:
        by_level.setdefault((candidate.depth, candidate.slug), []).append(candidate)

    current, remaining = root, components
    while remaining and current.depth - root.depth < len(levels):
        if current is not root and not _goes_to_children(current, remaining):
            break
        child = next(
            (
                page
                for page in by_level.get((current.depth + 1, remaining[0]), [])
                if page.path.startswith(current.path)
            ),
            None,
        )
        if child is None:
            break
        # As Page.route does: the parent is known, get_parent() need not ask for it.
        child._cached_parent_obj = current
        current, remaining = child, remaining[1:]

    if current is root:
        return Page.route(root, request, remaining)
    return current.specific.route(request, remaining)
