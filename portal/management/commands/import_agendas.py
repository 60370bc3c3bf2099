"""python manage.py import_agendas: bring the outside agendas each portal follows
(``AgendaSubscription``) into its agenda, every active portal (or one).

Safe from cron (hourly is plenty): a second run with unchanged feeds changes nothing.
A feed that fails is recorded on its subscription (shown in the admin) and printed; the
other feeds and portals go on. A portal whose run fails makes the command fail.
"""

from urllib.parse import urlsplit

from django.core.management.base import BaseCommand

from portal.agenda.ical_import import ImportResult, import_active_subscriptions
from portal.agenda.subscriptions import AgendaSubscription
from tenants.command_portals import run_in_each_portal


class Command(BaseCommand):
    help = (
        "Agendas suivis de chaque portail actif : importe leurs événements (ajoutés, "
        "modifiés, retirés) dans l'agenda du portail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")

    def handle(self, *args, **options):
        def report(subscription: AgendaSubscription, result: ImportResult) -> None:
            # The host only: a private calendar's path or query carries its key, and cron
            # mails this output.
            host = urlsplit(subscription.url).hostname or "?"
            line = f"  {subscription.name} ({host}) : {result.summary()}"
            (self.stderr if result.error else self.stdout).write(line)

        run_in_each_portal(
            self,
            options["portal"],
            lambda: import_active_subscriptions(report),
            "événement(s) ajouté(s), modifié(s) ou retiré(s)",
        )
