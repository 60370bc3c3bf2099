"""python manage.py proposals_maintenance: purge old proposals, every portal (or one).

Safe from cron (daily, or hourly): each run deletes only what is due, a second run finds
nothing left to do. A failing portal is reported and the others go on; the exit code
says so.
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from proposals.lifecycle import purge
from tenants.command_portals import active_portals


class Command(BaseCommand):
    help = (
        "Propositions des habitants de chaque portail actif : efface celles jamais "
        "confirmées (48 h) et celles dont la dernière étape dépasse la durée de conservation "
        "du portail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        portals = active_portals(options["portal"])
        total = len(portals)
        failed = []
        purged = 0
        for number, portal in enumerate(portals, start=1):
            try:
                with tenant_context(portal):
                    count = purge()
            except Exception as error:  # one portal's failure must not stop the others
                failed.append(portal.schema_name)
                self.stderr.write(
                    f"portail {number}/{total} : {portal.schema_name} … échec : {error}"
                )
                continue
            purged += count
            done = f"{count} proposition(s) effacée(s)"
            self.stdout.write(f"portail {number}/{total} : {portal.schema_name} … {done}")
        self.stdout.write(
            self.style.SUCCESS(f"{total} portail(s) : {purged} proposition(s) effacée(s).")
        )
        if failed:
            raise CommandError(f"Échec sur {len(failed)} portail(s) : {', '.join(failed)}.")
