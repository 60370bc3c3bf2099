"""python manage.py seed_demo: the federation and nine neighbourhoods, idempotently."""

from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.addresses import portal_base_url
from tenants.command_portals import active_portals
from tenants.demo_network import (
    DEMO_PASSWORD,
    DEMO_PORTALS,
    FEDERATION_STAFF_EMAIL,
    TWO_PORTALS_EMAIL,
    TWO_PORTALS_ROLES,
    seed_network,
)
from tenants.public_links import align_portal_links
from tenants.rollup import fold_network


class Command(BaseCommand):
    help = "Crée (ou complète) le réseau de démonstration : la fédération et neuf quartiers."

    def handle(self, *args, **options):
        total = len(DEMO_PORTALS)
        accounts = []
        for number, seeded in enumerate(seed_network(), start=1):
            portal = seeded.neighbourhood
            what = f"créé en {seeded.seconds:.2f} s" if seeded.created else "déjà là, complété"
            self.stdout.write(f"portail {number}/{total} : {portal.schema_name} ({what})")
            admin = f"{portal_base_url(portal)}/admin/"
            accounts.append((seeded.spec.animator_email, admin))
            if portal.kind == portal.Kind.FEDERATION:
                accounts.append((FEDERATION_STAFF_EMAIL, f"{admin} (super-utilisateur)"))
            if portal.schema_name in TWO_PORTALS_ROLES:
                accounts.append((TWO_PORTALS_EMAIL, f"{admin} (même mot de passe partout)"))
        # Portals seeded by an earlier run on another port link to that port until aligned.
        changed = align_portal_links()
        if changed:
            self.stdout.write(
                f"Liens refaits pour le port {settings.PUBLIC_PORT} : "
                + ", ".join(portal.schema_name for portal in changed)
            )
        # The network's list reads the folded activity: fold the demo's day at once.
        self.stdout.write("Activité des portails rangée pour la liste du réseau :")
        fold_network(active_portals(), report=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Réseau de démonstration prêt."))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for username, where in accounts:
            self.stdout.write(f"  {username:<45} {where}")
