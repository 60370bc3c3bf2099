"""python manage.py reset_second_factor camille@example.org

For a lost phone with no recovery code left: removes the person's TOTP app, recovery codes
and wrong codes (for every portal: they are their network account's), written to the
network's journal (``shell:<user>``). Their next sign-in asks them to set up a new app if
their role requires one.
"""

from django.core.management.base import BaseCommand, CommandError

from tenants.accounts import NetworkAccount, normal_email
from tenants.second_factor import reset


class Command(BaseCommand):
    help = "Retire la double authentification d'un compte Quartiers (téléphone perdu)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        account = NetworkAccount.objects.filter(email=normal_email(email)).first()
        if account is None:
            raise CommandError(f"Aucun compte Quartiers n'a l'adresse « {email} ».")
        had = reset(account, who=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"{account.email} : double authentification retirée."
                if had
                else f"{account.email} n'avait pas de double authentification (codes effacés)."
            )
        )
