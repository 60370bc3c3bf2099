"""Starting a process of Quartiers (``manage.py``, gunicorn's ``core.wsgi``).

The settings refuse an environment they cannot run with (production without a real
``SECRET_KEY``, a mistyped ``TRUSTED_PROXIES``...) by raising ``ConfigurationRefused``.
Whoever starts a process turns that refusal into one French line on stderr and a
non-zero exit: an operator reads what to fix, not a traceback through Django's loader.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured


class ConfigurationRefused(ImproperlyConfigured):
    """The environment does not let Quartiers start; the message says what to set."""


@contextmanager
def refusal_in_one_line() -> Iterator[None]:
    """Run the block; a ``ConfigurationRefused`` ends the process with its message alone."""
    try:
        yield
    except ConfigurationRefused as refusal:
        message = " ".join(str(refusal).split())
        # sys.exit with a text writes it on stderr and exits with status 1.
        sys.exit(f"Quartiers ne peut pas démarrer : {message}")
