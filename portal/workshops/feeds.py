"""A seed's RSS feed: its action group's approved news (Django's syndication)."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal.workshops.group_models import SeedUpdate
from portal.workshops.models import ProjectSeed


class SeedUpdatesFeed(Feed):
    """The approved news of one seed, newest first; never a waiting or refused one."""

    limit = 30

    def get_object(self, request: HttpRequest, seed: ProjectSeed, seed_path: str) -> ProjectSeed:
        self.request = request
        self.seed_path = seed_path
        return seed

    def title(self, seed: ProjectSeed) -> str:
        return f"{seed.title} · {self.request.tenant.name}"

    def link(self, seed: ProjectSeed) -> str:
        return self.seed_path

    def description(self, seed: ProjectSeed) -> str:
        return _("Les nouvelles du groupe d'action « %(seed)s ».") % {"seed": seed.title}

    def items(self, seed: ProjectSeed) -> list[SeedUpdate]:
        return list(seed.updates.approved().order_by("-published_at", "-pk")[: self.limit])

    def item_title(self, item: SeedUpdate) -> str:
        return Truncator(item.text.splitlines()[0] if item.text else "").chars(80)

    def item_description(self, item: SeedUpdate) -> str:
        return item.text

    def item_link(self, item: SeedUpdate) -> str:
        return f"{self.seed_path}#nouvelle-{item.pk}"

    def item_pubdate(self, item: SeedUpdate) -> datetime.datetime | None:
        return item.published_at
