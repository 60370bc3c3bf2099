"""python manage.py send_newsletters: send every due issue of every portal, in batches.

Safe from cron (every few minutes): it sends the issues scheduled for now or earlier and
resumes the unfinished ones; what was delivered is never sent again. A failed address is
recorded and the run goes on; a server that stops answering ends that issue's run (the
next run resumes it) and the exit code says so.
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from newsletter import sending
from tenants.command_portals import active_portals


class Command(BaseCommand):
    help = "Envoie les numéros d'infolettre dont l'heure est venue, sur chaque portail actif."

    def add_arguments(self, parser):
        parser.add_argument("--portal", help="Seulement ce portail (identifiant).")
        parser.add_argument(
            "--batch-size", type=int, default=None, help="Messages par connexion SMTP."
        )
        parser.add_argument(
            "--max-batches",
            type=int,
            default=None,
            help="S'arrêter après ce nombre de lots (le passage suivant reprend la suite).",
        )

    def handle(self, *args, **options):
        portals = active_portals(options["portal"])
        budget = options["max_batches"]
        totals = {"issues": 0, "sent": 0, "failed": 0, "remaining": 0}
        troubles: list[str] = []
        for number, portal in enumerate(portals, start=1):
            prefix = f"portail {number}/{len(portals)} : {portal.schema_name}"
            try:
                with tenant_context(portal):
                    due = list(sending.due().select_related("page"))
                    if not due:
                        self.stdout.write(f"{prefix} … rien à envoyer")
                    for dispatch in due:
                        if budget is not None and budget <= 0:
                            break
                        report = sending.send_now(
                            dispatch,
                            batch_size=options["batch_size"],
                            max_batches=budget,
                            progress=lambda r, t=dispatch.page.title: self.stdout.write(
                                f"  « {t} » lot {r.batches} : {r.sent} envoyé(s)"
                            ),
                        )
                        if budget is not None:
                            budget -= report.batches
                        totals["issues"] += 1
                        totals["sent"] += report.sent
                        totals["failed"] += report.failed
                        totals["remaining"] += report.remaining
                        self.stdout.write(f"{prefix} … « {dispatch.page.title} » : {report}")
                        for email, reason in report.failures:
                            self.stdout.write(f"  échec pour {email} : {reason}")
                        if report.interrupted:
                            troubles.append(f"{portal.schema_name} ({report.interrupted})")
            except Exception as error:  # one portal's failure must not stop the others
                troubles.append(f"{portal.schema_name} ({error})")
                self.stderr.write(f"{prefix} … échec : {error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(portals)} portail(s), {totals['issues']} numéro(s) : {totals['sent']} "
                f"envoyé(s), {totals['failed']} échec(s), {totals['remaining']} restant(s)."
            )
        )
        if troubles:
            raise CommandError(f"Envoi interrompu : {', '.join(troubles)}.")
