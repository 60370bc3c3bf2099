"""python manage.py portal_status belleville suspended --reason "..."

The change is logged (``shell:<user>``) and seen by every server process at its next
request (``tenants.host_cache``). Reopening an archived portal takes ``--unarchive``.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.lifecycle import change_status
from tenants.models import Neighbourhood


class Command(BaseCommand):
    help = "Suspend, archive ou réactive un portail (active, suspended, archived)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("status", choices=Neighbourhood.Status.values)
        parser.add_argument("--reason", default="")
        parser.add_argument(
            "--unarchive",
            action="store_true",
            help="Confirme la réouverture d'un portail archivé (fermé pour de bon sinon).",
        )

    def handle(self, *args, slug, status, reason, unarchive, **options):
        portal = Neighbourhood.objects.filter(schema_name=slug).first()
        if portal is None:
            raise CommandError(f"Aucun portail n'a l'identifiant « {slug} ».")
        try:
            change_status(portal, status, reason, unarchive=unarchive)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{portal.name} : {portal.get_status_display()} "
                "(chaque serveur le voit dès sa prochaine requête)."
            )
        )
