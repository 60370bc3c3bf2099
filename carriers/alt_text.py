"""Alternative text that a screen reader can actually read."""

from __future__ import annotations

import unicodedata

# Characters drawn as nothing although Unicode calls them letters or symbols: they are
# what people paste to get past a "required" check.
_BLANK_LOOKING = {"\u2800", "\u3164", "\u115f", "\u1160", "\uffa0", "\u180e"}
# Controls, formats (zero-width spaces and joiners, BOM, bidi marks), separators, and
# combining marks with nothing to combine with.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


def visible(text: str) -> bool:
    """Whether ``text`` holds at least one character a reader would see or hear."""
    return any(
        not char.isspace()
        and char not in _BLANK_LOOKING
        and unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        for char in text
    )
