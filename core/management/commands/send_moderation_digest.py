"""python manage.py send_moderation_digest: what waits for the animators, every portal.

Safe from cron (daily, or more often): a portal's animators get at most one digest a
day, and none when nothing waits. A failing portal is reported and the others go on;
the exit code says so.
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from core.moderation_digest import send_moderation_digest
from tenants.command_portals import active_portals


class Command(BaseCommand):
    help = (
        "Résumé quotidien de modération : un e-mail à chaque animateur d'un portail où des "
        "éléments attendent une décision (rien quand rien n'attend, un seul par jour)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        portals = active_portals(options["portal"])
        total = len(portals)
        failed = []
        sent = 0
        for number, portal in enumerate(portals, start=1):
            try:
                with tenant_context(portal):
                    count = send_moderation_digest()
            except Exception as error:  # one portal's failure must not stop the others
                failed.append(portal.schema_name)
                self.stderr.write(
                    f"portail {number}/{total} : {portal.schema_name} … échec : {error}"
                )
                continue
            sent += count
            self.stdout.write(
                f"portail {number}/{total} : {portal.schema_name} … {count} e-mail(s)"
            )
        self.stdout.write(self.style.SUCCESS(f"{total} portail(s) : {sent} résumé(s) envoyé(s)."))
        if failed:
            raise CommandError(f"Échec sur {len(failed)} portail(s) : {', '.join(failed)}.")
