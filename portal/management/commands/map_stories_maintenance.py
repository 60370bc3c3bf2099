"""python manage.py map_stories_maintenance: delete the residents' map stories never
confirmed, every portal (or one).

Safe from cron (daily): a second run finds nothing left to do. A failing portal is
reported and the others go on; the exit code says so.
"""

from django.core.management.base import BaseCommand

from portal.actors.story_lifecycle import purge_unconfirmed
from tenants.command_portals import run_in_each_portal


class Command(BaseCommand):
    help = (
        "Récits de la carte de chaque portail actif : efface ceux dont l'adresse n'a pas été "
        "confirmée sous 48 heures (texte, adresse et photo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        run_in_each_portal(
            self, options["portal"], purge_unconfirmed, "récit(s) non confirmé(s) effacé(s)"
        )
