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
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
            _point_site_at(successor)
            after_primary_host_change(successor.tenant, domain.domain, successor.domain)
        journal.record(by, NetworkAction.Action.REMOVE_DOMAIN, domain.tenant, domain=domain.domain)


def _point_site_at(primary: Domain) -> None:
    point_site_at(primary.tenant, primary.domain)


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
