"""Which portals an operator's command goes through."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenants.models import Neighbourhood


def active_portals(only: str | None = None) -> list[Neighbourhood]:
    """Every active portal in slug order, or only the one named ``only``.

    Naming a portal that does not exist or is not active is an operator's mistake, said
    in one line rather than a silent run over nothing.
    """
    portals = Neighbourhood.objects.active().order_by("schema_name")
    if only:
        portals = portals.filter(schema_name=only)
        if not portals.exists():
            raise CommandError(f"Aucun portail actif « {only} ».")
    return list(portals)


def run_in_each_portal(
    command: BaseCommand, only: str | None, work: Callable[[], int], counted: str
) -> int:
    """Run ``work`` in each active portal's schema (or only ``only``'s), and return the total
    it counted.

    Prints one line per portal with its count (``3 {counted}``) and the total. A portal
    whose run fails is reported and the others go on; the command then fails naming
    them, so cron reports it.
    """
    portals = active_portals(only)
    total = len(portals)
    failed: list[str] = []
    counted_in_all = 0
    for number, portal in enumerate(portals, start=1):
        try:
            with tenant_context(portal):
                count = work()
        except Exception as error:  # one portal's failure must not stop the others
            failed.append(portal.schema_name)
            command.stderr.write(
                f"portail {number}/{total} : {portal.schema_name} … échec : {error}"
            )
            continue
        counted_in_all += count
        command.stdout.write(f"portail {number}/{total} : {portal.schema_name} … {count} {counted}")
    command.stdout.write(command.style.SUCCESS(f"{total} portail(s) : {counted_in_all} {counted}."))
    if failed:
        raise CommandError(f"Échec sur {len(failed)} portail(s) : {', '.join(failed)}.")
    return counted_in_all
