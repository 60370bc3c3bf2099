"""python manage.py restore /sauvegardes/quartiers-20260101-030000.tar [--force]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tenants.backups import BackupError
from tenants.restores import restore_network


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde du réseau dans une base vide et un dossier de médias vide, "
        "un schéma à la fois ; relancée après un arrêt, reprend où elle s'était arrêtée "
        "(--force : remplace la base et les médias, mis de côté sous un autre nom)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Archive écrite par « manage.py backup »")
        parser.add_argument(
            "--database", help="Base où restaurer (par défaut celle du projet ; créée si absente)"
        )
        parser.add_argument(
            "--media-root",
            help=(
                "Dossier des médias (par défaut MEDIA_ROOT, celui que l'application sert ; "
                "un autre dossier ne sert qu'à un essai, avec --database)"
            ),
        )
        parser.add_argument(
            "--force", action="store_true", help="Remplacer le contenu d'une base non vide"
        )

    def handle(self, *args, **options):
        try:
            restored = restore_network(
                options["archive"],
                database=options["database"],
                media_root=options["media_root"],
                force=options["force"],
                progress=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restauration terminée : {len(restored.manifest.get('portals') or [])} "
                f"portails, {restored.schemas} schémas ({restored.replayed} dans cette "
                f"exécution, au plus {restored.most_locks} verrous par transaction). "
                "Redémarrez les serveurs d'application (caches des hôtes)."
            )
        )
