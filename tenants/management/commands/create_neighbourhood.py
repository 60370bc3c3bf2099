"""python manage.py create_neighbourhood --name "Belleville" --slug belleville ..."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.addresses import portal_base_url
from tenants.models import Neighbourhood
from tenants.provisioning import PortalSpec, provision_neighbourhood


class Command(BaseCommand):
    help = "Ouvre un nouveau portail de quartier (clone du schéma modèle), en une étape."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Nom du portail, ex. « Belleville »")
        parser.add_argument("--slug", required=True, help="Identifiant, ex. « belleville »")
        parser.add_argument("--city", required=True, help="Ville, ex. « Paris 20e »")
        parser.add_argument("--domain", default="", help="Nom d'hôte (défaut : <slug>.<domaine>)")
        parser.add_argument("--animator-email", default="", help="E-mail du premier animateur")
        parser.add_argument(
            "--kind", default=Neighbourhood.Kind.NEIGHBOURHOOD, choices=Neighbourhood.Kind.values
        )
        parser.add_argument("--carrying-structure", default="")
        parser.add_argument("--scic-name", default="")
        parser.add_argument("--contact-email", default="")
        parser.add_argument(
            "--languages", default="", help="Langues en plus du français, ex. « en,ar »"
        )

    def handle(self, *args, **options):
        spec = PortalSpec(
            name=options["name"],
            slug=options["slug"],
            city=options["city"],
            domain=options["domain"],
            animator_email=options["animator_email"],
            kind=options["kind"],
            carrying_structure=options["carrying_structure"],
            scic_name=options["scic_name"],
            contact_email=options["contact_email"],
            languages=[code for code in options["languages"].split(",") if code.strip()],
        )
        try:
            result = provision_neighbourhood(spec)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        portal = result.neighbourhood
        self.stdout.write(
            self.style.SUCCESS(
                f"Portail « {portal.name} » ouvert en {result.seconds:.2f} s : "
                f"{portal_base_url(portal)}/"
            )
        )
        if result.invitation_sent:
            self.stdout.write(
                f"Invitation envoyée à {result.animator.email} "
                f"(administration : {portal_base_url(portal)}/admin/)."
            )
        elif result.animator:
            self.stderr.write(
                f"L'invitation de {result.animator.email} n'a pas pu être envoyée : "
                "vérifiez la configuration e-mail (EMAIL_HOST), puis utilisez « Mot de passe "
                "oublié » sur la page de connexion du portail."
            )
