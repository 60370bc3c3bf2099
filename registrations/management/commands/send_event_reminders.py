"""python manage.py send_event_reminders: remind tomorrow's registered residents, every portal.

Safe from cron (daily, or hourly): each registration is reminded once, a second run sends
nothing. A failing portal is reported and the others go on; the exit code says so.
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from registrations.lifecycle import send_reminders
from tenants.command_portals import active_portals


class Command(BaseCommand):
    help = "Rappel la veille aux habitants inscrits aux événements, sur chaque portail actif."

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        portals = active_portals(options["portal"])
        failed, total_sent = [], 0
        for number, portal in enumerate(portals, start=1):
            try:
                with tenant_context(portal):
                    sent = send_reminders()
            except Exception as error:  # one portal's failure must not stop the others
                failed.append(portal.schema_name)
                self.stderr.write(
                    f"portail {number}/{len(portals)} : {portal.schema_name} … échec : {error}"
                )
                continue
            total_sent += sent
            self.stdout.write(
                f"portail {number}/{len(portals)} : {portal.schema_name} … {sent} rappel(s)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"{len(portals)} portail(s) : {total_sent} rappel(s) envoyé(s).")
        )
        if failed:
            raise CommandError(f"Échec sur {len(failed)} portail(s) : {', '.join(failed)}.")
