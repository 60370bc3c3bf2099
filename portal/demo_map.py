"""Demo content of the cooperative map: thirty actors a neighbourhood, a workshop, two seeds.

Deterministic (a random generator seeded with the portal's slug) and idempotent: actors are
found by name, the workshop by its slug, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from core.demo_pages import publish_new_child
from portal.models import Actor, ProjectSeed, ProjectSeedIndexPage, WorkshopPage

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

# seed_portal's four actors and these twenty-six make the thirty of each neighbourhood.
ACTORS_PER_PORTAL = 30
# The heart of each demo neighbourhood (latitude, longitude), by slug; others by city.
CENTRES = {
    "belleville": (48.8718, 2.3850),
    "lachapelle": (48.8925, 2.3600),
    "francmoisin": (48.9205, 2.3655),
    "picasso": (48.8905, 2.2080),
    "grandeborne": (48.6475, 2.3790),
    "valfourre": (48.9955, 1.6880),
    "bosquets": (48.9040, 2.5640),
    "courtillieres": (48.9075, 2.3930),
    "valdargent": (48.9560, 2.2580),
}
DEFAULT_CENTRE = (48.8566, 2.3522)
# About 700 m around the centre: the scale of a neighbourhood.
SPREAD_LATITUDE = 0.0065
SPREAD_LONGITUDE = 0.0095

NAMES = [
    ("Association Les Jardins partagés", Actor.Kind.ASSOCIATION, ["environnement", "alimentation"]),
    ("Amicale des locataires", Actor.Kind.ASSOCIATION, ["logement", "solidarité"]),
    ("Mairie de quartier", Actor.Kind.AUTHORITY, ["services publics"]),
    ("Maison France Services", Actor.Kind.AUTHORITY, ["services publics", "numérique"]),
    ("Office HLM, agence de proximité", Actor.Kind.LANDLORD, ["logement"]),
    ("Régie de quartier", Actor.Kind.SSE, ["emploi", "environnement"]),
    ("Épicerie solidaire", Actor.Kind.SSE, ["alimentation", "solidarité"]),
    ("Ressourcerie La Débrouille", Actor.Kind.SSE, ["environnement", "emploi"]),
    ("Pharmacie de la place", Actor.Kind.SHOP, ["santé"]),
    ("Café des Amis", Actor.Kind.SHOP, ["convivialité"]),
    ("Cordonnerie du marché", Actor.Kind.SHOP, ["artisanat"]),
    ("Librairie Les Mots Passants", Actor.Kind.SHOP, ["culture", "lecture"]),
    ("Atelier vélo participatif", Actor.Kind.THIRD_PLACE, ["mobilité", "environnement"]),
    ("Fab lab du quartier", Actor.Kind.THIRD_PLACE, ["numérique", "jeunesse"]),
    ("École élémentaire Louise-Michel", Actor.Kind.SCHOOL, ["éducation", "jeunesse"]),
    ("Lycée professionnel", Actor.Kind.SCHOOL, ["éducation", "emploi"]),
    ("Centre de formation des apprentis", Actor.Kind.SCHOOL, ["emploi", "jeunesse"]),
    ("Médiathèque", Actor.Kind.CULTURE, ["culture", "lecture"]),
    ("Conservatoire municipal", Actor.Kind.CULTURE, ["culture", "musique"]),
    ("Compagnie de théâtre Les Tréteaux", Actor.Kind.CULTURE, ["culture", "jeunesse"]),
    ("Radio associative", Actor.Kind.MEDIA, ["médias", "culture"]),
    ("Journal des habitants", Actor.Kind.MEDIA, ["médias"]),
    ("Relais habitant de la tour B", Actor.Kind.RESIDENT_RELAY, ["solidarité"]),
    ("Relais habitante du square", Actor.Kind.RESIDENT_RELAY, ["jeunesse", "solidarité"]),
    ("Club de football du quartier", Actor.Kind.OTHER, ["sport", "jeunesse"]),
    ("Maison de santé pluriprofessionnelle", Actor.Kind.OTHER, ["santé"]),
]
STREETS = [
    "rue des Lilas",
    "avenue de la République",
    "rue Jean-Jaurès",
    "place du Marché",
    "allée des Tilleuls",
    "rue Victor-Hugo",
    "boulevard de la Paix",
    "rue des Écoles",
    "impasse des Ateliers",
    "rue Pablo-Neruda",
]
HOURS = [
    "Du lundi au vendredi, 9 h à 18 h",
    "Mardi au samedi, 10 h à 19 h",
    "Mercredi et samedi, 14 h à 18 h",
    "Sur rendez-vous",
]

WORKSHOP_SLUG = "atelier-cartographie-ressources"
SEEDS = [
    (
        "Un atelier vélo au pied des tours",
        ProjectSeed.Status.FORMING,
        "Réparer ensemble, apprendre aux enfants à rouler, prêter des vélos.",
        "Trouver un local ; premier atelier de réparation en plein air le mois prochain.",
        ["Atelier vélo participatif", "Office HLM, agence de proximité"],
        "Samir\nJoëlle",
    ),
    (
        "Une fête des voisins qui dure toute l'année",
        ProjectSeed.Status.IDEA,
        "Un repas partagé par saison, chaque fois dans une cour différente.",
        "Réunion de préparation au centre social ; liste des cours possibles.",
        ["Amicale des locataires", "Café des Amis"],
        "Fatou",
    ),
]


def seed_map(portal: Neighbourhood) -> None:
    """Actors with coordinates in the portal's city, and a workshop with two seeds."""
    if portal.kind != "neighbourhood":
        return
    actors = _actors(portal)
    _workshop(actors)


def _actors(portal: Neighbourhood) -> dict[str, Actor]:
    generator = random.Random(portal.schema_name)  # noqa: S311 -- demo data, not secrets
    centre_latitude, centre_longitude = CENTRES.get(portal.schema_name, DEFAULT_CENTRE)
    existing = list(Actor.objects.order_by("pk"))
    by_name = {actor.name: actor for actor in existing}
    actors: dict[str, Actor] = {}
    for index, (name, kind, themes) in enumerate(NAMES):
        # Drawn in the same order every run, whether the actor exists or not.
        latitude = centre_latitude + generator.uniform(-SPREAD_LATITUDE, SPREAD_LATITUDE)
        longitude = centre_longitude + generator.uniform(-SPREAD_LONGITUDE, SPREAD_LONGITUDE)
        address = f"{generator.randint(1, 120)} {generator.choice(STREETS)}"
        hours = generator.choice(HOURS)
        actor = by_name.get(name)
        if actor is None:
            actor = Actor(
                name=name,
                kind=kind,
                address=address,
                latitude=Decimal(f"{latitude:.6f}"),
                longitude=Decimal(f"{longitude:.6f}"),
                opening_hours=hours,
                description=f"<p>{name}, acteur du quartier de {portal.city}.</p>",
                featured=index < 2,
            )
            # Its themes kept in memory until its one save (a cluster's tags): a save
            # before them only to have an id cost a second save of every field.
            actor.themes.set(themes)
            actor.save()
        actors[name] = actor
    for actor in existing:
        if not actor.is_located:
            latitude = centre_latitude + generator.uniform(-SPREAD_LATITUDE, SPREAD_LATITUDE)
            longitude = centre_longitude + generator.uniform(-SPREAD_LONGITUDE, SPREAD_LONGITUDE)
            actor.latitude = Decimal(f"{latitude:.6f}")
            actor.longitude = Decimal(f"{longitude:.6f}")
            actor.save(update_fields=["latitude", "longitude"])
        actors.setdefault(actor.name, actor)
    return actors


def _workshop(actors: dict[str, Actor]) -> None:
    section = ProjectSeedIndexPage.objects.filter(locale__language_code="fr").first()
    if section is None or WorkshopPage.objects.filter(slug=WORKSHOP_SLUG).exists():
        return
    workshop = WorkshopPage(
        title="Atelier participatif : cartographier nos ressources",
        slug=WORKSHOP_SLUG,
        date=timezone.localdate() - datetime.timedelta(days=21),
        place_name="Centre social",
        address="12 rue des Lilas",
        intro="<p>Trente habitants et dix structures ont fait ensemble l'état des lieux.</p>",
        resident_count=30,
        diagnosis=[
            ("brakes", ["Peu de lieux ouverts le soir", "Les jeunes ne connaissent pas les aides"]),
            ("levers", ["Des associations très actives", "Un bailleur prêt à prêter des locaux"]),
            ("needs", ["Se déplacer à vélo en sécurité", "Se retrouver entre voisins"]),
            ("resources", ["Des caves vides en pied d'immeuble", "Des bénévoles bricoleurs"]),
        ],
    )
    workshop.participants = [actor for name, actor in actors.items() if actor.is_located][:8]
    workshop.seeds = [
        ProjectSeed(
            title=title,
            status=status,
            description=description,
            next_steps=next_steps,
            residents=residents,
            actors=[actors[name] for name in names if name in actors],
        )
        for title, status, description, next_steps, names, residents in SEEDS
    ]
    publish_new_child(section, workshop)
