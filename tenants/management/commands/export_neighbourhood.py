"""python manage.py export_neighbourhood belleville belleville.tar.gz"""

import time

from django.core.management.base import BaseCommand, CommandError

from tenants.models import Neighbourhood
from tenants.portability import PortabilityError, export_portal


class Command(BaseCommand):
    help = "Exporte un portail (son schéma et ses médias) dans une archive .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Identifiant du portail, ex. « belleville »")
        parser.add_argument("file", help="Archive à écrire, ex. « belleville.tar.gz »")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            neighbourhood = Neighbourhood.objects.get(schema_name=options["slug"])
        except Neighbourhood.DoesNotExist:
            raise CommandError(f"Aucun portail « {options['slug']} ».") from None
        try:
            path = export_portal(neighbourhood, options["file"])
        except PortabilityError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Portail « {neighbourhood.name} » exporté en "
                f"{time.perf_counter() - started:.2f} s : {path}"
            )
        )
