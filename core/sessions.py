"""Sessions in each portal's schema (Django's database backend), refusing any key that
Django never issues.

Django accepts as a session key any string of eight characters or more and looks it up:
a cookie holding a NUL byte then made PostgreSQL refuse the query (``DataError``), and
every request that reads the session (a logged-in check, the idle expiry) answered 500.
Keys Django makes are 32 lowercase letters and digits; anything else is no session.
"""

from __future__ import annotations

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_ISSUED_KEY = re.compile(r"[a-z0-9]{8,64}")


class SessionStore(DatabaseSessionStore):
    """Django's database sessions; a malformed key is treated as no session at all."""

    def _validate_session_key(self, key: str | None) -> bool:
        return bool(key) and _ISSUED_KEY.fullmatch(key) is not None
