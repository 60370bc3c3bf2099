"""Every portal's links name the host and port it is served at, not those of the day it
was opened.

A portal's Wagtail site records a host name and a port when the portal is opened; pages
build their canonical and Open Graph links from them, and the federation index keeps
those links. ``make run PORT=8100`` seeds the network and then serves it on 8100: a portal
opened earlier on 8000, or by a command run without ``PUBLIC_PORT``, would link to a port
nobody listens on. ``network_urls`` (which ``make run`` calls before serving) aligns them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Site

from tenants.addresses import primary_domain
from tenants.domains import point_site_at
from tenants.federation import sync_federation_index
from tenants.models import Neighbourhood


def site_is_aligned(portal: Neighbourhood) -> bool:
    """Whether the portal's site builds its links from its primary host name and the
    public port this process is configured with (``settings.PUBLIC_PORT``)."""
    primary = primary_domain(portal)
    with schema_context(portal.schema_name):
        site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is None or primary is None:
        return True  # nothing to align: a portal without a site or a host is served nowhere
    return (site.hostname, site.port) == (primary.domain, settings.PUBLIC_PORT)


def align_portal_links(portals: Iterable[Neighbourhood] | None = None) -> list[Neighbourhood]:
    """Point the site of each portal (every one by default) at its primary host name and
    the public port where it points elsewhere, then rebuild those portals' entries of the
    federation index; return the portals changed.

    Saving a site forgets the portal's cached pages (``core.caching``), so no page keeps
    the old links.
    """
    if portals is None:
        with schema_context(get_public_schema_name()):
            portals = list(Neighbourhood.objects.prefetch_related("domains"))
    changed = []
    for portal in portals:
        if not site_is_aligned(portal):
            point_site_at(portal, primary_domain(portal).domain)
            changed.append(portal)
    if changed:
        sync_federation_index(only=changed)
    return changed
