"""python manage.py demo_code sam@quartiers.example

Prints the current code of a demo account's second factor (``make run``'s network, whose
accounts share one published key: README). Refused for any other key: a real person's
code is theirs alone.
"""

from django.core.management.base import BaseCommand, CommandError

from tenants.accounts import NetworkAccount, normal_email
from tenants.demo_network import DEMO_TOTP_KEY
from tenants.second_factor import current_code, device_of


class Command(BaseCommand):
    help = "Affiche le code actuel de double authentification d'un compte de démonstration."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        account = NetworkAccount.objects.filter(email=normal_email(email)).first()
        device = device_of(account)
        if device is None:
            raise CommandError(f"« {email} » n'a pas de double authentification.")
        if device.key != DEMO_TOTP_KEY:
            raise CommandError(
                f"« {email} » n'utilise pas la clé de démonstration : son code est personnel."
            )
        self.stdout.write(current_code(device.key))
