"""Demo content of a portal's home page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.demo_images import demo_cover
from home.blocks import DEFAULT_HOME_BLOCKS
from home.federation import federation_home_blocks
from home.models import HomePage, PortalSettings

if TYPE_CHECKING:
    from tenants.models import Neighbourhood


# Each demo portal its own face: a colour (white text on each passes WCAG AA, 4.5:1 at
# least), a headings' typeface and a banner drawn in that colour, so that the nine
# portals do not look alike. The covers drawn for the demo take the colour up.
DEMO_LOOKS = {
    "federation": ("#1d3557", "atkinson"),
    "belleville": ("#8a1c4a", "cairo"),
    "lachapelle": ("#1d4f91", "fraunces"),
    "francmoisin": ("#0f6b4f", "bitter"),
    "picasso": ("#6b3d8f", "fraunces"),
    "grandeborne": ("#9a3412", "bitter"),
    "valfourre": ("#005f73", "cairo"),
    "bosquets": ("#a4133c", "atkinson"),
    "courtillieres": ("#3a5a40", "fraunces"),
    "valdargent": ("#6d4c41", "bitter"),
}
BANNER_SIZE = (1600, 400)


def seed_identity_look(portal: Neighbourhood) -> None:
    """The demo portal's colour, typeface and banner, while its animators kept the
    defaults (a portal's own choices are never overwritten)."""
    look = DEMO_LOOKS.get(portal.schema_name)
    if look is None:
        return
    colour, font = look
    identity = PortalSettings.load()
    fields = []
    if identity.accent_colour == PortalSettings._meta.get_field("accent_colour").default:
        identity.accent_colour = colour
        fields.append("accent_colour")
    if not identity.heading_font:
        identity.heading_font = font
        fields.append("heading_font")
    if identity.banner_id is None:
        identity.banner = demo_cover(
            identity.accent_colour, f"bandeau-{portal.schema_name}", portal.name, BANNER_SIZE
        )
        fields.append("banner")
    if fields:
        identity.save(update_fields=fields)


def seed_home(portal: Neighbourhood) -> None:
    """Give the home page an introduction and a first text, once."""
    seed_identity_look(portal)
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
