"""A portal's host names: adding one, removing one, keeping one of them primary."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Site

from tenants import journal
from tenants.extension_points import after_primary_host_change
from tenants.models import Domain, Neighbourhood, NetworkAction


def add_domain(neighbourhood: Neighbourhood, hostname: str, *, by: object | None = None) -> Domain:
    """Make ``neighbourhood`` answer at ``hostname`` too, logged as done by ``by`` (None:
    the shell's user); raise a French ValidationError."""
    hostname = hostname.strip().lower()
    if hostname in settings.PUBLIC_HOSTS:
        raise ValidationError(
            {"domain": [f"« {hostname} » est l'adresse de l'annuaire du réseau."]}
        )
    with schema_context(get_public_schema_name()), transaction.atomic():
        domain = Domain(domain=hostname, tenant=neighbourhood, is_primary=False)
        domain.full_clean()
        domain.save()
        journal.record(by, NetworkAction.Action.ADD_DOMAIN, neighbourhood, domain=domain.domain)
    return domain


def remove_domain(domain: Domain, *, by: object | None = None) -> None:
    """Stop serving ``domain``; another host name becomes primary if it was the primary.

    A portal always keeps one host name: removing its last one is refused.
    """
    with schema_context(get_public_schema_name()), transaction.atomic():
        others = Domain.objects.filter(tenant_id=domain.tenant_id).exclude(pk=domain.pk)
        successor = others.order_by("pk").first()
        if successor is None:
            raise ValidationError(
                "« %(domain)s » est le seul nom d'hôte du portail : ajoutez-en un autre avant "
                "de le retirer.",
                params={"domain": domain.domain},
            )
        domain.delete()
        if domain.is_primary:
            _become_primary(successor, old_host=domain.domain)
        journal.record(by, NetworkAction.Action.REMOVE_DOMAIN, domain.tenant, domain=domain.domain)


def make_primary(domain: Domain, *, by: object | None = None) -> None:
    """Make ``domain`` its portal's primary host name (links, e-mails and the fediverse
    actor's address are built from it); the former primary keeps serving the portal.
    Nothing happens when it is the primary already."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        domain = Domain.objects.select_for_update().get(pk=domain.pk)
        if domain.is_primary:
            return
        former = Domain.objects.filter(tenant_id=domain.tenant_id, is_primary=True).first()
        Domain.objects.filter(tenant_id=domain.tenant_id).update(is_primary=False)
        _become_primary(domain, old_host=former.domain if former else "")
        journal.record(
            by,
            NetworkAction.Action.MAKE_PRIMARY,
            domain.tenant,
            domain=domain.domain,
            previous=former.domain if former else "",
        )


def _become_primary(domain: Domain, *, old_host: str) -> None:
    """Mark ``domain`` primary, point the portal's site at it, tell the features."""
    domain.is_primary = True
    domain.save(update_fields=["is_primary"])
    point_site_at(domain.tenant, domain.domain)
    if old_host:
        after_primary_host_change(domain.tenant, old_host, domain.domain)


def point_site_at(neighbourhood: Neighbourhood, hostname: str) -> None:
    """Make the portal's one Wagtail site build its links from ``hostname``.

    Saved (not updated in bulk) so that Wagtail forgets the site root paths it cached.
    """
    with schema_context(neighbourhood.schema_name):
        site = Site.objects.get(is_default_site=True)
        site.hostname = hostname
        site.port = settings.PUBLIC_PORT
        site.site_name = neighbourhood.name
        site.save()
