"""The shared address book, read in: actors from a CSV file, previewed before anything is saved.

``read_csv`` turns a file into a plan: each line is an actor to create, an actor to update,
or a line with its errors (in French, with its line number). Nothing is written until
``apply_plan`` runs, and the views run it on a plan with errors only when the animator
confirms that the good lines should go in. The columns are those of the CSV export
(``portal/actors/exports.py``); headers are matched without regard to case or accents.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.abuse import plain_text
from core.posted_ids import posted_id
from core.spreadsheets import typed_text
from portal.actors.exports import CSV_COLUMNS
from portal.actors.models import Actor

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000
# Header spellings people use, folded (lower case, no accents) -> model field.
HEADER_ALIASES = {
    "theme": "themes",
    "themes": "themes",
    "site": "website",
    "site internet": "website",
    "email": "public_email",
    "courriel": "public_email",
    "telephone": "public_phone",
    "tel": "public_phone",
    "description": "description",
    "horaires d'ouverture": "opening_hours",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
}
# The columns' limits: the database's own (a longer site or e-mail passed the preview, then
# the database refused the whole import at its confirmation: a 500, the file to send again),
# and 2,000 characters of opening hours.
MAX_LENGTHS = {
    **{
        name: Actor._meta.get_field(name).max_length
        for name in ("name", "address", "public_phone", "website", "public_email")
    },
    "opening_hours": 2000,
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


COLUMN_FIELDS = {_fold(header): name for header, name in CSV_COLUMNS} | HEADER_ALIASES
KIND_VALUES = {_fold(value): value for value in Actor.Kind.values} | {
    _fold(str(label)): value for value, label in Actor.Kind.choices
}


@dataclass
class PlannedLine:
    """One line of the file and what importing it would do."""

    number: int
    name: str
    values: dict[str, object] = field(default_factory=dict)
    themes: list[str] | None = None
    actor_id: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.errors:
            return "error"
        return "update" if self.actor_id else "create"


@dataclass
class ImportPlan:
    """What a file would do: lines to create, to update, and lines in error."""

    lines: list[PlannedLine] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def to_create(self) -> list[PlannedLine]:
        return [line for line in self.lines if line.action == "create"]

    @property
    def to_update(self) -> list[PlannedLine]:
        return [line for line in self.lines if line.action == "update"]

    @property
    def in_error(self) -> list[PlannedLine]:
        return [line for line in self.lines if line.action == "error"]

    @property
    def good_lines(self) -> list[PlannedLine]:
        return [line for line in self.lines if not line.errors]

    @property
    def is_clean(self) -> bool:
        return not self.file_errors and not self.in_error


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 as old spreadsheets
    write it. Raises ValidationError for anything else."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("Le fichier n'est pas un texte lisible (enregistrez-le en CSV UTF-8)."))


def read_csv(text: str) -> ImportPlan:
    """The plan for ``text``, a CSV file separated by ";" or ",". Never writes anything."""
    plan = ImportPlan()
    text = text.replace("\x00", "")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        headers = next(rows)
    except (StopIteration, csv.Error):
        headers = []
    if not any(header.strip() for header in headers):
        plan.file_errors.append(_("Le fichier est vide."))
        return plan
    fields = [COLUMN_FIELDS.get(_fold(header)) for header in headers]
    if "name" not in fields:
        plan.file_errors.append(
            _("La première ligne doit nommer les colonnes, dont « nom » (voir l'export CSV).")
        )
        return plan
    existing = {actor.pk: actor for actor in Actor.objects.all()}
    by_name = {_fold(actor.name): actor.pk for actor in existing.values()}
    seen_names: dict[str, int] = {}
    try:
        for number, row in enumerate(rows, start=2):
            if number > MAX_LINES + 1:
                plan.file_errors.append(
                    _("Plus de %(max)d lignes : découpez le fichier.") % {"max": MAX_LINES}
                )
                break
            if not any(cell.strip() for cell in row):
                continue
            line = _plan_line(number, dict(zip(fields, row, strict=False)), existing, by_name)
            folded = _fold(line.name)
            if folded and folded in seen_names:
                line.errors.append(
                    _("« %(name)s » figure déjà à la ligne %(line)d.")
                    % {"name": line.name, "line": seen_names[folded]}
                )
            elif folded:
                seen_names[folded] = number
            plan.lines.append(line)
    except csv.Error as error:
        plan.file_errors.append(_("Le fichier CSV est mal formé : %(error)s") % {"error": error})
    if not plan.lines and not plan.file_errors:
        plan.file_errors.append(_("Le fichier ne contient aucun acteur."))
    return plan


def _plan_line(
    number: int, cells: dict[str | None, str], existing: dict[int, Actor], by_name: dict
) -> PlannedLine:
    cells.pop(None, None)  # columns nobody asked for are ignored
    # A cell the export protected with a leading quote comes back as it was typed.
    value = {name: plain_text(typed_text(cell or "")) for name, cell in cells.items()}
    line = PlannedLine(number=number, name=value.get("name", ""))
    errors = line.errors
    if not line.name:
        errors.append(_("Le nom est obligatoire."))
    if raw_id := value.get("id", ""):
        if (actor_id := posted_id(raw_id)) not in existing:
            errors.append(
                _("L'identifiant %(id)s ne correspond à aucun acteur de ce portail.")
                % {"id": raw_id}
            )
        else:
            line.actor_id = actor_id
    elif line.name:
        line.actor_id = by_name.get(_fold(line.name))
    kind = value.get("kind", "")
    if kind:
        if _fold(kind) not in KIND_VALUES:
            errors.append(_("Type inconnu : « %(kind)s ».") % {"kind": kind})
        else:
            line.values["kind"] = KIND_VALUES[_fold(kind)]
    elif not line.actor_id:
        line.values["kind"] = Actor.Kind.OTHER
    coordinates = {}
    for name, limit in (("latitude", 90), ("longitude", 180)):
        if name in value:
            coordinates[name] = _coordinate(value[name], name, limit, errors)
    if coordinates and (coordinates.get("latitude") is None) != (
        coordinates.get("longitude") is None
    ):
        errors.append(_("Donnez la latitude et la longitude, ou aucune des deux."))
    line.values.update(coordinates)
    for name in MAX_LENGTHS:
        if name in value:
            if len(value[name]) > MAX_LENGTHS[name]:
                errors.append(
                    _("« %(column)s » dépasse %(max)d caractères.")
                    % {"column": _column(name), "max": MAX_LENGTHS[name]}
                )
            line.values[name] = value[name]
    if value.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(value["website"])
        except ValidationError:
            errors.append(_("Site web invalide : « %(url)s ».") % {"url": value["website"]})
    if value.get("public_email"):
        try:
            validate_email(value["public_email"])
        except ValidationError:
            errors.append(_("E-mail invalide : « %(email)s ».") % {"email": value["public_email"]})
    if "description" in value:
        paragraphs = [part.strip() for part in value["description"].split("\n\n") if part.strip()]
        line.values["description"] = "".join(f"<p>{escape(part)}</p>" for part in paragraphs)
    if "themes" in value:
        line.themes = list(
            dict.fromkeys(t.strip()[:100] for t in value["themes"].split(",") if t.strip())
        )
    return line


def _column(name: str) -> str:
    return next(header for header, field_name in CSV_COLUMNS if field_name == name)


def _coordinate(raw: str, name: str, limit: int, errors: list[str]) -> Decimal | None:
    if not raw:
        return None
    try:
        number = Decimal(raw.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        errors.append(
            _("« %(column)s » n'est pas un nombre : « %(value)s ».")
            % {"column": name, "value": raw}
        )
        return None
    if not number.is_finite() or abs(number) > limit:
        errors.append(
            _("« %(column)s » doit être comprise entre -%(limit)d et %(limit)d.")
            % {"column": name, "limit": limit}
        )
        return None
    return number.quantize(Decimal("0.000001"))


@transaction.atomic
def apply_plan(plan: ImportPlan) -> ImportResult:
    """Create and update the actors of the plan's good lines (all or nothing)."""
    result = ImportResult()
    for line in plan.good_lines:
        actor = Actor.objects.filter(pk=line.actor_id).first() if line.actor_id else None
        if actor is None:
            actor = Actor()
            result.created += 1
        else:
            result.updated += 1
        for name, value in line.values.items():
            setattr(actor, name, value)
        actor.save()
        if line.themes is not None:
            actor.themes.set(line.themes)
            actor.save()
    return result
