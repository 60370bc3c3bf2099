"""python manage.py count_proxy_views LOG...: count the page views nginx served from its
cache (its log deploy/nginx/quartiers.conf writes), then delete the log.

Run it on the log nginx has just stopped writing (logrotate's ``postrotate``, hourly, and
before ``rollup_activity``: docs/audience.md), never on the one it writes.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audience.proxy_log import count_log_file


class Command(BaseCommand):
    help = (
        "Compte les pages vues servies par le cache de nginx (son journal des vues), "
        "portail par portail, puis efface le journal."
    )

    def add_arguments(self, parser):
        parser.add_argument("logs", nargs="+", help="Journaux des vues de nginx à compter.")
        parser.add_argument(
            "--keep", action="store_true", help="Garder le journal (ne pas l'effacer)."
        )

    def handle(self, *args, **options):
        for name in options["logs"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Journal « {name} » introuvable.")
            outcome = count_log_file(path, keep=options["keep"])
            portals = ", ".join(f"{schema} {views}" for schema, views in outcome.views.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"{name} : {sum(outcome.views.values())} vue(s) comptée(s)"
                    f"{f' ({portals})' if portals else ''}, {outcome.left_out} ligne(s) écartée(s)."
                )
            )
