"""The demo's animators' space: a sheet, the training calendar, a recording, and cards in
the directory for the demo's animators. Added only where missing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.demo_pages import publish_new_child
from network_space.directory.models import DirectoryEntry
from network_space.models import InternalSheetPage, RecordingPage, TrainingCalendarPage
from network_space.space import ensure_space
from tenants.accounts import NetworkAccount

SHEET_BODY = [
    ("heading", {"text": "Avant le comité", "level": "h2"}),
    (
        "paragraph",
        "<p>Envoyez l'ordre du jour trois jours avant : les sujets proposés par les "
        "habitants, les reportages en cours, l'agenda du mois. Prévoyez une personne qui "
        "anime et une qui prend les notes, et changez chaque mois.</p>",
    ),
    ("heading", {"text": "Pendant le comité", "level": "h2"}),
    (
        "paragraph",
        "<ul><li>Tour de table des sujets : deux minutes chacun, sans débat.</li>"
        "<li>Choix des sujets du mois : qui écrit, qui photographie, qui relit.</li>"
        "<li>Relecture croisée : chaque article est relu par quelqu'un qui ne l'a pas "
        "écrit.</li><li>Les règles de publication : pas de nom de mineur sans accord "
        "des parents, pas de photo d'habitant sans son accord.</li></ul>",
    ),
    ("heading", {"text": "Après le comité", "level": "h2"}),
    (
        "paragraph",
        "<p>Publiez le compte rendu dans l'admin du portail (page libre « Comité de "
        "rédaction ») et remerciez les habitants qui sont venus : c'est ce qui les fait "
        "revenir.</p>",
    ),
]

RECORDING_BODY = [
    (
        "embed",
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
    ),
    (
        "paragraph",
        "<p>Deux heures avec l'équipe de Franc-Moisin TV : préparer un plateau, faire "
        "parler des habitants intimidés par le micro, monter en une soirée.</p>",
    ),
]


def _sessions(today: datetime.date) -> list[tuple[str, dict]]:
    def session(days: int, title: str, place: str, description: str) -> tuple[str, dict]:
        return (
            "session",
            {
                "date": today + datetime.timedelta(days=days),
                "time": datetime.time(18, 30),
                "title": title,
                "place": place,
                "description": description,
                "link": "",
            },
        )

    return [
        session(
            12,
            "Animer un comité de rédaction",
            "Centre social Le Picoulet, Paris 20e",
            "Méthode, rôles, relecture croisée : la fiche interne, pratiquée ensemble.",
        ),
        session(
            26,
            "Le son en reportage : enregistrer dehors",
            "En visio",
            "Micros, vent, autorisations : ce qui marche avec un téléphone.",
        ),
        session(
            47,
            "Droit à l'image et mineurs",
            "Fédération, Paris 11e",
            "Avec une juriste : ce qu'on publie, ce qu'on floute, ce qu'on demande.",
        ),
        session(
            -20,
            "Prise en main de l'admin du portail",
            "En visio",
            "Pages, brouillons, modération des annonces.",
        ),
    ]


def seed_space() -> None:
    """The federation's space with a sheet, the calendar and a recording, if missing."""
    space = ensure_space()
    if space is None or space.get_children().exists():
        return
    publish_new_child(
        space,
        InternalSheetPage(
            title="Fiche interne : animer un comité de rédaction",
            slug="animer-un-comite-de-redaction",
            intro="<p>Une heure et demie par mois, pour décider ensemble de ce que le "
            "média raconte : la méthode que les quartiers pilotes ont rodée.</p>",
            body=SHEET_BODY,
        ),
    )
    publish_new_child(
        space,
        TrainingCalendarPage(
            title="Calendrier des formations",
            slug="calendrier-des-formations",
            intro="<p>Les formations du réseau, ouvertes à tous les animateurs et "
            "animatrices. Inscrivez-vous auprès de la fédération.</p>",
            sessions=_sessions(timezone.localdate()),
        ),
    )
    publish_new_child(
        space,
        RecordingPage(
            title="Enregistrement : tourner un plateau de quartier",
            slug="tourner-un-plateau-de-quartier",
            recorded_on=timezone.localdate() - datetime.timedelta(days=40),
            intro="<p>La formation de l'automne, filmée : un plateau en bas des tours, "
            "de la préparation au montage.</p>",
            body=RECORDING_BODY,
        ),
    )


DEMO_CARDS = {
    "sam@quartiers.example": {
        "name": "Sam Benali",
        "email": "sam@quartiers.example",
        "skills": "Comités de rédaction, montage son, arabe",
    },
    "animation@federation.quartiers.example": {
        "name": "Claire Moreau",
        "email": "animation@federation.quartiers.example",
        "skills": "Formations du réseau, accompagnement des nouveaux médias",
    },
    "animation@belleville.quartiers.example": {
        "name": "Nadia Cherif",
        "phone": "06 12 34 56 78",
        "skills": "Webradio, ateliers d'écriture avec les collégiens",
    },
    "animation@lachapelle.quartiers.example": {"name": "Moussa Traoré"},
    "animation@francmoisin.quartiers.example": {
        "name": "Thiago Almeida",
        "email": "animation@francmoisin.quartiers.example",
        "skills": "Tournage, plateaux en extérieur, portugais",
    },
    "animation@picasso.quartiers.example": {"name": "Awa Diallo"},
    "animation@grandeborne.quartiers.example": {
        "name": "Karim Haddad",
        "skills": "Photo de reportage, droit à l'image",
    },
    "animation@valfourre.quartiers.example": {"name": "Elif Yilmaz", "skills": "Turc, podcasts"},
    "animation@bosquets.quartiers.example": {"name": "Julie Martin"},
    "animation@courtillieres.quartiers.example": {"name": "Rachid Amrani"},
    "animation@valdargent.quartiers.example": {
        "name": "Lucía Fernández",
        "skills": "Espagnol, cartographie participative",
    },
}


def seed_directory() -> None:
    """Cards for the demo's animators who have none (in ``public``)."""
    accounts = NetworkAccount.objects.filter(email__in=DEMO_CARDS).exclude(
        directory_entry__isnull=False
    )
    for account in accounts:
        DirectoryEntry.objects.create(account=account, **DEMO_CARDS[account.email])
