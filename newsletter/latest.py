"""What the self-filling blocks of an issue show: the portal's new items since the last issue.

The sources are the ones features register (``core.latest``, those with a letter label):
the same functions that fill the home page's blocks find the items; here they are cut to
what appeared since ``since`` and reduced to what an e-mail shows of each (a title, a
link, one line of detail).
"""

from __future__ import annotations

import datetime

from core.latest import LetterLine, source_for, sources_for

# What a line of a self-filling block is (kept under this name for the templates' readers).
Item = LetterLine


def latest_items(source: str, limit: int, since: datetime.datetime) -> list[LetterLine]:
    """The newest items of ``source`` since ``since`` (nothing for an unknown source,
    which is logged)."""
    found = source_for(source, "letter")
    return found.letter_lines(limit, since) if found else []


def heading(source: str, title: str = "") -> str:
    """A block's heading: the animator's title, else the source's letter label."""
    if title:
        return title
    found = sources_for("letter").get(source)  # an unknown one is logged by latest_items
    return str(found.label_for("letter")) if found else ""
