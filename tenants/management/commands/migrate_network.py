"""python manage.py migrate_network: public, the template schema, then every portal."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tenants.account_links import link_network_accounts
from tenants.default_portal import bring_portals_up_to_date
from tenants.network_migrations import PROCESSES, migrate_schemas, portal_schemas
from tenants.template_schema import ensure_template_schema

# Past this many portals, migrate them in parallel processes.
PARALLEL_FROM = 4


class Command(BaseCommand):
    help = "Migre le schéma public, le schéma modèle et tous les portails, avec progression."

    def step(self, text: str) -> None:
        """One step's line, with the time since the command started (where it is slow)."""
        self.stdout.write(f"{text} [{time.monotonic() - self.started:.0f} s]")

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        self.started = time.monotonic()
        self.step("1/5 Schéma public (registre du réseau)…")
        call_command(
            "migrate_schemas", shared=True, interactive=False, verbosity=max(verbosity - 1, 0)
        )
        self.step(f"2/5 Schéma modèle {settings.TENANT_BASE_SCHEMA}…")
        created = ensure_template_schema(verbosity=max(verbosity - 1, 0))
        self.stdout.write("    créé et meublé." if created else "    à jour.")
        schemas = portal_schemas()
        processes = PROCESSES if len(schemas) >= PARALLEL_FROM else 1
        self.step(f"3/5 {len(schemas)} portail(s), {processes} processus…")
        outcomes = migrate_schemas(
            schemas, processes=processes, report=lambda line: self.stdout.write(f"    {line}")
        )
        if verbosity >= 2:
            for outcome in outcomes:
                if outcome.applied:
                    self.stdout.write(f"    {outcome.schema} : {', '.join(outcome.applied)}")
        self.step("4/5 Nouvelles sections et permissions des fonctionnalités…")
        failed = [outcome for outcome in outcomes if outcome.error]
        bring_portals_up_to_date(
            lambda line: self.stdout.write(f"    {line}"),
            skip={o.schema for o in failed},
            processes=processes,
        )
        self.step("5/5 Comptes du réseau (un mot de passe pour tous les portails)…")
        linked = link_network_accounts()
        self.stdout.write(
            f"    {linked.accounts_created} compte(s) créé(s), "
            f"{linked.memberships_created} compte(s) de portail relié(s)."
        )
        if failed:
            for outcome in failed:
                self.stderr.write(f"Échec : {outcome.schema} : {outcome.error}")
            raise CommandError(
                f"{len(failed)} portail(s) sur {len(schemas)} non migrés (les autres le sont) : "
                f"{', '.join(o.schema for o in failed)}. Corrigez puis relancez "
                "migrate_network : il reprend là où ils se sont arrêtés."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Réseau migré en {time.monotonic() - self.started:.0f} s.")
        )
