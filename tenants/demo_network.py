"""The demo network: the federation and nine Île-de-France neighbourhoods.

Built through the same provisioning service as real portals, idempotently: a portal that
exists is kept as it is, and each app's demo content (registered through the DEMO_CONTENT
extension point) is only added where it is missing.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, is_password_usable, make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django_tenants.utils import tenant_context

from tenants.bulk_writes import bulk_writes
from tenants.extension_points import add_demo_content, add_network_demo_content
from tenants.group_names import ANIMATORS
from tenants.models import Neighbourhood
from tenants.network_login import account_for, network_password_hash, set_network_password
from tenants.provisioning import PortalSpec, provision_neighbourhood
from tenants.second_factor import device_of, give_device, set_recovery_codes

DEMO_PASSWORD = "quartiers-demo"  # noqa: S105 -- printed by make run, demo data only
FEDERATION_STAFF_EMAIL = "federation@quartiers.example"
# Someone who works for two portals: one network account, a role in each (docs/accounts.md).
TWO_PORTALS_EMAIL = "sam@quartiers.example"
# The demo's second factor: one published key for every demo account whose role requires
# one (README; `manage.py demo_code <email>` prints the current code), and recovery codes
# demo-secours-1 ... demo-secours-10. A demo only: a real key is each person's own.
DEMO_TOTP_KEY_BASE32 = "QUARTIERS2FADEMOQUARTIERS2FADEMO"
DEMO_TOTP_KEY = base64.b32decode(DEMO_TOTP_KEY_BASE32).hex()
DEMO_RECOVERY_CODES = [f"demo-secours-{n}" for n in range(1, 11)]
TWO_PORTALS_ROLES = {"belleville": ANIMATORS, "lachapelle": ANIMATORS}

_PORTALS = [
    PortalSpec(
        name="Fédération Quartiers",
        slug="federation",
        city="Paris",
        kind=Neighbourhood.Kind.FEDERATION,
        carrying_structure="Fédération des médias citoyens de quartier",
        scic_name="SCIC Fédération Quartiers",
        contact_email="contact@quartiers.example",
        languages=["en"],
    ),
    PortalSpec(
        name="Belleville en direct",
        slug="belleville",
        city="Paris 20e",
        carrying_structure="Centre social Le Picoulet",
        scic_name="SCIC Belleville Médias",
        contact_email="redaction@belleville.quartiers.example",
        languages=["en", "ar"],
        territory="Quartier de Belleville, Paris 20e",
        latitude=48.8718,
        longitude=2.385,
    ),
    PortalSpec(
        name="La Chapelle Info",
        slug="lachapelle",
        city="Paris 18e",
        carrying_structure="Régie de quartier Paris 18",
        scic_name="SCIC Chapelle Ensemble",
        contact_email="redaction@lachapelle.quartiers.example",
        territory="La Chapelle, Paris 18e",
        latitude=48.8925,
        longitude=2.36,
    ),
    PortalSpec(
        name="Franc-Moisin TV",
        slug="francmoisin",
        city="Saint-Denis",
        carrying_structure="MJC Franc-Moisin",
        scic_name="SCIC Plaine Commune Médias",
        contact_email="redaction@francmoisin.quartiers.example",
        languages=["pt"],
        territory="Cité du Franc-Moisin, Saint-Denis",
        latitude=48.9205,
        longitude=2.3655,
    ),
    PortalSpec(
        name="Picasso Radio",
        slug="picasso",
        city="Nanterre",
        carrying_structure="Centre social du Parc",
        scic_name="SCIC Nanterre Parole",
        contact_email="redaction@picasso.quartiers.example",
        territory="Quartier Pablo-Picasso, Nanterre",
        latitude=48.8905,
        longitude=2.208,
    ),
    PortalSpec(
        name="Grande Borne Média",
        slug="grandeborne",
        city="Grigny",
        carrying_structure="Régie de quartier de Grigny",
        scic_name="SCIC Grigny Voix",
        contact_email="redaction@grandeborne.quartiers.example",
        territory="La Grande Borne, Grigny",
        latitude=48.6475,
        longitude=2.379,
    ),
    PortalSpec(
        name="Val Fourré Actu",
        slug="valfourre",
        city="Mantes-la-Jolie",
        carrying_structure="MJC du Val Fourré",
        scic_name="SCIC Seine Aval Médias",
        contact_email="redaction@valfourre.quartiers.example",
        languages=["tr"],
        territory="Le Val Fourré, Mantes-la-Jolie",
        latitude=48.9955,
        longitude=1.688,
    ),
    PortalSpec(
        name="Les Bosquets Parlent",
        slug="bosquets",
        city="Montfermeil",
        carrying_structure="Centre social Les Bosquets",
        scic_name="SCIC Clichy-Montfermeil Médias",
        contact_email="redaction@bosquets.quartiers.example",
        territory="Les Bosquets, Montfermeil",
        latitude=48.904,
        longitude=2.564,
    ),
    PortalSpec(
        name="Courtillières Web",
        slug="courtillieres",
        city="Pantin",
        carrying_structure="Régie de quartier de Pantin",
        scic_name="SCIC Est Ensemble Médias",
        contact_email="redaction@courtillieres.quartiers.example",
        territory="Les Courtillières, Pantin",
        latitude=48.9075,
        longitude=2.393,
    ),
    PortalSpec(
        name="Val d'Argent Direct",
        slug="valdargent",
        city="Argenteuil",
        carrying_structure="MJC du Val d'Argent",
        scic_name="SCIC Argenteuil Médias",
        contact_email="redaction@valdargent.quartiers.example",
        languages=["es"],
        territory="Le Val d'Argent, Argenteuil",
        latitude=48.956,
        longitude=2.258,
    ),
]

# Demo animators get a known password instead of an invitation e-mail.
DEMO_PORTALS = [
    replace(spec, animator_email=f"animation@{spec.slug}.quartiers.example", invite=False)
    for spec in _PORTALS
]


def seed_portal_content(portal: Neighbourhood) -> None:
    """Add every feature's demo content to ``portal`` (what is missing), in one transaction,
    with the indexes and the cache brought up to date once at its end."""
    # The portal itself on the connection (not only its schema's name, as schema_context
    # puts): the many "which portal is this?" of the demo's steps (addresses, e-mails,
    # the federation index) then read no registry row each, hundreds a portal.
    with tenant_context(portal), transaction.atomic(), bulk_writes():
        add_demo_content(portal)


@dataclass
class SeededPortal:
    spec: PortalSpec
    neighbourhood: Neighbourhood
    created: bool
    seconds: float


def seed_network() -> Iterator[SeededPortal]:
    """Create what is missing of the demo network, one portal at a time."""
    for spec in DEMO_PORTALS:
        portal = Neighbourhood.objects.filter(schema_name=spec.slug).first()
        created = portal is None
        seconds = 0.0
        if created:
            result = provision_neighbourhood(spec)
            portal, seconds = result.neighbourhood, result.seconds
        _ensure_location(portal, spec)
        # Its domains read once: each absolute address the steps build (hundreds) would
        # read the primary one again (tenants.addresses.primary_domain).
        portal = Neighbourhood.objects.prefetch_related("domains").get(pk=portal.pk)
        with tenant_context(portal), transaction.atomic():
            _ensure_demo_accounts(portal, spec)
            seed_portal_content(portal)
        yield SeededPortal(spec, portal, created, seconds)
    # What spans portals (the toolkit's collections and adoptions), once all are there.
    with transaction.atomic():
        add_network_demo_content()


def _ensure_location(portal: Neighbourhood, spec: PortalSpec) -> None:
    """A demo portal opened before pilots had a territory and a map point gets them."""
    if portal.territory or spec.latitude is None:
        return
    portal.territory = spec.territory
    portal.latitude = Decimal(str(spec.latitude))
    portal.longitude = Decimal(str(spec.longitude))
    portal.save(update_fields=["territory", "latitude", "longitude"])


def _ensure_demo_accounts(portal: Neighbourhood, spec: PortalSpec) -> None:
    users = get_user_model().objects
    animator = users.filter(username=spec.animator_email).first()
    if animator is None:
        animator = users.create_user(username=spec.animator_email, email=spec.animator_email)
        animator.groups.add(Group.objects.get(name=ANIMATORS))
    _give_demo_password(animator)
    if portal.schema_name in TWO_PORTALS_ROLES:
        _ensure_two_portals_person(portal)
    if (
        portal.kind == Neighbourhood.Kind.FEDERATION
        and not users.filter(username=FEDERATION_STAFF_EMAIL).exists()
    ):
        users.create_superuser(
            username=FEDERATION_STAFF_EMAIL, email=FEDERATION_STAFF_EMAIL, password=DEMO_PASSWORD
        )
    if portal.kind == Neighbourhood.Kind.FEDERATION:
        _give_demo_second_factor(users.get(username=FEDERATION_STAFF_EMAIL))


def _ensure_two_portals_person(portal: Neighbourhood) -> None:
    """Sam Benali, animator at Belleville and at La Chapelle: the same password at both
    (the second portal's account takes the network's, see ``tenants.network_login``)."""
    users = get_user_model().objects
    person = users.filter(username=TWO_PORTALS_EMAIL).first()
    if person is None:
        person = users.create_user(
            username=TWO_PORTALS_EMAIL,
            email=TWO_PORTALS_EMAIL,
            first_name="Sam",
            last_name="Benali",
        )
    person.groups.add(Group.objects.get(name=TWO_PORTALS_ROLES[portal.schema_name]))
    _give_demo_password(person)


def _give_demo_password(user) -> None:
    """The demo password, as the person's *network* password: an account made without
    one got a network account without a password when its role was given, and a password
    set afterwards stays that portal's own (docs/accounts.md), which the animators' space
    (signed in with the network's password) would not accept."""
    if not user.has_usable_password():
        user.password = _demo_password_hash(get_hasher().algorithm)
        user.save(update_fields=["password"])
    if not is_password_usable(network_password_hash(user)):
        set_network_password(user, user.password)
    _give_demo_second_factor(user)


@functools.cache
def _demo_password_hash(algorithm: str) -> str:
    """The demo password hashed once a process for every demo account: Django's default
    hasher takes a second or so of CPU a hash on these machines, a dozen a seeding, for a
    password printed by ``make run`` (a shared salt gives nothing away)."""
    return make_password(DEMO_PASSWORD, hasher=algorithm)


def _give_demo_second_factor(user) -> None:
    """The demo key as ``user``'s second factor (animators and federation staff must have
    one), unless their network account already has a device."""
    account = account_for(user.email)
    if account is not None and device_of(account) is None:
        give_device(account, DEMO_TOTP_KEY)
        set_recovery_codes(account, DEMO_RECOVERY_CODES)
