"""Settings of the Quartiers network: one module, configured by environment variables.

| variable         | effect                                                              |
| ---------------- | ------------------------------------------------------------------- |
| DATABASE_URL     | PostgreSQL to use; unset, the embedded server in ``var/pgdata/``     |
| REDIS_URL        | cache in Redis; unset, a cache local to each process                 |
| PAGE_CACHE       | ``0`` turns the anonymous page cache off (``core/page_cache.py``)     |
| FRAGMENT_READ_AHEAD | ``1``: a request asks for its fragments in one get_many (with Redis) |
| PAGE_CACHE_DIR   | where the page cache lives without Redis (``var/cache/``)             |
| PAGE_CACHE_MEMORY_MB | pages each worker keeps in its memory (32; ``core/page_cache.py``) |
| CACHE_RELEASE    | first part of every cache key (default: version and git commit)      |
| CONN_MAX_AGE     | seconds a database connection is kept (60; 0 for one per request)    |
| DJANGO_ENV       | ``production`` turns on every deploy check                           |
| SECRET_KEY       | required in production                                               |
| ARCHIVE_SIGNING_KEY | signs exports and backups; required in production to make or read one |
| ARCHIVE_MAX_BYTES, ARCHIVE_MAX_MEMBER_BYTES | bounds of an archive once decompressed     |
| NETWORK_DOMAIN   | the network's domain: portals live at ``<slug>.<NETWORK_DOMAIN>``     |
| PUBLIC_PORT      | the port visitors use, in every link (sites, e-mails); make run: PORT |
| ALLOWED_HOSTS    | extra host names, comma-separated (portals' own domains)             |
| EMAIL_HOST ...   | the SMTP server newsletters and notifications go through (see below) |
| ANYMAIL_PROVIDER | send through a provider (django-anymail) instead of SMTP; its bounces |
|                  | and complaints come back signed (see below, and ``core/mail.py``)    |
| EMAIL_BACKEND    | the backend the worker delivers queued e-mails with (SMTP in prod.)   |
| MAP_TILE_URL     | the actors' map tiles (``{z}/{x}/{y}``); empty: a map without tiles   |
| MAP_TILE_ATTRIBUTION | the credit the tile server asks for, shown on the map            |
| TRUSTED_PROXIES  | proxies whose X-Forwarded-For is believed (``127.0.0.1,::1``)        |
| ADMIN_IDLE_TIMEOUT_MINUTES | a logged-in person is logged out after this idle time (30) |
| SENTRY_DSN       | report errors there (any Sentry-compatible service); unset: none     |
| TASKS_BACKEND    | the background tasks' backend (``django_tasks_db.DatabaseBackend``)  |
| TASK_RETRY_DELAYS | waits before a failed task's next attempts, seconds (60,300,1800)   |
| FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR | follows a portal takes from one remote server an hour (30) |
| HEALTHZ_MAX_QUEUE_DELAY_MINUTES | /healthz fails past this wait of a ready task (10) |
| FEDIVERSE_FAILURES_BEFORE_PAUSE | failed deliveries in a row that pause a remote server (5) |
| FEDIVERSE_FIRST_PAUSE_SECONDS | its first pause, each next one twice as long (600)     |
| FEDIVERSE_LONGEST_PAUSE_SECONDS | the longest pause (86400)                            |
| MEDIA_ROOT       | the uploads' folder, one sub-folder per portal (``var/media/``)       |
| MEDIA_STORAGE    | ``s3``: uploads in an S3-compatible bucket (``MEDIA_S3_*``, below)     |
| STATIC_ROOT      | where ``collectstatic`` writes (``var/static/``)                      |
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path

from PIL import features as pillow_features

from core.database import database_settings
from core.release import default_release
from core.startup import ConfigurationRefused

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1" and not PRODUCTION

# Secrets come from the environment only: production refuses to start without a real one.
_DEV_SECRET_KEY = "dev-only-not-secret-quartiers-0123456789abcdef"  # noqa: S105 (dev only)
if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY:
        raise ConfigurationRefused(
            "DJANGO_ENV=production exige une variable d'environnement SECRET_KEY d'au moins "
            '50 caractères aléatoires (par exemple : python -c "import secrets; '
            'print(secrets.token_urlsafe(64))").'
        )
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
# Exports and backups are signed with the network's key (tenants/archive_trust.py): an
# archive made elsewhere, or altered, is refused. Development derives a key from
# SECRET_KEY; production needs its own (not SECRET_KEY: rotating one must not orphan the
# other's archives). Web servers never sign, so a missing key refuses only the commands.
ARCHIVE_SIGNING_KEY = os.environ.get("ARCHIVE_SIGNING_KEY", "")
if ARCHIVE_SIGNING_KEY and (len(ARCHIVE_SIGNING_KEY) < 50 or ARCHIVE_SIGNING_KEY == SECRET_KEY):
    raise ConfigurationRefused(
        "ARCHIVE_SIGNING_KEY doit compter au moins 50 caractères aléatoires et différer de "
        "SECRET_KEY."
    )
if not ARCHIVE_SIGNING_KEY and not PRODUCTION:
    import hashlib as _hashlib
    import hmac as _hmac

    ARCHIVE_SIGNING_KEY = _hmac.new(
        SECRET_KEY.encode(), b"quartiers.archive-signing", _hashlib.sha256
    ).hexdigest()
# An archive is refused past these sizes once decompressed (a gzip bomb stops there).
ARCHIVE_MAX_BYTES = int(os.environ.get("ARCHIVE_MAX_BYTES", 50 * 1024**3))
ARCHIVE_MAX_MEMBER_BYTES = int(os.environ.get("ARCHIVE_MAX_MEMBER_BYTES", 20 * 1024**3))
# Local benches only (bench/load.py): the production settings over plain http on
# 127.0.0.1, without HTTPS redirect, HSTS or secure cookies. Never set on a real server.
LOCAL_HTTP = PRODUCTION and os.environ.get("QUARTIERS_LOCAL_HTTP", "") == "1"

# --- The network -----------------------------------------------------------------------

NETWORK_NAME = os.environ.get("NETWORK_NAME", "Réseau Quartiers")
NETWORK_DOMAIN = os.environ.get("NETWORK_DOMAIN", "localhost")
NETWORK_CONTACT_EMAIL = os.environ.get("NETWORK_CONTACT_EMAIL", "contact@quartiers.example")
NETWORK_SCHEME = "https" if PRODUCTION else os.environ.get("NETWORK_SCHEME", "http")
PUBLIC_PORT = int(os.environ.get("PUBLIC_PORT", "443" if PRODUCTION else "8000"))
# The hosts that serve the network directory and /healthz (the public schema).
PUBLIC_HOSTS = [NETWORK_DOMAIN, *_env_list("PUBLIC_HOSTS", "" if PRODUCTION else "127.0.0.1")]

ALLOWED_HOSTS = [NETWORK_DOMAIN, f".{NETWORK_DOMAIN}", *PUBLIC_HOSTS, *_env_list("ALLOWED_HOSTS")]

# --- Tenancy ---------------------------------------------------------------------------

SHARED_APPS = [
    "django_tenants",
    "csp",
    "core",
    "tenants",
    # The background tasks' table, in public: one queue for the network (core/task_queue.py).
    "django_tasks_db",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    # The animators' directory (issue 20, §4): what each person shows their colleagues,
    # across portals; the space's pages are network_space's, in the federation's schema.
    "network_space.directory",
    # The remote fediverse servers' health (issue 26): one row per server for every
    # portal's deliveries, so a failing server is paused for the network at once.
    "fediverse.servers",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "home",
    "portal",
    "classifieds",
    "radio",
    "newsletter",
    "registrations",
    "consultations",
    "proposals",
    "reactions",
    "carriers",
    "fediverse",  # each portal an ActivityPub actor, followed from Mastodon (docs/fediverse.md)
    "frontdoor",
    "audience",  # page views per day and kind of referrer, without cookies (docs/audience.md)
    "network_space",  # the animators' space at the federation (docs/federation.md)
    "observatory",  # dashboards and exports of the folded indicators (no tables of its own)
    # Translation by copy: "Traduire" copies a page into another of the portal's languages
    # and the animator rewrites it in Wagtail's ordinary editor. wagtail-localize was
    # replaced (docs/languages.md): 14 tables in every portal for a segment editor that
    # no animator needed (no machine translator was ever set).
    "wagtail.contrib.simple_translation",
    "wagtail.locales",  # the languages' admin (Paramètres > Langues)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's user admin, with the roles of core.roles (who may grant what).
    "core.apps.UsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Failed logins are counted in each portal's own schema: a lockout at one portal
    # never locks anyone out of another.
    "axes",
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

# The page a portal's sections live under (core.pages.SectionPage.parent_page_types).
PORTAL_HOME_PAGE_MODEL = "home.HomePage"

TENANT_MODEL = "tenants.Neighbourhood"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_BASE_SCHEMA = "tpl_neighbourhood"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Django's migrate, without rendering models for the migrations a schema skips (a tenant
# app's in public, a shared app's in a portal): tenants/migrate_command.py.
TENANT_BASE_MIGRATE_COMMAND = "tenants.migrate_command.Command"
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "core.urls_public"
ROOT_URLCONF = "core.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DATABASES = {"default": database_settings(BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    # /healthz on any host, before host routing and HTTPS redirects (core/health.py).
    "core.health.HealthCheckMiddleware",
    # Security headers first: the network's own answers (unknown host, suspended portal,
    # database down) carry them too.
    "django.middleware.security.SecurityMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "tenants.middleware.NeighbourhoodMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The home page's address is also the portal's ActivityPub actor: answered to fediverse
    # clients before the page cache and the audience see it (fediverse/middleware.py).
    "fediverse.middleware.ActorMiddleware",
    # Outside the page cache: counts the pages it serves too (audience/middleware.py).
    "audience.middleware.AudienceMiddleware",
    # After the tenant is known, before sessions/CSRF/auth: see core/page_cache.py.
    "core.page_cache.PageCacheMiddleware",
    "core.tenant_state.TenantStateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.idle_sessions.IdleSessionMiddleware",
    # A federation staff member's support visit ends their session here once it is over.
    "tenants.support_access.SupportSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tenants.middleware.PortalRedirectMiddleware",
    # Last, so that it sees the login view's answer and turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.network",
            ],
            # E-mails Wagtail sends link to the portal they are about (see the module).
            "libraries": {"wagtailadmin_tags": "core.templatetags.portal_admin_tags"},
            # Django's ``date`` filter, each date written once a process (see the module).
            "builtins": ["core.templatetags.remembered_dates"],
        },
    },
]

WSGI_APPLICATION = "core.wsgi.application"

# --- Cache: every key carries the schema (DESIGN.md, "pitfalls") ----------------------

# django-tenants' key function (the schema first), with the network's own keys apart.
_TENANT_KEYS = {
    "KEY_FUNCTION": "core.cache_keys.make_key",
    "REVERSE_KEY_FUNCTION": "core.cache_keys.reverse_key",
}
if os.environ.get("REDIS_URL"):
    # Django's backend, reusing its client object (core/redis_cache.py: issue 25); the
    # pages' store keeps what a hit reads while Redis says it has not changed
    # (core/watched_reads.py).
    CACHES = {
        alias: {
            "BACKEND": backend,
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"quartiers-{alias}",
            **_TENANT_KEYS,
        }
        for alias, backend in (
            ("default", "core.redis_cache.RedisCache"),
            ("pages", "core.redis_cache.WatchedRedisCache"),
        )
    }
    CACHES["network"] = {
        "BACKEND": "core.redis_cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "quartiers-network",
    }
else:
    _PAGE_CACHE_DIR = Path(os.environ.get("PAGE_CACHE_DIR", BASE_DIR / "var" / "cache"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "quartiers",
            **_TENANT_KEYS,
        },
        # Whole pages, shared by every worker of the machine so that a publication seen by
        # one worker (which bumps the portal's generation) is seen by all at once. Kept
        # uncompressed: inflating a page was the largest cost of a hit (core/file_cache.py).
        "pages": {
            "BACKEND": "core.file_cache.FileBasedCache",
            "LOCATION": str(_PAGE_CACHE_DIR / "pages"),
            # 20,000 pages: each is two files, the page and its token (core/page_cache.py).
            "OPTIONS": {"MAX_ENTRIES": 40_000},
            **_TENANT_KEYS,
        },
        # The few keys every portal shares (no schema in them on purpose).
        "network": {
            "BACKEND": "core.file_cache.FileBasedCache",
            "LOCATION": str(_PAGE_CACHE_DIR / "network"),
        },
    }
# Every cache key starts with it (core/caching.py, tenants/host_cache.py), so that a deploy
# never serves what older code stored: by default the project's version and the git commit,
# or a digest of the code without .git (core/release.py). Servers sharing a cache (Redis)
# must agree on it.
CACHE_RELEASE = os.environ.get("CACHE_RELEASE") or default_release(BASE_DIR)
# The anonymous page cache (core/page_cache.py). PAGE_CACHE_SECONDS bounds how stale a page
# can get from time alone (the radio's "on air", an event ending); changes made through the
# site or the admin are seen at once. Reverse proxies may keep a page PAGE_CACHE_PROXY_SECONDS.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE", "1") != "0"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_PROXY_SECONDS = int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", "5"))
# Each process keeps the pages it served in its memory, up to this many bytes (pickled),
# so that a hit reads a token from the store rather than the page (core/page_cache.py).
PAGE_CACHE_MEMORY_BYTES = int(os.environ.get("PAGE_CACHE_MEMORY_MB", "32")) * 1024 * 1024
# The query parameters pages read to choose what they show: an address whose query string
# holds only these is cached (parameters sorted in the key); any other parameter, or free
# text (``q``), is served uncached, so that ``?x=1`` ... ``?x=n`` fill nothing. A feature
# that reads a new parameter on an anonymous page adds it here.
PAGE_CACHE_QUERY_PARAMETERS = frozenset(
    {
        "page",  # every paginated listing (portal/listing.py, classifieds)
        "categorie",  # news (portal/news/models.py)
        "tag",  # news, the federation's hub
        "type",  # actors' directory and map (portal/actors/forms.py)
        "theme",  # actors' directory and map
        "montrer",  # the map's layers: actors, residents' stories (portal/actors/forms.py)
        "recit",  # the kind of residents' stories on the map
        "kind",  # classifieds (classifieds/forms.py)
        "category",  # classifieds
        "etat",  # project seeds (portal/workshops/views.py)
        "module",  # the federation's hub (portal/methodology/hub.py)
        "quartier",  # the federation's hub
        "langue",  # the federation's hub
    }
)
# Fragments of pages (the home page's blocks, the menu) and what every request of a portal
# needs (its Site, settings, content types), remembered under the same generations.
FRAGMENT_CACHE_ENABLED = os.environ.get("FRAGMENT_CACHE", "1") != "0"
# Asking the default cache ahead, in one get_many, for what a request's address read last
# time (core.caching.reads_ahead) saves a round trip a fragment where the cache is across
# the network (Redis); a cache in the process's memory has no round trip to save, and
# there building each key twice only cost time (issue 25).
FRAGMENT_READ_AHEAD = (
    os.environ.get("FRAGMENT_READ_AHEAD", "1" if os.environ.get("REDIS_URL") else "0") != "0"
)
# How long a host -> portal lookup is remembered in a process. A change made by any process
# (a shell command too) is seen by all within TENANT_REGISTRY_RECHECK_SECONDS: the lookups
# carry a generation kept in the shared "network" cache (tenants/host_cache.py); this only
# bounds the memory they hold.
TENANT_HOST_CACHE_SECONDS = int(os.environ.get("TENANT_HOST_CACHE_SECONDS", "30"))
# How often each process reads that shared generation (seconds): a portal suspended or given
# a domain by another process is seen by every worker within this bound.
TENANT_REGISTRY_RECHECK_SECONDS = float(os.environ.get("TENANT_REGISTRY_RECHECK_SECONDS", "1"))

# Sessions live in each portal's schema: a session of one portal is unknown to any other.
SESSION_ENGINE = "core.sessions"  # Django's database sessions, malformed keys refused

# --- Passwords, languages, time --------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("ar", "العربية"),
    ("es", "Español"),
    ("pt", "Português"),
    ("tr", "Türkçe"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "core" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------

STATIC_URL = "/static/"
# Where collectstatic writes (nginx's /static/ alias) and where uploads live (shared
# storage when there are several application servers, docs/deploy.md): both may be set
# by the environment; relative paths are taken from the project's folder.
STATIC_ROOT = BASE_DIR / os.environ.get("STATIC_ROOT", "var/static")
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / os.environ.get("MEDIA_ROOT", "var/media")
# Each portal's uploads go to MEDIA_ROOT/<schema>/: one portal can neither list nor
# overwrite another's files.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
# In development static files are served straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# MEDIA_STORAGE=s3: uploads in an S3-compatible bucket, each portal's under
# <MEDIA_S3_PREFIX>/<schema>/ (tenants/media.py), for several application servers without
# a shared disk (docs/deploy.md). The bucket stays private: the application serves every
# file at the portal's own /media/ address, after its checks.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "files").strip().lower() or "files"
if MEDIA_STORAGE not in ("files", "s3"):
    raise ConfigurationRefused(
        f"MEDIA_STORAGE={MEDIA_STORAGE!r} n'est pas reconnu : « files » (par défaut, "
        "le dossier MEDIA_ROOT) ou « s3 » (un compartiment compatible S3)."
    )
if MEDIA_STORAGE == "s3" and not os.environ.get("MEDIA_S3_BUCKET"):
    raise ConfigurationRefused(
        "MEDIA_STORAGE=s3 exige MEDIA_S3_BUCKET (le nom du compartiment), et selon le "
        "service MEDIA_S3_ENDPOINT_URL, MEDIA_S3_REGION, MEDIA_S3_ACCESS_KEY_ID et "
        "MEDIA_S3_SECRET_ACCESS_KEY (docs/deploy.md)."
    )
MEDIA_S3_OPTIONS = {
    "bucket_name": os.environ.get("MEDIA_S3_BUCKET", ""),
    "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
    "region_name": os.environ.get("MEDIA_S3_REGION") or None,
    # Unset: boto3's own chain (AWS_* variables, instance role).
    "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
    "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
    # Never empty: a restore sets the old media aside under a sibling prefix.
    "location": os.environ.get("MEDIA_S3_PREFIX", "").strip("/") or "media",
    # Two uploads of "affiche.jpg" must not replace each other (a suffix is added).
    "file_overwrite": False,
    "default_acl": None,
    "querystring_auth": True,
    "signature_version": "s3v4",
    "addressing_style": os.environ.get("MEDIA_S3_ADDRESSING_STYLE") or "path",
}
STORAGES = {
    "default": (
        {"BACKEND": "tenants.media.TenantS3Storage", "OPTIONS": MEDIA_S3_OPTIONS}
        if MEDIA_STORAGE == "s3"
        else {"BACKEND": "tenants.media.TenantFolderStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Wagtail ---------------------------------------------------------------------------

WAGTAIL_SITE_NAME = NETWORK_NAME
# Only a fallback: e-mails about a portal build their links from its own domain.
WAGTAILADMIN_BASE_URL = f"{NETWORK_SCHEME}://{NETWORK_DOMAIN}"
WAGTAILSEARCH_BACKENDS = {
    # The index lives in each portal's schema; French stemming.
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french"}
}
# Wagtail's background work carries no tenant: its tasks ("default") run inside the
# request's schema. Ours ("background": e-mail...) carry their portal's schema and wait in
# a table of public for `manage.py db_worker --backend background` (core/task_queue.py).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email", "images"],
    },
}
# AVIF copies of pictures, written by the worker (core/avif.py), where Pillow can write them.
# PICTURES_AVIF=0 turns them off (a worker short of CPU).
PICTURES_AVIF = os.environ.get("PICTURES_AVIF", "1") == "1" and pillow_features.check("avif")
# A task failing for a reason that may pass is tried again after these waits (seconds),
# then waits in the network's admin (Réseau > Tâches en échec) for a person.
TASK_RETRY_DELAYS = [int(s) for s in _env_list("TASK_RETRY_DELAYS", "60,300,1800")]
# /healthz fails when the oldest task ready to run has waited longer (core/health.py).
HEALTHZ_MAX_QUEUE_DELAY_MINUTES = int(os.environ.get("HEALTHZ_MAX_QUEUE_DELAY_MINUTES", "10"))
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "odp", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAIL_PASSWORD_RESET_ENABLED = True
# Nobody chooses another person's password: it is the person's network password, for every
# portal. An account added in the user admin chooses its own through the e-mailed link.
WAGTAILUSERS_PASSWORD_ENABLED = False
# Embeds from an allow-list of providers only, stored per portal (radio/embeds.py),
# fetched when an editor saves, never while a visitor waits (core/embeds.py).
WAGTAILEMBEDS_FINDERS = [{"class": "radio.embeds.AllowListEmbedFinder"}]

# --- Requests the server makes (core/outbound.py) --------------------------------------

# Every outbound fetch refuses private, loopback, link-local and reserved addresses, after
# name resolution and at each redirect. Networks listed here are let through all the same
# (comma-separated CIDRs, e.g. a PeerTube on the operator's own network); empty by default.
OUTBOUND_ALLOWED_NETWORKS = [
    net.strip() for net in os.environ.get("OUTBOUND_ALLOWED_NETWORKS", "").split(",") if net.strip()
]
# The whole exchange (connection, redirects, answer) ends after this many seconds ...
OUTBOUND_TIMEOUT_SECONDS = float(os.environ.get("OUTBOUND_TIMEOUT_SECONDS", "5"))
# ... or this many bytes of answer (an oEmbed answer is a few kilobytes).
OUTBOUND_MAX_BYTES = int(os.environ.get("OUTBOUND_MAX_BYTES", "1000000"))
# A remote fediverse server that failed this many deliveries in a row (from any portal) is
# paused: deliveries to it wait, first FEDIVERSE_FIRST_PAUSE_SECONDS; a failure once the
# pause is over starts one twice as long, at most FEDIVERSE_LONGEST_PAUSE_SECONDS
# (fediverse/servers/health.py).
FEDIVERSE_FAILURES_BEFORE_PAUSE = int(os.environ.get("FEDIVERSE_FAILURES_BEFORE_PAUSE", "5"))
FEDIVERSE_FIRST_PAUSE_SECONDS = int(os.environ.get("FEDIVERSE_FIRST_PAUSE_SECONDS", "600"))
FEDIVERSE_LONGEST_PAUSE_SECONDS = int(os.environ.get("FEDIVERSE_LONGEST_PAUSE_SECONDS", "86400"))
# A hostile server can mint thousands of actors that all follow a portal, each Follow
# costing a fetch and an Accept sent back: a portal takes this many follows an hour from
# one remote host, and answers the next ones 429 with no Accept (fediverse/inbox.py).
FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR = int(
    os.environ.get("FEDIVERSE_FOLLOWS_PER_HOST_PER_HOUR", "30")
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Public forms sent sooner than this after they were opened are refused as a robot's
# (core/abuse.py); 0 turns the check off. The stamp counts whole seconds.
PUBLIC_FORM_MIN_SECONDS = int(os.environ.get("PUBLIC_FORM_MIN_SECONDS", "3"))
# Someone who asked to join a project's action group and never confirmed their address is
# forgotten after this many days (``manage.py seed_members_maintenance``): their name and
# address were typed by whoever filled the form, perhaps not by them. The confirmation
# link itself dies after 7 days.
SEED_MEMBER_UNCONFIRMED_DAYS = int(os.environ.get("SEED_MEMBER_UNCONFIRMED_DAYS", "7"))
# A request to launch a media (the federation's "Lancer un média" form) holds a person's
# name, address and project: it is deleted this many days after it was sent
# (``manage.py launch_requests_maintenance``), the CNIL's three years for a contact that
# did not become a relationship.
LAUNCH_REQUEST_RETENTION_DAYS = int(os.environ.get("LAUNCH_REQUEST_RETENTION_DAYS", "1095"))

# --- Maps ----------------------------------------------------------------------------

# The actors' map (Leaflet, served from our static files) loads its tiles from here.
# OpenStreetMap's own servers suit a small audience; a busy network should use its own
# tile server or a provider's, and say so in the attribution.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs OpenStreetMap</a>',
)

# --- E-mail ----------------------------------------------------------------------------

# Every message is queued (core/mail_queue.py) and sent by the worker through the real
# backend, EMAIL_DELIVERY_BACKEND (the EMAIL_BACKEND variable names it: SMTP in production).
EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
# Production sends over SMTP: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL ("1" to turn on), EMAIL_TIMEOUT in seconds.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Quartiers <noreply@quartiers.example>")
# Newsletters: messages per SMTP connection, and an optional mailbox that unsubscribes whoever
# writes to it (offered in List-Unsubscribe next to the one-click link), e.g. desabonnement@...
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "200"))
NEWSLETTER_UNSUBSCRIBE_MAILTO = os.environ.get("NEWSLETTER_UNSUBSCRIBE_MAILTO", "")
# Temporary failures (full mailbox, server away) an address may have before the infolettre
# stops writing to it; a hard bounce or a complaint stops it at once (newsletter/bounces.py).
NEWSLETTER_SOFT_BOUNCE_LIMIT = int(os.environ.get("NEWSLETTER_SOFT_BOUNCE_LIMIT", "3"))

# A sending provider instead of SMTP, through django-anymail (optional): ANYMAIL_PROVIDER is
# the name of anymail's backend module (mailgun, brevo, postmark, amazon_ses...); every other
# ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"] (ANYMAIL_MAILGUN_API_KEY,
# ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY, ANYMAIL_MAILGUN_API_URL for the EU region,
# ANYMAIL_WEBHOOK_SECRET...). The provider's bounce and complaint events come back, signed,
# to https://<network's public host>/anymail/<provider>/tracking/ (core/mail.py).
ANYMAIL_PROVIDER = os.environ.get("ANYMAIL_PROVIDER", "").strip().lower()
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and name != "ANYMAIL_PROVIDER" and value
}
if ANYMAIL_PROVIDER:
    if not re.fullmatch(r"[a-z_]+", ANYMAIL_PROVIDER) or not importlib.util.find_spec(
        f"anymail.backends.{ANYMAIL_PROVIDER}"
    ):
        raise ConfigurationRefused(
            f"ANYMAIL_PROVIDER={ANYMAIL_PROVIDER} : django-anymail ne connaît pas ce "
            "prestataire (par exemple mailgun, brevo, postmark, amazon_ses)."
        )
    # Providers whose anymail webhook checks a signature of its own, with that key's name;
    # every other provider's webhook only checks ANYMAIL_WEBHOOK_SECRET (basic auth).
    _signing_key = {"mailgun": "MAILGUN_WEBHOOK_SIGNING_KEY"}.get(ANYMAIL_PROVIDER)
    if not (ANYMAIL.get("WEBHOOK_SECRET") or (_signing_key and ANYMAIL.get(_signing_key))):
        # Without it, the provider's webhook would take events from anyone.
        _wanted = f"ANYMAIL_{_signing_key} (la clé de signature des webhooks) ou " * bool(
            _signing_key
        )
        raise ConfigurationRefused(
            f"ANYMAIL_PROVIDER={ANYMAIL_PROVIDER} exige {_wanted}ANYMAIL_WEBHOOK_SECRET "
            "(identifiant:mot-de-passe de l'adresse du webhook)."
        )
    EMAIL_DELIVERY_BACKEND = f"anymail.backends.{ANYMAIL_PROVIDER}.EmailBackend"

# --- Production ------------------------------------------------------------------------

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = not LOCAL_HTTP
    SECURE_HSTS_SECONDS = 0 if LOCAL_HTTP else 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = not LOCAL_HTTP
    CSRF_COOKIE_SECURE = not LOCAL_HTTP

# --- Security: headers, cookies, logins, uploads (issue 8; docs/operators.md) -----------

# Cookies belong to the one host that set them (no Domain attribute): a portal's session
# is never sent to another portal, and sessions live in each portal's schema anyway.
# Over https the "__Host-" prefix makes browsers refuse such a cookie set by a sibling
# sub-domain or without Secure.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
_COOKIE_PREFIX = "__Host-" if PRODUCTION and not LOCAL_HTTP else ""
SESSION_COOKIE_NAME = f"{_COOKIE_PREFIX}quartiers_session"
CSRF_COOKIE_NAME = f"{_COOKIE_PREFIX}quartiers_csrf"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
# A logged-in person is logged out after this long without a request of theirs
# (core.idle_sessions: Wagtail's editor pings do not count).
ADMIN_IDLE_TIMEOUT_MINUTES = int(os.environ.get("ADMIN_IDLE_TIMEOUT_MINUTES", "30"))
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites learn which portal a visitor came from (its origin, never the page): a link
# from one portal to another is then counted as coming from the network (docs/audience.md).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page of ours uses (core.security.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), "
    "browsing-topics=()"
)

# Content-Security-Policy (django-csp 4). frame-src is added per response from
# radio.embeds (the embed providers the portal accepts), never listed here.
_CSP_COMMON = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    # Live radio streams come from the station's own Icecast/HLS server.
    "media-src": ["'self'", "https:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    "upgrade-insecure-requests": PRODUCTION and not LOCAL_HTTP,
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        # No inline script on public pages; inline <style> only by hash ({% accent_style %}).
        "script-src": ["'self'"],
        "style-src": ["'self'"],
    }
}
# Wagtail's admin still writes inline scripts and styles, and previews images as blobs.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:", "https:"],
        "worker-src": ["'self'", "blob:"],
    }
}
# No third-party requests from the admin: no Gravatar, no Wagtail update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# The proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# nginx on the same machine by default. Add a load balancer's address if one stands in
# front of nginx; never a network visitors can send from (core.abuse.client_ip).
TRUSTED_PROXIES = _env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ConfigurationRefused(
            f"TRUSTED_PROXIES : « {_proxy} » n'est ni une adresse IP ni un réseau "
            "(par exemple 10.0.0.2 ou 10.0.0.0/24, séparés par des virgules)."
        ) from _error

# Login throttling in every portal's admin (django-axes, tables in each portal's schema):
# after 5 failures for one account from one address, that address may not log into that
# account for 15 min.
# The password a portal checks is the person's network account's (one password for every
# portal where they hold a role: tenants/network_login.py, docs/accounts.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tenants.network_login.NetworkAccountBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Failures count per account *and* address: a visitor guessing an animator's password
# locks only themselves out of that account, never the animator elsewhere, nor the other
# visitors behind the same proxy, nor that address's other accounts.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.login_locked_out"
# The same address as the public forms' rate limits (core.abuse.client_ip).
AXES_CLIENT_IP_CALLABLE = "core.abuse.axes_client_ip"
# Keep failures only, not a log of every successful login (data minimisation).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Uploaded documents: an allow-list of extensions (no HTML, SVG or scripts), served by
# Wagtail's view (privacy of collections checked) as attachments, except PDF and plain
# text; Wagtail adds "Content-Security-Policy: default-src 'none'" to them. Never a
# redirect to the storage: a bucket's address would skip the privacy check.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# Images: raster formats only (an SVG can carry scripts).
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Weighed, then measured from the file's header, before any decoding: a few kilobytes of
# PNG can announce a billion pixels (gigabytes once decoded, for each rendition). 40
# million pixels (an 8K photo) is the classifieds' limit too; Wagtail's default, 128
# million, is past Pillow's own alarm.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Errors to a Sentry-compatible service (core/error_reporting.py): the portal and the path
# as tags, no personal data. SENTRY_ENVIRONMENT names the installation (production...).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from core.error_reporting import init_error_reporting

    init_error_reporting(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production" if PRODUCTION else "dev"),
        release=CACHE_RELEASE,
    )

# core.templatetags.portal_admin_tags stands in for wagtailadmin_tags on purpose (see it).
SILENCED_SYSTEM_CHECKS = ["templates.W003"]
