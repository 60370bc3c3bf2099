"""python manage.py sync_federation_index: rebuild the network's index from every portal."""

from django.core.management.base import BaseCommand

from tenants.federation import sync_federation_index


class Command(BaseCommand):
    help = "Reconstruit l'index de la fédération depuis chaque portail (sans effet s'il est juste)."

    def handle(self, *args, **options):
        def progress(number, total, portal):
            self.stdout.write(f"portail {number}/{total} : {portal.schema_name}")

        report = sync_federation_index(progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Index de la fédération : {report.added} ajoutée(s), "
                f"{report.updated} mise(s) à jour, {report.removed} retirée(s)."
            )
        )
