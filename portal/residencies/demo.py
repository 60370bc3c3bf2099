"""Demo content of the residencies: in each demo neighbourhood, the network's media team in
residence since about ten weeks, with what its phases produced.

Runs after the other features' demo content (it links their articles, workshop, events,
episodes, sheets and partners) and is idempotent: the residency is found by its slug.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils import timezone
from wagtail.models import Page

from core.demo_pages import publish_new_child
from portal.demo import cover_before_publishing
from portal.models import (
    ArticleIndexPage,
    ArticlePage,
    EventPage,
    MethodologyPage,
    ResidencyIndexPage,
    ResidencyPage,
    WorkshopPage,
)
from portal.residencies.blocks import PhaseKind, Scope

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

RESIDENCY_SLUG = "residence-media"
ARRIVAL_SLUG = "une-equipe-en-residence"
TEAM = "l'équipe mobile de la Fédération Quartiers"

# What each module is for here, by the sheet's module (``MethodologyPage.Module``).
MODULE_NOTES = {
    "mapping": "Trois balades repérage avec les habitants, puis la carte mise en ligne.",
    "round_table": "Une table ronde par semaine de présence, chaque fois dans un autre lieu.",
    "media_literacy": "Six séances avec les apprentis du CFA et le groupe jeunes de la MJC.",
    "pitch": "Une journée pour les porteurs de projet repérés pendant la cartographie.",
    "breakfast": "Tous les deux mois pendant le suivi, au café associatif.",
    "workshop": "Les besoins repérés deviennent des graines de projet.",
}

# (name, scope, role) of the organisations that are not among the portal's partners.
ORGANISATIONS = [
    ("Médiathèque", Scope.LOCAL, "Accueille l'équipe et les ateliers pendant les immersions"),
    ("Mairie de quartier", Scope.LOCAL, "Co-organise la restitution"),
    ("Fab lab du quartier", Scope.LOCAL, "Prête son studio pour les enregistrements"),
    ("Centre de formation des apprentis", Scope.LOCAL, "Cycle d'éducation aux médias"),
    (
        "Laboratoire de sciences de l'information de l'université",
        Scope.EXTERNAL,
        "Observe la résidence et en tire un retour d'expérience",
    ),
]
# The portal's partners (carriers' demo) taking part, by name, with their role.
PARTNER_ROLES = {
    "Fonds régional pour la vie associative": (Scope.EXTERNAL, "Finance la résidence"),
    "Réseau des médias de proximité": (Scope.EXTERNAL, "Forme les habitants-reporters"),
    "Centre social des Tilleuls": (Scope.LOCAL, "Relais auprès des familles"),
}


def seed_residency(portal: Neighbourhood) -> None:
    """One residency in a neighbourhood portal, begun ten weeks ago, once."""
    section = ResidencyIndexPage.objects.filter(locale__language_code="fr").first()
    if portal.kind != "neighbourhood" or section is None:
        return
    if ResidencyPage.objects.filter(slug=RESIDENCY_SLUG).exists():
        return
    today = timezone.localdate()
    territory = portal.territory or portal.city
    residency = ResidencyPage(
        title=f"Résidence média : {territory}",
        slug=RESIDENCY_SLUG,
        territory=territory,
        team=TEAM,
        starts_on=_day(today, -75),
        ends_on=_day(today, 27 + 182),
        intro=(
            "<p>Pendant quatre mois, une équipe du réseau vient une semaine par mois dans le "
            "quartier : cartographier avec les habitants, réunir les acteurs, former des "
            "reporters. Puis elle revient pendant six mois, aux rendez-vous fixés ensemble.</p>"
        ),
        phases=_phases(today, _arrival_article(today)),
        modules=[
            ("module", {"sheet": sheet, "note": MODULE_NOTES.get(sheet.module, "")})
            for sheet in MethodologyPage.objects.live().order_by("module", "pk")
        ],
        partners=_partners(),
    )
    publish_new_child(section, residency)


def _day(today: datetime.date, days: int) -> datetime.date:
    return today + datetime.timedelta(days=days)


def _arrival_article(today: datetime.date) -> ArticlePage | None:
    """The news of the team's arrival, published during its first week."""
    news = ArticleIndexPage.objects.filter(locale__language_code="fr").first()
    if news is None:
        return None
    existing = news.get_children().filter(slug=ARRIVAL_SLUG).first()
    if existing:
        return existing.specific
    article = ArticlePage(
        title="Une équipe du réseau en résidence dans le quartier",
        slug=ARRIVAL_SLUG,
        date=_day(today, -47),
        intro=(
            "<p>Journalistes et animateurs s'installent une semaine par mois à la "
            "médiathèque : venez leur raconter le quartier.</p>"
        ),
        body=[
            (
                "paragraph",
                "<p>Premier rendez-vous jeudi à 18 h pour une balade repérage : on note les "
                "lieux qui comptent, ceux qui manquent, et les personnes à rencontrer.</p>",
            )
        ],
        authors="L'équipe en résidence",
    )
    publish_new_child(news, article, before_publishing=cover_before_publishing)
    return article


def _phases(today: datetime.date, arrival: ArticlePage | None) -> list[tuple[str, dict]]:
    workshop = WorkshopPage.objects.live().order_by("-date").first()
    round_table = EventPage.objects.filter(slug="round-table-passe").first()
    article = ArticlePage.objects.filter(slug="table-ronde-paroles-de-territoires").first()
    episode = _episode("portrait-gardienne")
    screening = EventPage.objects.filter(slug="other-a-venir").first()
    breakfast = EventPage.objects.filter(slug="breakfast-a-venir").first()
    return [
        _phase(
            PhaseKind.PREFIGURATION,
            "Préparer l'arrivée avec les acteurs du quartier",
            _day(today, -75),
            _day(today, -55),
            "<p>Rencontres avec le centre social, la mairie de quartier et la médiathèque ; "
            "choix des modules et des lieux d'accueil.</p>",
            [],
        ),
        _phase(
            PhaseKind.IMMERSION,
            "Première semaine sur place : repérer",
            _day(today, -49),
            _day(today, -45),
            "<p>Balades repérage et entretiens au marché : ce qui fait vivre le quartier, "
            "ce qui lui manque.</p>",
            [arrival],
        ),
        _phase(
            PhaseKind.IMMERSION,
            "Deuxième semaine : cartographier et débattre",
            _day(today, -22),
            _day(today, -18),
            "<p>Atelier de cartographie coopérative, puis une première table ronde "
            "« Paroles de territoires ».</p>",
            [workshop, round_table],
        ),
        _phase(
            PhaseKind.IMMERSION,
            "Troisième semaine : raconter",
            _day(today, -7),
            today,
            "<p>Les habitants-reporters publient leurs premiers articles et tournent un "
            "portrait pour la webTV.</p>",
            [article, episode],
        ),
        _phase(
            PhaseKind.RESTITUTION,
            "Soirée de restitution",
            _day(today, 26),
            None,
            "<p>Projection, carte imprimée, présentation des graines de projet : le quartier "
            "se voit tel qu'il s'est raconté.</p>",
            [screening],
        ),
        _phase(
            PhaseKind.FOLLOW_UP,
            "Six mois de rendez-vous",
            _day(today, 27),
            _day(today, 27 + 182),
            "<p>Un petit-déjeuner réseau tous les deux mois et un point d'étape avec les "
            "groupes d'action.</p>",
            [breakfast],
        ),
    ]


def _phase(kind, title, starts_on, ends_on, text, outputs) -> tuple[str, dict]:
    return (
        "phase",
        {
            "kind": kind,
            "title": title,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "text": text,
            "outputs": [page for page in outputs if page is not None],
        },
    )


def _episode(slug: str) -> Page | None:
    """A demo episode of the portal's webTV, by slug: radio is a sibling app, named only."""
    if not apps.is_installed("radio"):
        return None
    episode_model = apps.get_model("radio", "EpisodePage")
    return episode_model.objects.live().filter(slug=slug).first()


def _partners() -> list[tuple[str, dict]]:
    partner_model = apps.get_model("carriers", "Partner") if apps.is_installed("carriers") else None
    blocks: list[tuple[str, dict]] = []
    if partner_model is not None:
        for partner in partner_model.objects.filter(name__in=PARTNER_ROLES):
            scope, role = PARTNER_ROLES[partner.name]
            blocks.append(("partner", {"partner": partner, "scope": scope, "role": role}))
    blocks += [
        ("organisation", {"name": name, "scope": scope, "role": role, "url": ""})
        for name, scope, role in ORGANISATIONS
    ]
    return blocks
