"""The demo network's curated toolkit: two collections of the federation, its marks, and
a few portals that adopted sheets and said what worked for them.

Built through the same services staff and animators use (``portal.methodology.toolkit``),
once every demo portal has its sheets; nothing is added when collections exist already.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tenants.utils import tenant_context

from portal.methodology.toolkit import (
    adopt_collection,
    mark_sheet,
    public,
    set_collection_sheets,
    shared_sheets,
    write_feedback,
)
from tenants.group_names import ANIMATORS
from tenants.models import Neighbourhood
from tenants.toolkit import Adoption, ToolkitCollection

COLLECTIONS = [
    (
        "kit-de-demarrage",
        "Kit de démarrage",
        "Les quatre rendez-vous qui lancent un média de quartier : un petit-déjeuner pour "
        "rencontrer les associations, une table ronde pour faire parler le territoire, une "
        "cartographie coopérative des acteurs et un atelier participatif pour passer aux "
        "projets.",
        ["breakfast", "round_table", "mapping", "workshop"],
    ),
    (
        "education-aux-medias",
        "Éducation aux médias",
        "Décrypter l'information avec les habitants, puis prendre la parole : des ateliers "
        "testés avec des collégiens, des parents et des associations de locataires.",
        ["media_literacy", "pitch"],
    ),
]

# Who adopted the starter kit in the demo, and what worked for them, sheet by sheet
# (by module): the words of animators after a first season.
FEEDBACK = {
    "lachapelle": {
        "breakfast": "Le petit-déjeuner au centre social un samedi matin a réuni 23 "
        "associations, contre 6 à la réunion du mardi soir l'an dernier. Les croissants "
        "offerts par la boulangerie du marché ont fait venir les commerçants.",
        "round_table": "Nous avons fait la table ronde dans le hall de la tour 12 plutôt "
        "qu'à la mairie annexe : les habitants qui ne sortent jamais sont descendus.",
    },
    "francmoisin": {
        "breakfast": "Inviter chaque association par téléphone, une par une, a tout changé. "
        "Les affiches seules ne suffisaient pas.",
        "mapping": "La carte imprimée en grand format et les gommettes ont plu aux enfants, "
        "qui ont entraîné leurs parents : 140 lieux repérés en une après-midi.",
    },
    "bosquets": {
        "workshop": "Nous avons gardé les groupes d'action de la fiche, mais en deux "
        "séances : trois heures d'affilée, c'était trop pour les familles.",
    },
}


def seed_toolkit() -> None:
    """Collections, marks and adoptions with feedback for the demo network."""
    with public():
        if ToolkitCollection.objects.exists():
            return
        entries = list(shared_sheets().order_by("tenant__name", "pk"))
    if not entries:
        return
    first_of_module: dict[str, object] = {}
    for entry in entries:
        first_of_module.setdefault(entry.module, entry)
    for position, (slug, title, description, modules) in enumerate(COLLECTIONS):
        chosen = [first_of_module[module] for module in modules if module in first_of_module]
        with public():
            collection = ToolkitCollection.objects.create(
                slug=slug, title=title, description=description, position=position
            )
        set_collection_sheets(collection, chosen)
        for number, entry in enumerate(chosen):
            mark_sheet(entry, validated=True, featured=number == 0, by="fédération (démo)")
    _adoptions()


def _adoptions() -> None:
    with public():
        kit = ToolkitCollection.objects.get(slug="kit-de-demarrage")
        portals = list(Neighbourhood.objects.active().filter(schema_name__in=FEEDBACK))
    for portal in portals:
        with tenant_context(portal):
            animator = get_user_model().objects.filter(groups__name=ANIMATORS).first()
            adopt_collection(kit, animator)
            with public():
                adoptions = list(Adoption.objects.filter(portal=portal).select_related("sheet"))
            with public():
                modules = {
                    (entry.tenant_id, entry.page_id): entry.module
                    for entry in shared_sheets().filter(
                        page_id__in=[adoption.sheet.page_id for adoption in adoptions]
                    )
                }
            for adoption in adoptions:
                source = (adoption.sheet.tenant_id, adoption.sheet.page_id)
                text = FEEDBACK[portal.schema_name].get(modules.get(source))
                if text:
                    write_feedback(adoption.pk, text)
