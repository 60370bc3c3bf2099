"""Demo content of a portal's sections: their introductions and a few articles."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from portal.models import ArticleIndexPage, ArticlePage
from core.pages import SectionPage

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

SECTION_INTROS = {
    "actualites": "Les nouvelles du quartier, écrites par l'équipe et par les habitants.",
    "agenda": "Tables rondes, ateliers, formations et petits-déjeuners du réseau.",
    "petites-annonces": "Donner, prêter, échanger, proposer un coup de main entre voisins.",
    "radio-tv": "La webradio et la webTV du quartier : émissions, podcasts et vidéos.",
    "blogs": "Les habitants et les collectifs du quartier prennent la plume.",
    "methodologie": "Comment nous faisons : nos fiches, à reprendre et adapter.",
}

ARTICLES = [
    (
        "La conférence de rédaction ouvre ses portes",
        "conference-de-redaction",
        "Chaque mardi à 18 h, habitants et animateurs choisissent ensemble les sujets.",
        "Pas besoin d'expérience : venez avec une idée, une question ou une photo. "
        "L'équipe d'animation accompagne chaque reportage jusqu'à sa publication.",
    ),
    (
        "Retour sur la table ronde « Paroles de territoires »",
        "table-ronde-paroles-de-territoires",
        "Associations, bailleur et habitants ont fait l'état des lieux du quartier.",
        "Mobilité, commerces de proximité, lieux pour les jeunes : trois groupes de travail "
        "sont nés de la soirée. Le compte rendu complet est à lire dans le prochain journal.",
    ),
]


def seed_portal(portal: Neighbourhood) -> None:
    """Introduce each section and publish two articles, where missing."""
    for section_class in SectionPage.__subclasses__():
        for section in section_class.objects.filter(intro=""):
            intro = SECTION_INTROS.get(section.slug)
            if intro:
                section.intro = f"<p>{intro}</p>"
                section.save_revision().publish()
    news = ArticleIndexPage.objects.first()
    if news is None:
        return
    today = timezone.localdate()
    for days_ago, (title, slug, intro, text) in enumerate(ARTICLES):
        if ArticlePage.objects.child_of(news).filter(slug=slug).exists():
            continue
        article = ArticlePage(
            title=title,
            slug=slug,
            date=today - datetime.timedelta(days=7 * days_ago),
            intro=f"<p>{intro}</p>",
            body=[("paragraph", f"<p>{text}</p>")],
        )
        news.add_child(instance=article)
        article.save_revision().publish()
