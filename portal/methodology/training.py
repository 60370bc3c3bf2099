"""Animators' training path: which modules of the methodology each animator has followed,
when, and which are left, so the federation sees each portal's move to autonomy.

The modules are the methodology's own (``MethodologyPage.Module``, the ones its shared
sheets are filed under, "Autre" aside); the steps are kept per network account in
``public`` (``tenants.training``), so a person animating two portals has one path.
Federation staff only read and write them (``training_views``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from portal.methodology.models import MethodologyPage
from tenants.accounts import NetworkAccount, normal_email
from tenants.group_names import ANIMATORS
from tenants.models import Neighbourhood
from tenants.training import TrainingStep


def training_modules() -> list[tuple[str, str]]:
    """The modules a path is made of: the methodology's, without "Autre"."""
    return [
        (code, label)
        for code, label in MethodologyPage.Module.choices
        if code != MethodologyPage.Module.OTHER
    ]


@dataclass(frozen=True)
class ModuleLine:
    """One module of a person's path: followed (with its step) or left."""

    code: str
    label: str
    step: TrainingStep | None


@dataclass(frozen=True)
class TrainingPath:
    """An animator of a portal and their path through the modules."""

    name: str
    email: str
    account: NetworkAccount | None
    lines: list[ModuleLine]

    @property
    def followed(self) -> list[ModuleLine]:
        return [line for line in self.lines if line.step is not None]

    @property
    def left(self) -> list[ModuleLine]:
        return [line for line in self.lines if line.step is None]


def animators_paths(portal: Neighbourhood) -> list[TrainingPath]:
    """Each active animator of ``portal`` with their path (one visit to its schema, then
    two queries in ``public`` whatever the number of people)."""
    with schema_context(portal.schema_name):
        people = list(
            get_user_model()
            .objects.filter(groups__name=ANIMATORS, is_active=True)
            .exclude(email="")
            .order_by("last_name", "first_name", "email")
            .distinct()
        )
    with schema_context(get_public_schema_name()):
        emails = {normal_email(person.email) for person in people}
        accounts = {a.email: a for a in NetworkAccount.objects.filter(email__in=emails)}
        steps: dict[tuple[int, str], TrainingStep] = {
            (step.account_id, step.module): step
            for step in TrainingStep.objects.filter(account__in=accounts.values())
        }
    modules = training_modules()
    paths = []
    for person in people:
        account = accounts.get(normal_email(person.email))
        lines = [
            ModuleLine(code, label, steps.get((account.pk, code)) if account else None)
            for code, label in modules
        ]
        paths.append(
            TrainingPath(
                person.get_full_name() or person.email, normal_email(person.email), account, lines
            )
        )
    return paths


def record_step(
    path: TrainingPath, module: str, followed_on: date, note: str, by: object
) -> TrainingStep:
    """Note that the person followed ``module`` on ``followed_on`` (a second note on the
    same module replaces the first: a module is followed once, its notes kept up to date)."""
    if path.account is None:
        raise ValidationError(_("Cette personne n'a pas encore de compte Quartiers."))
    if module not in dict(training_modules()):
        raise ValidationError({"module": [_("Ce module n'existe pas dans la méthodologie.")]})
    if followed_on > date.today():
        raise ValidationError({"followed_on": [_("Cette date n'est pas encore passée.")]})
    with schema_context(get_public_schema_name()):
        step, _created = TrainingStep.objects.update_or_create(
            account=path.account,
            module=module,
            defaults={
                "followed_on": followed_on,
                "note": note.strip(),
                "recorded_by": getattr(by, "email", "") or str(by),
            },
        )
    return step
