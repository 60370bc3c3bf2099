"""Demo content of a portal's sections: a few articles."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from portal.models import ArticleIndexPage, ArticlePage

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

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
    """Publish two articles in the news section, where missing."""
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
