"""python manage.py import_neighbourhood belleville.tar.gz --slug belleville2 --name "Bis"
[--domain ...]"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.addresses import portal_base_url
from tenants.portability import PortabilityError, import_portal


class Command(BaseCommand):
    help = "Restaure une archive d'export comme NOUVEAU portail."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Archive produite par export_neighbourhood")
        parser.add_argument("--slug", required=True, help="Identifiant du nouveau portail")
        parser.add_argument("--domain", default="", help="Nom d'hôte (défaut : <slug>.<domaine>)")
        parser.add_argument(
            "--name",
            default="",
            help="Nom du nouveau portail (défaut : celui du portail exporté, s'il est libre)",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            portal = import_portal(
                options["file"], options["slug"], options["domain"], name=options["name"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except PortabilityError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Portail « {portal.name} » restauré en {time.perf_counter() - started:.2f} s : "
                f"{portal_base_url(portal)}/"
            )
        )
