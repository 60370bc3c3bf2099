"""python manage.py classifieds_maintenance: expire, remind, purge, digest and light copies
of older photos, every portal.

Safe from cron (daily, or hourly): each run does only what is due, a second run finds
nothing to do. A failing portal is reported and the others go on; the exit code says so.
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from classifieds.maintenance import run_maintenance
from tenants.command_portals import active_portals


class Command(BaseCommand):
    help = (
        "Petites annonces de chaque portail actif : expiration, rappels, effacement des "
        "annonces non confirmées, résumé aux animateurs et copies légères des photos "
        "envoyées avant qu'elles existent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        portals = active_portals(options["portal"])
        total = len(portals)
        failed = []
        totals = {"expired": 0, "reminded": 0, "purged": 0, "digests": 0, "photos": 0, "skipped": 0}
        for number, portal in enumerate(portals, start=1):
            try:
                with tenant_context(portal):
                    report = run_maintenance()
            except Exception as error:  # one portal's failure must not stop the others
                failed.append(portal.schema_name)
                self.stderr.write(
                    f"portail {number}/{total} : {portal.schema_name} … échec : {error}"
                )
                continue
            totals["expired"] += report.expired
            totals["reminded"] += report.reminded
            totals["purged"] += report.purged
            totals["digests"] += report.digest_sent
            totals["photos"] += report.photos_copied
            totals["skipped"] += len(report.photos_skipped)
            self.stdout.write(f"portail {number}/{total} : {portal.schema_name} … {report}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} portail(s) : {totals['expired']} annonce(s) expirée(s), "
                f"{totals['reminded']} rappel(s), {totals['purged']} annonce(s) non confirmée(s) "
                f"effacée(s), {totals['digests']} résumé(s) envoyé(s), {totals['photos']} photo(s) "
                f"allégée(s), {totals['skipped']} photo(s) illisible(s) ou introuvable(s)."
            )
        )
        if failed:
            raise CommandError(f"Échec sur {len(failed)} portail(s) : {', '.join(failed)}.")
