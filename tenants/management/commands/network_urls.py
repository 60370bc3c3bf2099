"""python manage.py network_urls: where the directory and every portal are served."""

from django.core.management.base import BaseCommand
from django.db import connection

from tenants.addresses import network_base_url, portal_base_url
from tenants.models import Neighbourhood


class Command(BaseCommand):
    help = "Affiche l'adresse de l'annuaire et de chaque portail du réseau."

    def handle(self, *args, **options):
        db = connection.settings_dict
        where = db["HOST"] if str(db["HOST"]).startswith("/") else f"{db['HOST']}:{db['PORT']}"
        self.stdout.write(f"Base PostgreSQL « {db['NAME']} » : {where}")
        self.stdout.write(f"Annuaire du réseau : {network_base_url()}/")
        for portal in Neighbourhood.objects.portals().prefetch_related("domains"):
            url = portal_base_url(portal)
            state = "" if portal.is_active else f" [{portal.get_status_display()}]"
            self.stdout.write(f"  {portal.name:<28} {url}/  (admin : {url}/admin/){state}")
