"""Demo reactions: a few published ones under the demo articles, one with the team's reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from wagtail.models import Page

from reactions.models import Reaction, ReactionAddress

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

# (name, text, editorial reply)
REACTIONS = [
    (
        "Mireille",
        "Merci pour cet article ! J'habite le quartier depuis trente ans et je ne savais pas.",
        "",
    ),
    (
        "Karim",
        "Est-ce qu'il y aura une suite ? J'aimerais savoir ce que la mairie en pense.",
        "Oui : nous avons demandé un entretien, le prochain article en parlera.",
    ),
    ("Awa", "Très bonne initiative, j'en parlerai à l'amicale des locataires.", ""),
]


def seed_reactions(portal: Neighbourhood) -> None:
    """Published reactions on the two newest demo articles (no e-mail sent), once."""
    if Reaction.objects.exists():
        return
    articles = (
        Page.objects.live()
        .public()
        .filter(content_type__app_label="portal", content_type__model="articlepage")
        .order_by("-first_published_at", "-pk")[:2]
    )
    now = timezone.now()
    for article in articles:
        for name, text, reply in REACTIONS:
            email = f"{name.lower()}@{portal.schema_name}.quartiers.example"
            ReactionAddress.objects.get_or_create(email=email, defaults={"confirmed_at": now})
            Reaction.objects.create(
                page=article,
                name=name,
                email=email,
                text=text,
                status=Reaction.Status.PUBLISHED,
                published_at=now,
                reply=reply,
                replied_at=now if reply else None,
            )
