"""Demo content of a portal's home page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from home.blocks import DEFAULT_HOME_BLOCKS
from home.federation import federation_home_blocks
from home.models import HomePage

if TYPE_CHECKING:
    from tenants.models import Neighbourhood


def seed_home(portal: Neighbourhood) -> None:
    """Give the home page an introduction and a first text, once."""
    home = HomePage.objects.first()
    if home is None or home.intro:
        return
    if portal.kind == "federation":
        home.intro = (
            "<p>Neuf quartiers d'Île-de-France ont lancé leur média citoyen, porté par un "
            "centre social, une MJC ou une régie de quartier. La fédération les relie et met "
            "en commun ce qu'ils apprennent.</p>"
        )
        home.body = federation_home_blocks()
        home.save_revision().publish()
        return
    else:
        home.intro = (
            f"<p>Le média citoyen de {portal.city}, fait par et pour les habitants : "
            "actualités, agenda, petites annonces, webradio et blogs.</p>"
        )
        text = (
            f"<p>{portal.name} est porté par {portal.carrying_structure} et animé avec les "
            "habitants. Proposez un sujet, venez à la prochaine conférence de rédaction ou "
            "publiez une petite annonce.</p>"
        )
    home.body = [
        (
            "hero",
            {
                "title": "Le quartier prend la parole",
                "text": "Reportages, rendez-vous et coups de main : le quartier raconté "
                "par celles et ceux qui y vivent.",
            },
        ),
        ("text", text),
        *DEFAULT_HOME_BLOCKS,
        ("partners", {"title": "Ils soutiennent le média", "kind": ""}),
    ]
    home.save_revision().publish()
