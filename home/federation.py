"""The federation's home page: the network's front door, not a neighbourhood's agora.

A federation is cloned from the neighbourhoods' template, whose home page lists the
classifieds, the radio and the residents' blogs. ``fit_home`` (run by the
``FIT_PORTAL_KIND`` extension point when the portal opens, and by ``migrate_network``)
gives it the federation's blocks instead: the pilots on a map and as cards, what they
share, the toolkit and the ways into the network.
"""

from __future__ import annotations

from frontdoor.models import LaunchPage
from home.blocks import NEIGHBOURHOOD_SOURCES
from home.models import HomePage
from portal.models import FederationHubPage

# Built by other parts of the network's portal; linked by address.
NETWORK_AGENDA_PATH = "/reseau/agenda/"
NETWORK_PODCAST_PATH = "/reseau/podcast.rss"


def federation_home_blocks() -> list[tuple[str, dict]]:
    """The federation's home blocks, linking to its toolkit and launch pages if present."""
    hub = FederationHubPage.objects.live().first()
    launch = LaunchPage.objects.live().first()
    ways_in = [
        {
            "title": "La boîte à outils",
            "text": "Les fiches méthodologiques des quartiers : ateliers, cartographie, "
            "éducation aux médias, à reprendre et à adapter.",
            "page": hub,
            "path": "" if hub else "/ressources/",
            "link_text": "Ouvrir la boîte à outils",
        },
        {
            "title": "L'agenda du réseau",
            "text": "Formations, petits-déjeuners et tables rondes que les quartiers "
            "ouvrent à tout le réseau.",
            "page": None,
            "path": NETWORK_AGENDA_PATH,
            "link_text": "Voir l'agenda du réseau",
        },
        {
            "title": "Le podcast du réseau",
            "text": "Les émissions que les webradios des quartiers partagent, dans votre "
            "application de podcasts.",
            "page": None,
            "path": NETWORK_PODCAST_PATH,
            "link_text": "S'abonner au podcast",
        },
    ]
    if launch:
        ways_in.append(
            {
                "title": "Lancer un média dans votre quartier",
                "text": "Ce qu'il faut, qui contacter : la fédération vous accompagne.",
                "page": launch,
                "path": "",
                "link_text": "Lancer un média",
            }
        )
    return [
        (
            "hero",
            {
                "title": "Des médias citoyens, quartier par quartier",
                "text": "Dans chaque quartier pilote, des habitants racontent leur quotidien : "
                "reportages, webradio, agenda, petites annonces. La fédération les relie.",
                "link": launch,
                "link_text": "Lancer un média chez vous" if launch else "",
            },
        ),
        (
            "pilots",
            {
                "title": "Les quartiers pilotes",
                "text": "Chaque quartier a son média, porté par une structure locale. "
                "Cliquez pour y entrer.",
                "show_map": True,
            },
        ),
        ("network_shared", {"title": "Ce que racontent les quartiers", "count": 6}),
        ("latest", {"source": "news", "title": "Les nouvelles du réseau", "count": 3}),
        ("ways_in", {"title": "Rejoindre le réseau", "items": ways_in}),
    ]


def was_fitted(home: HomePage) -> bool:
    """Whether the federation's home page was given its own blocks already: it then no
    longer lists a neighbourhood's sources. What its editors changed since stays."""
    return not any(
        block.block_type == "latest" and block.value["source"] in NEIGHBOURHOOD_SOURCES
        for block in home.body
    )


def fit_home(kind: str) -> bool:
    """Give the federation's home page its blocks, once; True if it changed."""
    if kind != "federation":
        return False
    home = HomePage.objects.first()
    if home is None or was_fitted(home):
        return False
    home.body = federation_home_blocks()
    home.save_revision().publish()
    return True
