"""Ids and numbers as a form or an address sends them: text that may hold anything."""

# PostgreSQL's bigint holds every number of 18 digits, not every one of 19.
MOST_DIGITS = 18


def posted_id(value: str | None, most_digits: int = MOST_DIGITS) -> int | None:
    """``value`` as a whole number when it is one to ``most_digits`` ASCII digits, else None.

    ``str.isdigit`` alone lets through what ``int`` refuses ("²") or reads as a number
    nobody typed as one (Arabic-Indic digits), and 19 digits and more overflow the
    database's integers: each was a 500 instead of the view's own answer."""
    if value and value.isascii() and value.isdigit() and len(value) <= most_digits:
        return int(value)
    return None
