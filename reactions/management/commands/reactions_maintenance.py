"""python manage.py reactions_maintenance: erase reactions never confirmed, every portal (or one).

Safe from cron (daily): a second run finds nothing left to do. A failing portal is
reported and the others go on; the exit code says so.
"""

from django.core.management.base import BaseCommand

from reactions.lifecycle import purge_unconfirmed
from tenants.command_portals import run_in_each_portal


class Command(BaseCommand):
    help = (
        "Réactions de chaque portail actif : efface celles dont l'adresse n'a pas été "
        "confirmée sous 30 jours (nom, adresse et texte)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        run_in_each_portal(
            self, options["portal"], purge_unconfirmed, "réaction(s) non confirmée(s) effacée(s)"
        )
