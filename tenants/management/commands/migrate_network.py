"""python manage.py migrate_network: public, the template schema, then every portal."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.default_portal import bring_portals_up_to_date
from tenants.models import Neighbourhood
from tenants.template_schema import ensure_template_schema

# Past this many portals, migrate them in parallel processes.
PARALLEL_FROM = 4


class Command(BaseCommand):
    help = "Migre le schéma public, le schéma modèle et tous les portails, avec progression."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        self.stdout.write("1/4 Schéma public (registre du réseau)…")
        call_command(
            "migrate_schemas", shared=True, interactive=False, verbosity=max(verbosity - 1, 0)
        )
        self.stdout.write(f"2/4 Schéma modèle {settings.TENANT_BASE_SCHEMA}…")
        created = ensure_template_schema(verbosity=max(verbosity - 1, 0))
        self.stdout.write("    créé et meublé." if created else "    à jour.")
        count = Neighbourhood.objects.count()
        executor = "multiprocessing" if count >= PARALLEL_FROM else "standard"
        self.stdout.write(f"3/4 {count} portail(s), exécution « {executor} »…")
        if count:
            call_command(
                "migrate_schemas",
                tenant=True,
                executor=executor,
                interactive=False,
                verbosity=verbosity,
            )
        self.stdout.write("4/4 Nouvelles sections et permissions des fonctionnalités…")
        bring_portals_up_to_date(lambda line: self.stdout.write(f"    {line}"))
        self.stdout.write(self.style.SUCCESS("Réseau migré."))
