"""Demo content of a portal's home page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from home.blocks import DEFAULT_HOME_BLOCKS
from home.federation import federation_home_blocks
from home.models import HomePage, PortalSettings

if TYPE_CHECKING:
    from tenants.models import Neighbourhood


# Each demo portal its own colour (white text on each passes WCAG AA: 4.5:1 at least), so
# that the nine portals do not look alike; the covers drawn for the demo take it up.
DEMO_ACCENTS = {
    "federation": "#1d3557",
    "belleville": "#8a1c4a",
    "lachapelle": "#1d4f91",
    "francmoisin": "#0f6b4f",
    "picasso": "#6b3d8f",
    "grandeborne": "#9a3412",
    "valfourre": "#005f73",
    "bosquets": "#a4133c",
    "courtillieres": "#3a5a40",
    "valdargent": "#6d4c41",
}


def seed_identity_colour(portal: Neighbourhood) -> None:
    """The demo portal's own accent colour, while its animators kept the default one."""
    colour = DEMO_ACCENTS.get(portal.schema_name)
    identity = PortalSettings.load()
    if colour is None or identity.accent_colour != PortalSettings._meta.get_field(
        "accent_colour"
    ).default:
        return
    identity.accent_colour = colour
    identity.save(update_fields=["accent_colour"])


def seed_home(portal: Neighbourhood) -> None:
    """Give the home page an introduction and a first text, once."""
    seed_identity_colour(portal)
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
    # The lead story and the next events first: what a visitor on a phone sees before
    # scrolling far; the portal's words of welcome after them.
    news, *others = DEFAULT_HOME_BLOCKS
    home.body = [
        news,
        *others[:2],
        (
            "hero",
            {
                "title": "Le quartier prend la parole",
                "text": "Reportages, rendez-vous et coups de main : le quartier raconté "
                "par celles et ceux qui y vivent.",
            },
        ),
        ("text", text),
        *others[2:],
        ("partners", {"title": "Ils soutiennent le média", "kind": ""}),
    ]
    home.save_revision().publish()
