"""python manage.py demo_code sam@quartiers.example

Prints the current code of a person's second factor, for the demo network (``make run``),
whose accounts share one published key (README). Refused outside DEBUG: a real person's
code is theirs alone.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tenants.accounts import NetworkAccount, normal_email
from tenants.second_factor import current_code, device_of


class Command(BaseCommand):
    help = "Affiche le code actuel de double authentification d'un compte de démonstration."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError("Réservé à la démonstration (DEBUG) : ce code est personnel.")
        account = NetworkAccount.objects.filter(email=normal_email(email)).first()
        device = device_of(account)
        if device is None:
            raise CommandError(f"« {email} » n'a pas de double authentification.")
        self.stdout.write(current_code(device.key))
