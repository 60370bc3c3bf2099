"""Demo content of the residents' map: four published stories, one of each kind, near the
portal's centre. Idempotent: a story is found by its slug, so a second run changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from core.demo_pages import publish_new_child
from portal.actors.section import ActorDirectoryPage
from portal.actors.stories import MapStoryPage, StoryKind

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

# (slug, kind, title, text, signature, offset north, offset east) around the centre.
STORIES = [
    (
        "le-banc-des-anciens",
        StoryKind.PLACE,
        "Le banc des anciens",
        "Le banc sous le platane, où l'on se donne des nouvelles du quartier chaque matin.",
        "Mireille",
        0.0012,
        -0.0020,
    ),
    (
        "le-bal-du-14-juillet",
        StoryKind.MEMORY,
        "Le bal du 14 juillet",
        "En 1998, tout le quartier dansait ici jusqu'à deux heures du matin.",
        "Jojo",
        -0.0018,
        0.0010,
    ),
    (
        "le-trottoir-trop-etroit",
        StoryKind.PROBLEM,
        "Le trottoir trop étroit",
        "Avec une poussette, impossible de passer : on marche sur la chaussée.",
        "Samira",
        0.0025,
        0.0030,
    ),
    (
        "ici-il-faudrait-une-fontaine",
        StoryKind.WISH,
        "Ici il faudrait une fontaine",
        "L'été, les enfants du square n'ont nulle part où boire.",
        "Léo",
        -0.0006,
        -0.0035,
    ),
]


def seed_stories(portal: Neighbourhood, centre: tuple[float, float]) -> None:
    """Publish the demo stories under the portal's actors' directory, if it has one."""
    if portal.kind != "neighbourhood":
        return
    directory = ActorDirectoryPage.objects.filter(locale__language_code="fr").first()
    if directory is None:
        return
    for slug, kind, title, text, signature, north, east in STORIES:
        if MapStoryPage.objects.filter(slug=slug).exists():
            continue
        story = MapStoryPage(
            title=title,
            slug=slug,
            kind=kind,
            text=text,
            contributor_name=signature,
            latitude=Decimal(f"{centre[0] + north:.6f}"),
            longitude=Decimal(f"{centre[1] + east:.6f}"),
        )
        publish_new_child(directory, story)
