"""python manage.py consultations_maintenance: erase unconfirmed answers, every portal (or one).

Safe from cron (daily): a second run finds nothing left to do. A failing portal is
reported and the others go on; the exit code says so.
"""

from django.core.management.base import BaseCommand

from consultations.lifecycle import purge_unconfirmed
from tenants.command_portals import run_in_each_portal


class Command(BaseCommand):
    help = (
        "Consultations de chaque portail actif : efface les réponses non confirmées sous 7 jours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        run_in_each_portal(
            self, options["portal"], purge_unconfirmed, "réponse(s) non confirmée(s) effacée(s)"
        )
