"""python manage.py consultations_maintenance: erase unconfirmed answers, every portal.

Safe from cron (daily): a second run finds nothing to do. A failing portal is reported and
the others go on; the exit code says so.
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from consultations.lifecycle import purge_unconfirmed
from tenants.command_portals import active_portals


class Command(BaseCommand):
    help = (
        "Consultations de chaque portail actif : efface les réponses non confirmées sous 7 jours."
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
                    count = purge_unconfirmed()
            except Exception as error:  # one portal's failure must not stop the others
                failed.append(portal.schema_name)
                self.stderr.write(
                    f"portail {number}/{total} : {portal.schema_name} … échec : {error}"
                )
                continue
            purged += count
            self.stdout.write(
                f"portail {number}/{total} : {portal.schema_name} … {count} réponse(s) effacée(s)"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} portail(s) : {purged} réponse(s) non confirmée(s) effacée(s)."
            )
        )
        if failed:
            raise CommandError(f"Échec sur {len(failed)} portail(s) : {', '.join(failed)}.")
