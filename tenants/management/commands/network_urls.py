"""python manage.py network_urls: where the directory and every portal are served.

``make run PORT=8100`` calls it with ``PUBLIC_PORT=8100`` just before serving: first it
makes every portal's links (Wagtail sites, the federation index) name that port, then it
prints the addresses.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from tenants.addresses import network_base_url, portal_base_url
from tenants.models import Neighbourhood
from tenants.public_links import align_portal_links


class Command(BaseCommand):
    help = (
        "Aligne les liens de chaque portail sur le port public (PUBLIC_PORT), puis affiche "
        "l'adresse de l'annuaire et de chaque portail du réseau."
    )

    def handle(self, *args, **options):
        changed = align_portal_links()
        if changed:
            slugs = ", ".join(portal.schema_name for portal in changed)
            self.stdout.write(
                f"Liens refaits pour le port {settings.PUBLIC_PORT} "
                f"({len(changed)} portail(s)) : {slugs}"
            )
        db = connection.settings_dict
        where = db["HOST"] if str(db["HOST"]).startswith("/") else f"{db['HOST']}:{db['PORT']}"
        self.stdout.write(f"Base PostgreSQL « {db['NAME']} » : {where}")
        self.stdout.write(f"Annuaire du réseau : {network_base_url()}/")
        for portal in Neighbourhood.objects.portals().prefetch_related("domains"):
            url = portal_base_url(portal)
            state = "" if portal.is_active else f" [{portal.get_status_display()}]"
            self.stdout.write(f"  {portal.name:<28} {url}/  (admin : {url}/admin/){state}")
