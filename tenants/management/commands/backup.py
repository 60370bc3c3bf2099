"""python manage.py backup /sauvegardes"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tenants.backups import BackupError, backup_network


class Command(BaseCommand):
    help = (
        "Sauvegarde tout le réseau (base : tous les schémas ; médias de tous les portails, "
        "lus dans MEDIA_ROOT) dans une archive horodatée quartiers-AAAAMMJJ-HHMMSS.tar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", nargs="?", default="var/backups", help="Dossier où écrire l'archive"
        )

    def handle(self, *args, **options):
        try:
            path = backup_network(options["folder"], progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde terminée : {path}"))
