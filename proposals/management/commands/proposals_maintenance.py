"""python manage.py proposals_maintenance: purge old proposals, every portal (or one).

Safe from cron (daily, or hourly): a second run finds nothing left to do. A failing portal is
reported and the others go on; the exit code says so.
"""

from django.core.management.base import BaseCommand

from proposals.lifecycle import purge
from tenants.command_portals import run_in_each_portal


class Command(BaseCommand):
    help = (
        "Propositions des habitants de chaque portail actif : efface celles jamais "
        "confirmées (48 h) et celles dont la dernière étape dépasse la durée de conservation "
        "du portail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        run_in_each_portal(self, options["portal"], purge, "proposition(s) effacée(s)")
