"""python manage.py launch_requests_maintenance: forget old requests to launch a media.

Safe from cron (daily): a second run finds nothing left to do. Every active portal is
visited (only the federation's front door takes requests, but a portal's kind may change);
a failing portal is reported and the others go on; the exit code says so.
"""

from django.core.management.base import BaseCommand

from frontdoor.launch_requests import purge
from tenants.command_portals import run_in_each_portal


class Command(BaseCommand):
    help = (
        "Demandes de lancement d'un média : efface celles reçues il y a plus de "
        "LAUNCH_REQUEST_RETENTION_DAYS jours (1 095 par défaut)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        run_in_each_portal(self, options["portal"], purge, "demande(s) effacée(s)")
