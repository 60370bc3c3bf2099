"""Settings of the Quartiers network: one module, configured by environment variables.

| variable         | effect                                                              |
| ---------------- | ------------------------------------------------------------------- |
| DATABASE_URL     | PostgreSQL to use; unset, the embedded server in ``var/pgdata/``     |
| REDIS_URL        | cache in Redis; unset, a cache local to each process                 |
| PAGE_CACHE       | ``0`` turns the anonymous page cache off (``core/page_cache.py``)     |
| PAGE_CACHE_DIR   | where the page cache lives without Redis (``var/cache/``)             |
| CONN_MAX_AGE     | seconds a database connection is kept (60; 0 for one per request)    |
| DJANGO_ENV       | ``production`` turns on every deploy check                           |
| SECRET_KEY       | required in production                                               |
| NETWORK_DOMAIN   | the network's domain: portals live at ``<slug>.<NETWORK_DOMAIN>``     |
| PUBLIC_PORT      | the port visitors use, in links sent by e-mail (8000 in development) |
| ALLOWED_HOSTS    | extra host names, comma-separated (portals' own domains)             |
"""

from __future__ import annotations

import os
from pathlib import Path

from core.database import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1" and not PRODUCTION

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-quartiers-0123456789abcdef")

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
    "core",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
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
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Neighbourhood"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_BASE_SCHEMA = "tpl_neighbourhood"
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "core.urls_public"
ROOT_URLCONF = "core.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DATABASES = {"default": database_settings(BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    "tenants.middleware.NeighbourhoodMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After the tenant is known, before sessions/CSRF/auth: see core/page_cache.py.
    "core.page_cache.PageCacheMiddleware",
    "core.tenant_state.TenantStateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tenants.middleware.PortalRedirectMiddleware",
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
        },
    },
]

WSGI_APPLICATION = "core.wsgi.application"

# --- Cache: every key carries the schema (DESIGN.md, "pitfalls") ----------------------

_TENANT_KEYS = {
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
}
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"quartiers-{alias}",
            **_TENANT_KEYS,
        }
        for alias in ("default", "pages")
    }
    CACHES["network"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
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
        # one worker (which bumps the portal's generation) is seen by all at once.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_PAGE_CACHE_DIR / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
            **_TENANT_KEYS,
        },
        # The few keys every portal shares (no schema in them on purpose).
        "network": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_PAGE_CACHE_DIR / "network"),
        },
    }
# The anonymous page cache (core/page_cache.py). PAGE_CACHE_SECONDS bounds how stale a page
# can get from time alone (the radio's "on air", an event ending); changes made through the
# site or the admin are seen at once. Reverse proxies may keep a page PAGE_CACHE_PROXY_SECONDS.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE", "1") != "0"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_PROXY_SECONDS = int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", "5"))
# Fragments of pages (the home page's blocks, the menu) and what every request of a portal
# needs (its Site, settings, content types), remembered under the same generations.
FRAGMENT_CACHE_ENABLED = os.environ.get("FRAGMENT_CACHE", "1") != "0"
# How long a host -> portal lookup is remembered. Changes made in this process clear it at
# once; with a local (per-process) cache, other processes see them after this delay.
TENANT_HOST_CACHE_SECONDS = int(os.environ.get("TENANT_HOST_CACHE_SECONDS", "30"))

# Sessions live in each portal's schema: a session of one portal is unknown to any other.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

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
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
# Each portal's uploads go to MEDIA_ROOT/<schema>/: one portal can neither list nor
# overwrite another's files.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
# In development static files are served straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
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
# Background work carries no tenant: run Wagtail's tasks inside the request's schema.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "odp", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAIL_PASSWORD_RESET_ENABLED = True
# Embeds from an allow-list of providers only, stored per portal (radio/embeds.py).
WAGTAILEMBEDS_FINDERS = [{"class": "radio.embeds.AllowListEmbedFinder"}]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- E-mail ----------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Quartiers <noreply@quartiers.example>")

# --- Production ------------------------------------------------------------------------

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# core.templatetags.portal_admin_tags stands in for wagtailadmin_tags on purpose (see it).
SILENCED_SYSTEM_CHECKS = ["templates.W003"]
