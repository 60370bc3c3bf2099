"""Creating a portal: one service, used by the command, the seed and the federation admin.

A new portal is a clone of the template schema (already migrated and furnished with the
default page tree and groups), then made its own: registry row, domain, Wagtail site,
languages, the features' own steps (``AFTER_PROVISIONING``: identity settings, the
federation's hub), first animator and their invitation, and the entry in the network's
log (``tenants.journal``). Every step runs in one transaction: whatever step fails,
nothing is left behind (PostgreSQL rolls the new schema back too).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Locale

from tenants import journal
from tenants.addresses import default_domain
from tenants.bulk_writes import bulk_writes
from tenants.default_portal import fit_to_kind as fit_sections_to_kind
from tenants.default_portal import template_sections
from tenants.domains import point_site_at
from tenants.extension_points import after_provisioning, apply_opening_choices
from tenants.group_names import ANIMATORS, FEDERATION_STAFF
from tenants.invitations import send_invitation
from tenants.media import delete_portal_media
from tenants.models import Domain, Neighbourhood, NetworkAction

logger = logging.getLogger(__name__)


@dataclass
class PortalSpec:
    """What a federation staff member asks for when opening a portal."""

    name: str
    slug: str
    city: str
    domain: str = ""
    animator_email: str = ""
    kind: str = Neighbourhood.Kind.NEIGHBOURHOOD
    carrying_structure: str = ""
    scic_name: str = ""
    contact_email: str = ""
    languages: Sequence[str] = ()
    invite: bool = True
    territory: str = ""
    latitude: Decimal | float | None = None
    longitude: Decimal | float | None = None
    # The features' choices at opening (``tenants.extension_points.OPENING_CHOICES``),
    # by key: a collection of sheets to start with...
    choices: Mapping[str, object] = field(default_factory=dict)


@dataclass
class Provisioning:
    """The portal being built, passed from step to step."""

    spec: PortalSpec
    neighbourhood: Neighbourhood
    domain: Domain
    by: object | None = None  # who opens it: a user, or None for the shell's user
    animator: AbstractUser | None = None
    invitation_sent: bool = False
    seconds: float = 0.0
    steps_done: list[str] = field(default_factory=list)


def validate_spec(spec: PortalSpec) -> tuple[Neighbourhood, Domain]:
    """Check everything before touching the database; raise one French ValidationError."""
    neighbourhood = Neighbourhood(
        name=spec.name.strip(),
        schema_name=spec.slug.strip(),
        kind=spec.kind,
        city=spec.city.strip(),
        territory=spec.territory.strip(),
        latitude=_point(spec.latitude),
        longitude=_point(spec.longitude),
        carrying_structure=spec.carrying_structure.strip(),
        scic_name=spec.scic_name.strip(),
        contact_email=spec.contact_email.strip(),
        content_languages=content_languages(spec.languages),
    )
    domain = Domain(domain=(spec.domain or default_domain(spec.slug)).strip().lower())
    errors: dict[str, list[str]] = {}
    for key, check in (
        ("__all__", lambda: neighbourhood.full_clean()),
        ("domain", lambda: domain.full_clean(exclude=["tenant"])),
        ("animator_email", lambda: _check_email(spec.animator_email)),
        ("languages", lambda: _check_languages(spec.languages)),
    ):
        try:
            check()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
            else:
                errors.setdefault(key, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return neighbourhood, domain


def content_languages(requested: Sequence[str]) -> list[str]:
    """French first, then the other languages asked for, without duplicates."""
    languages = [settings.LANGUAGE_CODE]
    for code in requested:
        code = code.strip().lower()
        if code and code not in languages:
            languages.append(code)
    return languages


def _point(value: Decimal | float | None) -> Decimal | None:
    """A coordinate as the registry stores it (five decimals: about a metre)."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.00001"))


def _check_email(value: str) -> None:
    if value:
        validate_email(value)


def _check_languages(requested: Sequence[str]) -> None:
    known = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    unknown = [code for code in content_languages(requested) if code not in known]
    if unknown:
        raise ValidationError(
            "Langue inconnue : %(codes)s. Langues possibles : %(known)s.",
            params={"codes": ", ".join(unknown), "known": ", ".join(known)},
        )


# --- The steps, in order ---------------------------------------------------------------


def create_registry_row(p: Provisioning) -> None:
    """Save the portal in the registry, which clones the template into its schema (with
    the template's sections: each counts as offered until the portal is fitted to its kind)."""
    p.neighbourhood.sections_offered = [section.slug for section in template_sections()]
    p.neighbourhood.save(verbosity=0)


def attach_domain(p: Provisioning) -> None:
    p.domain.tenant = p.neighbourhood
    p.domain.is_primary = True
    p.domain.save()


def configure_site(p: Provisioning) -> None:
    """The portal's one Wagtail site, default for any host."""
    point_site_at(p.neighbourhood, p.domain.domain)


def add_locales(p: Provisioning) -> None:
    with schema_context(p.neighbourhood.schema_name):
        for code in p.neighbourhood.content_languages:
            Locale.objects.get_or_create(language_code=code)


def run_feature_steps(p: Provisioning) -> None:
    """What the features do for a new portal (its identity, the federation's hub...),
    through the AFTER_PROVISIONING extension point, inside the portal's schema."""
    with schema_context(p.neighbourhood.schema_name):
        after_provisioning(p)


def fit_to_kind(p: Provisioning) -> None:
    """The sections and home blocks of the portal's kind: a federation is cloned from the
    neighbourhoods' template, and loses their classifieds, radio and blogs here."""
    # One block of writes (``tenants.bulk_writes``): a federation withdraws eight
    # sections and adds its hub, each page saved several times; the search and reference
    # indexes and the cache's generation are updated once each at the block's end. Opening
    # a federation from a spare schema: 919 queries and 0.53 s of CPU before, 863 and 0.47 s
    # (four of each, alternated); a neighbourhood's, which fits nothing, is unchanged.
    with schema_context(p.neighbourhood.schema_name), bulk_writes():
        _changed, offered = fit_sections_to_kind(
            p.neighbourhood.sections_offered, p.neighbourhood.kind, fresh=True
        )
    p.neighbourhood.sections_offered = offered
    Neighbourhood.objects.filter(pk=p.neighbourhood.pk).update(sections_offered=offered)


def add_federation_group(p: Provisioning) -> None:
    """The federation's staff group: the only one that may run the network from its admin."""
    if p.neighbourhood.kind != Neighbourhood.Kind.FEDERATION:
        return
    with schema_context(p.neighbourhood.schema_name):
        group, _created = Group.objects.get_or_create(name=FEDERATION_STAFF)
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )


def create_animator(p: Provisioning) -> None:
    if not p.spec.animator_email:
        return
    email = p.spec.animator_email.strip().lower()
    with schema_context(p.neighbourhood.schema_name):
        user = get_user_model().objects.create_user(username=email, email=email)
        user.groups.add(Group.objects.get(name=ANIMATORS))
    p.animator = user


def apply_choices(p: Provisioning) -> None:
    """What staff chose for the new portal among the features' offers (a collection of
    sheets...), once its sections and first animator exist."""
    with schema_context(p.neighbourhood.schema_name):
        apply_opening_choices(p)


def invite_animator(p: Provisioning) -> None:
    """Send the invitation once the portal exists for good: never a link to nothing."""
    if p.animator is None or not p.spec.invite:
        return

    def send() -> None:
        try:
            send_invitation(p.neighbourhood, p.animator)
        except Exception:
            # The portal is open; the staff can send the invitation again.
            logger.exception("Invitation to %s not sent", p.animator.email)
        else:
            p.invitation_sent = True

    transaction.on_commit(send)


def log_creation(p: Provisioning) -> None:
    """The network's log says who opened the portal, whatever screen or command did."""
    journal.record(
        p.by,
        NetworkAction.Action.CREATE,
        p.neighbourhood,
        name=p.neighbourhood.name,
        domain=p.domain.domain,
        animator=p.spec.animator_email.strip().lower(),
    )


STEPS: list[tuple[str, Callable[[Provisioning], None]]] = [
    ("registry", create_registry_row),
    ("domain", attach_domain),
    ("site", configure_site),
    ("locales", add_locales),
    ("features", run_feature_steps),
    ("kind", fit_to_kind),
    ("federation-group", add_federation_group),
    ("animator", create_animator),
    ("choices", apply_choices),
    ("invitation", invite_animator),
    ("log", log_creation),
]


def provision_neighbourhood(spec: PortalSpec, *, by: object | None = None) -> Provisioning:
    """Open a portal in one step, logged as opened by ``by`` (a user; None: the shell's
    user); raise ValidationError (in French) and leave nothing on failure."""
    started = time.perf_counter()
    neighbourhood, domain = validate_spec(spec)
    provisioning = Provisioning(spec=spec, neighbourhood=neighbourhood, domain=domain, by=by)
    try:
        with schema_context(get_public_schema_name()), transaction.atomic():
            for name, step in STEPS:
                step(provisioning)
                provisioning.steps_done.append(name)
    except BaseException:
        # The database rolled back; files a step wrote (documents copied into the new
        # portal's media) did not. The slug was free, so its media folder is ours alone.
        if provisioning.steps_done:
            delete_portal_media(neighbourhood.schema_name)
        raise
    provisioning.seconds = time.perf_counter() - started
    return provisioning
