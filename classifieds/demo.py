"""Demo classifieds of a portal: a few ads of every category and every state."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from classifieds.models import Classified, ClassifiedCategory, ClassifiedStatusChange

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

Status = Classified.Status

# (category slug, kind, title, text, price kind, price, area, status)
ADS = [
    (
        "services-entraide",
        "offer",
        "Aide aux devoirs le mercredi",
        "Étudiante en licence de maths, j'aide les collégiens du quartier le mercredi "
        "après-midi à la médiathèque.",
        "free",
        None,
        "Médiathèque",
        Status.PUBLISHED,
    ),
    (
        "objets",
        "offer",
        "Poussette en bon état",
        "Poussette pliable, utilisée pour un enfant, à venir chercher au pied de l'immeuble.",
        "amount",
        "25",
        "Rue des Lilas",
        Status.PUBLISHED,
    ),
    (
        "emploi-formation",
        "request",
        "Cherche stage de 3e en boulangerie",
        "Mon fils cherche un stage d'observation d'une semaine en décembre.",
        "free",
        None,
        "",
        Status.PUBLISHED,
    ),
    (
        "logement",
        "request",
        "Échange T2 contre T3 dans le quartier",
        "Locataire du bailleur social, je cherche un échange pour une pièce de plus.",
        "exchange",
        None,
        "Cité des Fleurs",
        Status.AWAITING_MODERATION,
    ),
    (
        "sorties-evenements",
        "offer",
        "Sortie au bord de mer en car",
        "Le comité des fêtes organise une journée à Deauville, il reste dix places.",
        "amount",
        "8",
        "Place du marché",
        Status.PUBLISHED,
    ),
    (
        "perdu-trouve",
        "offer",
        "Trousseau de clés trouvé",
        "Trouvé près de l'arrêt de bus, porte-clés rouge. Décrivez-le pour le récupérer.",
        "free",
        None,
        "Arrêt Mairie",
        Status.AWAITING_CONFIRMATION,
    ),
    (
        "objets",
        "offer",
        "Vends console avec jeux",
        "Texte publicitaire sans rapport avec le quartier.",
        "amount",
        "300",
        "",
        Status.REJECTED,
    ),
    (
        "services-entraide",
        "request",
        "Qui peut m'aider à monter un meuble ?",
        "Merci d'avance, je prépare le café !",
        "exchange",
        None,
        "Bâtiment C",
        Status.EXPIRED,
    ),
    (
        "objets",
        "offer",
        "Lot de livres pour enfants",
        "Déjà donnés, merci à tous !",
        "free",
        None,
        "",
        Status.WITHDRAWN,
    ),
]


def seed_classifieds(portal: Neighbourhood) -> None:
    """Add the demo ads to a neighbourhood's portal, once (bulk: no e-mail is sent)."""
    if portal.kind == "federation" or Classified.objects.exists():
        return
    categories = {category.slug: category for category in ClassifiedCategory.objects.all()}
    now = timezone.now()
    ads = []
    for number, (slug, kind, title, text, price_kind, price, area, status) in enumerate(ADS):
        if slug not in categories:
            continue
        created = now - datetime.timedelta(days=len(ADS) - number)
        seen = status not in (Status.AWAITING_CONFIRMATION,)
        published = status in (Status.PUBLISHED, Status.EXPIRED, Status.WITHDRAWN)
        expires = now + datetime.timedelta(days=25 - number)
        if status == Status.EXPIRED:
            expires = now - datetime.timedelta(days=1)
        ads.append(
            Classified(
                kind=kind,
                category=categories[slug],
                title=title,
                text=text,
                price_kind=price_kind,
                price=price,
                area=area,
                author_name=f"Voisin·e {number + 1}",
                author_email=f"voisin{number + 1}@{portal.schema_name}.quartiers.example",
                status=status,
                created_at=created,
                confirmed_at=created if seen else None,
                published_at=created if published else None,
                expires_at=expires if published else None,
                reminder_sent_at=expires if status == Status.EXPIRED else None,
            )
        )
    Classified.objects.bulk_create(ads)
    ClassifiedStatusChange.objects.bulk_create(
        ClassifiedStatusChange(
            classified=ad,
            from_status="",
            to_status=ad.status,
            actor=ClassifiedStatusChange.Actor.SYSTEM,
            reason="Annonce de démonstration",
            at=ad.created_at,
        )
        for ad in ads
    )
