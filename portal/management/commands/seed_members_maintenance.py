"""python manage.py seed_members_maintenance: forget the requests to join an action group
never confirmed, every portal (or one).

Safe from cron (daily): a second run finds nothing left to do. A failing portal is
reported and the others go on; the exit code says so.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.workshops.seeds import purge_unconfirmed_members
from tenants.command_portals import run_in_each_portal


class Command(BaseCommand):
    help = (
        "Groupes d'action (graines) de chaque portail actif : efface les inscriptions dont "
        "l'adresse n'a pas été confirmée sous SEED_MEMBER_UNCONFIRMED_DAYS jours "
        f"(aujourd'hui {settings.SEED_MEMBER_UNCONFIRMED_DAYS})."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        run_in_each_portal(
            self,
            options["portal"],
            purge_unconfirmed_members,
            "inscription(s) non confirmée(s) effacée(s)",
        )
