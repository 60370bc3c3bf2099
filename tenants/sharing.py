"""What a page shares with the network: the contract between shared pages and the
federation index.

A page type whose pages may appear in the network's index inherits ``SharedWithNetwork``
and says, page by page, what it shares (or nothing). ``tenants.federation`` finds these
page types among the installed models: it names none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class SharedFields:
    """The listing fields of a shared page, in the words of the federation index."""

    kind: str
    module: str
    title: str
    summary: str
    tags: list[str]


class SharedWithNetwork:
    """Mixin for a page type whose pages may be listed in the federation index."""

    def shared_fields(self) -> SharedFields | None:
        """The fields this page shares, or None when it is not shared with the network."""
        raise NotImplementedError(f"{type(self).__name__} must say what it shares.")


def shared_page_models() -> list[type[models.Model]]:
    """Every installed page type that may share its pages with the network."""
    return [model for model in apps.get_models() if issubclass(model, SharedWithNetwork)]


def shared_fields(page: models.Model) -> SharedFields | None:
    """What ``page`` (of any type) shares with the network, or None."""
    page = page.specific
    if isinstance(page, SharedWithNetwork):
        return page.shared_fields()
    return None
