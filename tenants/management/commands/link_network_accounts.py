"""python manage.py link_network_accounts: one network account per person with a role."""

from django.core.management.base import BaseCommand

from tenants.account_links import link_network_accounts


class Command(BaseCommand):
    help = (
        "Relie les comptes de chaque portail aux comptes du réseau, sans changer aucun mot "
        "de passe (sans effet s'ils le sont déjà)."
    )

    def handle(self, *args, **options):
        report = link_network_accounts(lambda line: self.stdout.write(line))
        for email in report.emails_with_several_passwords:
            self.stdout.write(
                f"  {email} : mots de passe différents selon les portails, chacun garde le sien "
                "jusqu'à la première connexion avec celui du réseau."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Comptes du réseau : {report.accounts_created} créé(s), "
                f"{report.memberships_created} compte(s) de portail relié(s), "
                f"{report.former_passwords_kept} ancien(s) mot(s) de passe gardé(s)."
            )
        )
