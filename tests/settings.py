"""The project's settings, plus the apps that exist only for the tests (``tests/pinboard``:
a feature that plugs in through the extension points alone)."""

import os

# Before the project's settings start the embedded PostgreSQL: the tests have a server of
# their own, without durability (core/database.py says why); DATABASE_URL still wins.
os.environ.setdefault("QUARTIERS_PGDATA", "pgdata-test")
os.environ.setdefault("QUARTIERS_PG_DURABLE", "0")

from core.settings import *  # noqa: F403
from core.settings import INSTALLED_APPS, TENANT_APPS

TEST_APPS = ["tests.pinboard"]
TENANT_APPS = [*TENANT_APPS, *TEST_APPS]
INSTALLED_APPS = [*INSTALLED_APPS, *TEST_APPS]

# Django's own advice for test suites: a fast hasher. The default (PBKDF2, a million
# rounds) took 2 s of CPU a hash on this machine, twice a test that logs an animator in
# (set the password, then the login form checks it). Production keeps Django's default:
# this module is only the tests' settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Background tasks run at once, inside the test's request and transaction: what a worker
# would send lands in mail.outbox straight away (tests/conftest.py keeps the e-mail queue
# in the way). tests/core/test_mail_queue.py swaps the database backend back in.
TASKS = {
    **TASKS,  # noqa: F405
    "background": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email", "images"],
    },
}
# Like the hasher above: 0.9 s of encoding a picture would run inside every test that shows
# one. tests/core/test_avif_pictures.py turns the copies on.
PICTURES_AVIF = False
# Every test client loads the middleware anew, and WhiteNoise then listed every static file
# of every app (40 ms a client on this machine, thousands of clients a run: hypothesis
# makes one an example). With autorefresh it looks a file up when one is asked for, as it
# does under `DEBUG`; production (tests/deploy/test_static_files.py) lists them once.
WHITENOISE_AUTOREFRESH = True
# No test asks a provider on the Internet for an embed. The demo's seeding did: publishing
# the federation's recording (network_space/demo.py) asked YouTube's oEmbed endpoint, which
# fails at once here (no name resolution) but, on a connected machine, waited on YouTube
# (up to OUTBOUND_TIMEOUT_SECONDS) and stored a player where CI stores a link. Every
# provider's endpoint is a closed port on the loopback, which core.outbound refuses
# unless a test allows it: the project's own finder still runs, and answers "no embed", a
# plain link. The tests that need a provider run one and point RADIO_OEMBED_ENDPOINTS to
# it (tests/radio/conftest.py).
RADIO_OEMBED_ENDPOINTS = dict.fromkeys(
    ("youtube", "dailymotion", "vimeo", "soundcloud", "mixcloud", "arteradio"),
    "http://127.0.0.1:9/oembed",
)
