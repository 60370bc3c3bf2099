"""Sources of "latest" items: what the home page's and the infolettre's self-filling
blocks can show, registered by the features that own the items.

A feature returns its ``LatestSource`` objects from a hook registered under
``LATEST_SOURCES`` (``core.extension_points``) in its ``wagtail_hooks.py``. The home page
offers the sources that have a template; the infolettre those that have a letter label.
A source's key is stored in every portal's StreamFields (``LatestSourceChoiceBlock``): it
must never change. A key no source answers any more renders nothing (with a warning in
the logs) and is reported by the system check ``quartiers.W002`` (``core.checks``).

No source gives a private page, nor the items of a private section (``core.privacy``):
the same items reach the home page and the e-mails.

A source that says what it reads (``reading``: its querysets, then how their rows become
its items) is read together with the other blocks of a page in one round trip
(``read_together``, ``core.combined_queries``), all their images' renditions with them:
the home page's blocks, every cache off, cost one query instead of one to three each.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from wagtail import blocks

from core.combined_queries import rows_of
from core.extension_points import LATEST_SOURCES
from core.images import (
    attach_renditions,
    images_of,
    renditions_apart,
    renditions_of_images,
    renditions_of_rows,
)
from core.prefetch_apart import ChildrenApart, children_apart
from tenants.extension_points import gathered

logger = logging.getLogger(__name__)

Use = Literal["home", "letter"]
Key = TypeVar("Key")


@dataclass(frozen=True)
class LetterLine:
    """One line of an infolettre's self-filling block: a title, a path on the portal, a
    detail (a date, a place, a price)."""

    title: str
    path: str
    detail: str = ""


@dataclass(frozen=True)
class Reading:
    """What a source reads for its newest items: ``querysets``, read together with other
    sources' (``read_together``), then ``items(rows)`` turns their rows (one list per
    queryset, in order) into the source's items. No querysets: nothing to read (a private
    section), ``items([])`` still answers."""

    querysets: Sequence[QuerySet]
    items: Callable[[list[list]], Sequence]

    def read_alone(self) -> Sequence:
        """The items, the querysets read in one round trip of their own."""
        return self.items(rows_of(self.querysets) if self.querysets else [])


NOTHING = Reading((), lambda rows: [])
"""The reading of a source with nothing to show (its section is private)."""


@dataclass(frozen=True)
class LatestSource:
    """Where a self-filling block finds its newest items.

    - ``key``: stored in StreamFields; never rename it.
    - ``label``: the choice and default heading of the home page's block.
    - ``items(limit)``: the newest items, ready for a listing (no private ones); given by
      ``reading`` when it is left out.
    - ``template``: lists ``items`` in the home page's block; None: not offered there.
    - ``letter_label``: the choice and default heading in the infolettre; None: not
      offered there. ``letter_line(item)`` then turns an item into a ``LetterLine``.
    - ``appeared_at(item)``: when an item appeared, so that a letter shows only what is
      new since the previous one; None for a source that looks forward (the agenda's next
      events), whose items are shown whenever they were announced.
    - ``reading(limit)``: the same items as a ``Reading``, so that a page reads its blocks
      together (``read_together``); None: the source is asked on its own (``items``).
    """

    key: str
    label: str
    items: Callable[[int], Sequence] | None = None
    template: str | None = None
    letter_label: str | None = None
    letter_line: Callable[[Any], LetterLine] | None = None
    appeared_at: Callable[[Any], datetime.date | datetime.datetime | None] | None = None
    reading: Callable[[int], Reading] | None = None

    def __post_init__(self) -> None:
        if self.items is None:
            reading = self.reading
            if reading is None:
                raise TypeError(f"La source {self.key!r} ne dit ni items ni reading.")
            # Frozen: set once here, as the dataclass's own __init__ would.
            object.__setattr__(self, "items", lambda limit: reading(limit).read_alone())

    def offered_for(self, use: Use) -> bool:
        """Whether the home page's blocks (``"home"``) or the infolettre's (``"letter"``)
        may show this source."""
        if use == "home":
            return self.template is not None
        return self.letter_label is not None and self.letter_line is not None

    def label_for(self, use: Use) -> str:
        """The source's name in the block of ``use``."""
        return self.label if use == "home" else (self.letter_label or self.label)

    def letter_lines(self, limit: int, since: datetime.datetime) -> list[LetterLine]:
        """At most ``limit`` lines for a letter: the items that appeared since ``since``
        (all the next ones for a forward-looking source)."""
        if self.letter_line is None:
            return []
        if self.appeared_at is None:
            items = list(self.items(limit))
        else:
            # Asked for more than needed: some of the newest may be older than ``since``.
            appeared_at = self.appeared_at
            items = [
                item for item in self.items(limit * 4) if (appeared_at(item) or since) >= since
            ][:limit]
        return [self.letter_line(item) for item in items]


def read_together(
    readings: Mapping[Key, Reading], images: Iterable[tuple[Any, Iterable[str]]] = ()
) -> dict[Key, Sequence]:
    """The items of each of ``readings``, by its key: their querysets in one round trip
    (``core.combined_queries``) with the renditions of every listing's images (those of
    ``with_renditions``, through a subquery of the listing) and of ``images`` ((image,
    filter specs) a page shows beside them) and the rows' children a listing prefetches (an
    ad's photos: ``core.prefetch_apart``), then the querysets' other prefetches, one query
    each."""
    querysets: list[QuerySet] = []
    apart = []
    # And the rows' children a listing prefetches (an ad's photos: ``core.prefetch_apart``).
    children: list[tuple[int, ChildrenApart]] = []
    for reading in readings.values():
        for queryset in reading.querysets:
            queryset, renditions = renditions_apart(queryset)
            queryset, its_children = children_apart(queryset)
            children.extend((len(querysets), child) for child in its_children)
            querysets.append(queryset)
            apart.append(renditions)
    # The renditions, asked in the same round trip: of each listing's images through a
    # subquery of the listing, of ``images`` by their ids; or, when a listing's subquery
    # might choose other rows than it, all of them in one more query once the rows are read.
    wanted = list(images)
    renditions_querysets: list[QuerySet] | None = []
    for queryset, renditions in zip(querysets, apart, strict=True):
        with_rows = renditions_of_rows(queryset, renditions) if renditions else []
        if with_rows is None:
            renditions_querysets = None
            break
        renditions_querysets.extend(with_rows)
    of_images = renditions_of_images(wanted) if renditions_querysets is not None else None
    if of_images is not None:
        renditions_querysets.append(of_images)
    everything = [
        *querysets,
        *(child.children for _index, child in children),
        *(renditions_querysets or ()),
    ]
    found_rows = rows_of(everything) if everything else []
    rows = found_rows[: len(querysets)]
    children_rows = found_rows[len(querysets) : len(querysets) + len(children)]
    renditions_rows = found_rows[len(querysets) + len(children) :]
    for (index, apart_children), found in zip(children, children_rows, strict=True):
        apart_children.attach(rows[index], found)
    for found, renditions in zip(rows, apart, strict=True):
        wanted.extend(images_of(found, renditions))
    attach_renditions(
        wanted,
        None
        if renditions_querysets is None
        else [rendition for found in renditions_rows for rendition in found],
    )
    answers = iter(rows)
    return {
        key: reading.items([next(answers) for _ in reading.querysets])
        for key, reading in readings.items()
    }


def latest_sources() -> dict[str, LatestSource]:
    """Every registered source, by key (``LATEST_SOURCES``), in the order of the apps."""
    found: dict[str, LatestSource] = {}
    for source in gathered(LATEST_SOURCES):
        found.setdefault(source.key, source)
    return found


def duplicate_keys() -> list[str]:
    """Keys registered by more than one source (the first one wins; ``quartiers.W003``)."""
    seen: set[str] = set()
    duplicates = []
    for source in gathered(LATEST_SOURCES):
        if source.key in seen:
            duplicates.append(source.key)
        seen.add(source.key)
    return duplicates


def sources_for(use: Use) -> dict[str, LatestSource]:
    """The sources the blocks of ``use`` (``"home"`` or ``"letter"``) may show."""
    return {key: source for key, source in latest_sources().items() if source.offered_for(use)}


def source_for(key: str, use: Use) -> LatestSource | None:
    """The source a stored block names, or None (logged: a retired or unknown source,
    which the block then leaves out)."""
    source = sources_for(use).get(key)
    if source is None:
        logger.warning(
            "Bloc « derniers contenus » : aucune application ne fournit la source %r (%s).",
            key,
            use,
        )
    return source


def source_choices(use: Use) -> list[tuple[str, str]]:
    """(key, label) of the sources of ``use``, for a block's choices."""
    return [(key, source.label_for(use)) for key, source in sources_for(use).items()]


def home_source_choices() -> list[tuple[str, str]]:
    """The choices of the home page's "latest" blocks."""
    return source_choices("home")


def letter_source_choices() -> list[tuple[str, str]]:
    """The choices of the infolettre's self-filling blocks."""
    return source_choices("letter")


class LatestSourceChoiceBlock(blocks.ChoiceBlock):
    """The choice of a source, among those registered for ``use`` when the form is built.

    Deconstructed under its own name, without its choices, so that a source added or
    retired by a feature costs no migration; ``core.checks`` finds the StreamFields that
    store one through this class.
    """

    def __init__(self, use: Use = "home", **kwargs: Any) -> None:
        self.use = use
        choices = home_source_choices if use == "home" else letter_source_choices
        super().__init__(choices=choices, **kwargs)
        self._constructor_kwargs.pop("choices", None)
        self._constructor_kwargs["use"] = use

    def normalize_choice(self, value: Any) -> Any:
        """The stored key as it is: keys are text already. Wagtail's own looks it up in the
        form field's choices, which asks every feature's hooks for the sources again, for
        each block of each page read (profiled: the first cost of the home page's blocks
        after their queries)."""
        return value

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        """``core.latest.LatestSourceChoiceBlock(use=..., label=...)``, no choices."""
        return ("core.latest.LatestSourceChoiceBlock", (), self._constructor_kwargs)


# --- Helpers sources share --------------------------------------------------------------


def page_path(page) -> str:
    """A page's path on its portal (an e-mail makes it absolute on the portal's host)."""
    parts = page.get_url_parts()
    return parts[2] if parts else ""


def when(value: datetime.date | datetime.datetime | None) -> str:
    """A date (``3 mars 2026``) or a moment (``mardi 3 mars, 18h30``), in French."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "l j F, H\\hi")
    return date_format(value, "j F Y")
