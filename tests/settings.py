"""The project's settings, plus the apps that exist only for the tests (``tests/pinboard``:
a feature that plugs in through the extension points alone)."""

from core.settings import *  # noqa: F403
from core.settings import INSTALLED_APPS, TENANT_APPS

TEST_APPS = ["tests.pinboard"]
TENANT_APPS = [*TENANT_APPS, *TEST_APPS]
INSTALLED_APPS = [*INSTALLED_APPS, *TEST_APPS]
