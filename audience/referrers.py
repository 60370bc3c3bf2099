"""The kind of referrer of a view: read from the request, kept as a kind, never as an address.

The order matters: a link of the infolettre (``utm_medium=email``, ``utm_source=
infolettre``) is a newsletter view wherever the mail client opened it; then the referring
host: none (typed address, bookmark, an application that sends none) is *direct*, the
portal's own host is *internal* navigation, then the search engines and social networks
below, then the network's hosts (every domain of the registry: another portal), and
anything else is *another site*.

Portals send their origin (never the page) to other sites (``SECURE_REFERRER_POLICY =
"strict-origin-when-cross-origin"``, the browsers' default): without it a link from one
portal to another would arrive as direct.

The lists are short on purpose: the engines and networks French residents use, matched on
the host's name whatever its country ending (``google.fr``, ``google.com``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from django_tenants.utils import get_public_schema_name, schema_context

from audience.models import Referrer
from tenants import host_cache
from tenants.models import Domain

SEARCH_ENGINES = re.compile(
    r"(^|\.)(google|bing|duckduckgo|qwant|ecosia|yahoo|yandex|baidu|startpage|lilo|"
    r"search\.brave|ask|aol|seznam|naver|perplexity)\.[a-z]{2,3}(\.[a-z]{2})?$"
)
# Hosts of those names that are no search engine: a webmail, a document.
NOT_SEARCH = re.compile(r"^(mail|docs|drive|calendar|accounts|outlook)\.")
SOCIAL_NETWORKS = re.compile(
    r"(^|\.)(facebook\.com|fb\.me|instagram\.com|t\.co|twitter\.com|x\.com|linkedin\.com|"
    r"lnkd\.in|bsky\.app|threads\.net|youtube\.com|youtu\.be|tiktok\.com|pinterest\.[a-z.]+|"
    r"reddit\.com|whatsapp\.com|t\.me|telegram\.org|snapchat\.com|tumblr\.com|"
    r"mastodon\.[a-z.]+|mstdn\.[a-z.]+|piaille\.fr|framapiaf\.org|diaspora[a-z.-]*)$"
)
NEWSLETTER_MEDIA = frozenset({"email", "e-mail", "mail", "newsletter", "infolettre"})
NEWSLETTER_SOURCES = frozenset({"newsletter", "infolettre"})
SOCIAL_MEDIA = frozenset({"social", "social-network", "reseau-social"})

# The network's hosts, read again when the registry's generation changes (by any process).
_network: list[tuple[int, frozenset[str]]] = []


def network_hosts() -> frozenset[str]:
    """Every host of the registry (all portals'), read once per registry generation: a
    view's referrer is then checked without a query, whatever host it names."""
    generation = host_cache.recent_registry_generation()
    if _network and _network[0][0] == generation:
        return _network[0][1]
    with schema_context(get_public_schema_name()):
        hosts = frozenset(Domain.objects.values_list("domain", flat=True))
    _network[:] = [(generation, hosts)]
    return hosts


def _host(address: str) -> str:
    try:
        host = urlsplit(address).hostname or ""
    except ValueError:  # a malformed address (an unclosed "[" ...) is no host
        return ""
    return host.removeprefix("www.")


def referrer_kind(own_host: str, referer: str, query: Mapping[str, str]) -> Referrer:
    """The kind of referrer of a view of a page at ``own_host`` (without port), from the
    ``Referer`` header (or "") and the address's query parameters."""
    medium = query.get("utm_medium", "").lower()
    source = query.get("utm_source", "").lower()
    if medium in NEWSLETTER_MEDIA or source in NEWSLETTER_SOURCES:
        return Referrer.NEWSLETTER
    host = _host(referer)
    if not host:
        return Referrer.SOCIAL if medium in SOCIAL_MEDIA else Referrer.DIRECT
    if host == own_host.removeprefix("www."):
        return Referrer.INTERNAL
    if SEARCH_ENGINES.search(host) and not NOT_SEARCH.match(host):
        return Referrer.SEARCH
    if SOCIAL_NETWORKS.search(host) or medium in SOCIAL_MEDIA:
        return Referrer.SOCIAL
    if host in network_hosts() or f"www.{host}" in network_hosts():
        return Referrer.NETWORK
    return Referrer.OTHER
