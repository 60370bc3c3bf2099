"""python manage.py rollup_activity: fold each portal's activity into the public schema.

Safe from cron (hourly or nightly): a day folded again is replaced, never counted twice,
and a run stopped halfway is resumed by the next. A failing portal is reported and the
others go on; the exit code says so.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tenants.command_portals import active_portals
from tenants.rollup import fold_network


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Date « {text} » illisible : écrivez-la AAAA-MM-JJ.") from error


class Command(BaseCommand):
    help = (
        "Range l'activité de chaque portail actif, jour par jour, dans la table des "
        "indicateurs du réseau (pages, contenus de chaque fonction, éditeurs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")
        parser.add_argument(
            "--until", help="Jusqu'à ce jour inclus (AAAA-MM-JJ) ; par défaut aujourd'hui."
        )

    def handle(self, *args, **options):
        until = _day(options["until"]) if options["until"] else None
        portals = active_portals(options["portal"])
        report = fold_network(portals, until, report=self.stdout.write)
        days = sum(report.folded.values())
        self.stdout.write(
            self.style.SUCCESS(f"{len(report.folded)} portail(s) : {days} jour(s) rangé(s).")
        )
        if report.failed:
            raise CommandError(
                f"Échec sur {len(report.failed)} portail(s) : {', '.join(report.failed)}. "
                "Relancez la commande : elle reprend où elle s'est arrêtée."
            )
