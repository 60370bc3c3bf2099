"""Demo text of the federation's "launch a media" page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdoor.models import LaunchPage

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

WHAT_IT_TAKES = (
    "<p>Un média de quartier tient sur trois appuis, que la fédération aide à réunir.</p>"
    "<ul>"
    "<li><b>Une structure qui le porte</b> : centre social, MJC, régie de quartier ou "
    "association déjà connue des habitants, prête à accueillir l'équipe.</li>"
    "<li><b>Une animatrice ou un animateur</b> de média citoyen, formé par le réseau puis "
    "accompagné trois à quatre ans, jusqu'à ce que l'équipe vole de ses propres ailes.</li>"
    "<li><b>Des habitants et des acteurs locaux</b> qui veulent raconter leur quartier : "
    "ateliers d'écriture, émissions de radio, cartographie des lieux qui comptent.</li>"
    "</ul>"
    "<p>La fédération ouvre le portail (actualités, agenda, petites annonces, webradio, "
    "blogs), partage ses fiches méthodologiques et met l'équipe en lien avec les quartiers "
    "pilotes. À terme, une SCIC locale réunit habitants, structures et partenaires autour "
    "du média.</p>"
)
CONTACT = (
    "<p>Écrivez-nous avec le formulaire ci-dessous : l'équipe de la fédération vous "
    "rappelle pour un premier échange, puis vous propose de rencontrer un quartier pilote "
    "près de chez vous.</p>"
    "<p>Vous pouvez aussi venir à un petit-déjeuner du réseau : les dates sont dans "
    '<a href="/reseau/agenda/">l\'agenda du réseau</a>.</p>'
)


def seed_launch_page(portal: Neighbourhood) -> None:
    """Fill the federation's launch page once (left alone once written)."""
    page = LaunchPage.objects.first()
    if page is None or page.what_it_takes:
        return
    page.intro = (
        "<p>Un média citoyen fait par et pour les habitants, dans votre ville ou votre "
        "quartier : voici comment les quartiers pilotes s'y sont pris.</p>"
    )
    page.what_it_takes = WHAT_IT_TAKES
    page.contact = CONTACT
    page.save_revision().publish()
