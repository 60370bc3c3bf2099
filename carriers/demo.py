"""Demo content of the carriers: partners with their logos, the free pages, the SCIC."""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from carriers.models import FreePage, Partner, ScicPage
from carriers.public import partners
from core.demo_pages import publish_new_child

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

# Made-up organisations, of the kinds that fund and accompany citizen media.
DEMO_PARTNERS = [
    ("Fonds régional pour la vie associative", Partner.Kind.FUNDER, "#1d4ed8"),
    ("Ville — mission démocratie locale", Partner.Kind.FUNDER, "#b91c1c"),
    ("Fondation Lien de quartier", Partner.Kind.FUNDER, "#047857"),
    ("Centre social des Tilleuls", Partner.Kind.PARTNER, "#7c3aed"),
    ("Radio associative Ondes Libres", Partner.Kind.PARTNER, "#c2410c"),
    ("Réseau des médias de proximité", Partner.Kind.NETWORK, "#0f766e"),
]


def _logo(name: str, colour: str):
    """A plain logo: the organisation's initials on its colour (PNG, 320 by 160)."""
    words = [word for word in name.replace("—", " ").split() if len(word) > 3]
    initials = "".join(word[0].upper() for word in words)
    picture = PILImage.new("RGB", (320, 160), colour)
    ImageDraw.Draw(picture).text((24, 56), initials[:4], fill="white", font_size=64)
    data = io.BytesIO()
    picture.save(data, "PNG")
    slug = "".join(char for char in initials.lower() if char.isalnum()) or "logo"
    image = get_image_model()(title=f"Logo {name}")
    image.file = ImageFile(ContentFile(data.getvalue()), name=f"logo-{slug}.png")
    image.save()
    return image


def seed_partners() -> None:
    """The partners and funders, once."""
    if Partner.objects.exists():
        return
    for order, (name, kind, colour) in enumerate(DEMO_PARTNERS):
        Partner.objects.create(
            name=name,
            kind=kind,
            logo=_logo(name, colour),
            logo_alt=name,
            url="https://example.org/",
            sort_order=order,
        )


def _paragraph(html: str) -> tuple[str, str]:
    return ("paragraph", html)


def seed_free_pages(portal: Neighbourhood) -> None:
    """ "À propos" written, with "Nous rejoindre" under it, and the legal notice."""
    about = FreePage.objects.filter(slug="a-propos").first()
    if about is None or about.body:
        return
    about.intro = (
        f"<p>{portal.name} est le média citoyen de {portal.city} : des habitants, une "
        "équipe d'animation et des partenaires qui racontent le quartier ensemble.</p>"
    )
    about.body = [
        ("heading", {"text": "Ce que nous faisons", "level": "h2"}),
        _paragraph(
            "<p>Reportages, webradio, agenda et petites annonces : chacun peut proposer un "
            "sujet, tendre le micro ou tenir un blog. L'équipe accompagne, relit et forme "
            "à l'écriture et au son.</p>"
        ),
        ("heading", {"text": "Comment nous travaillons", "level": "h2"}),
        _paragraph(
            "<ul><li>des conférences de rédaction ouvertes chaque mois ;</li>"
            "<li>des ateliers participatifs avec les acteurs du quartier ;</li>"
            "<li>une méthode partagée avec les autres portails du réseau.</li></ul>"
        ),
    ]
    about.save_revision().publish()
    publish_new_child(
        about,
        FreePage(
            title="Nous rejoindre",
            slug="nous-rejoindre",
            intro="<p>Pas besoin d'être journaliste pour raconter son quartier.</p>",
            body=[
                _paragraph(
                    "<p>Venez à une conférence de rédaction, proposez un sujet depuis le "
                    "formulaire « Participer » ou écrivez-nous. Une demi-journée de prise en "
                    "main vous attend : écrire, enregistrer, publier.</p>"
                )
            ],
        ),
    )
    home = about.get_parent()
    publish_new_child(
        home,
        FreePage(
            title="Mentions légales",
            slug="mentions-legales",
            intro=f"<p>{portal.name} est édité par {portal.carrying_structure}.</p>",
            body=[
                ("heading", {"text": "Données personnelles", "level": "h2"}),
                _paragraph(
                    "<p>Les adresses données pour une annonce, une inscription ou "
                    "l'infolettre servent à cela seulement, et sont effacées à la demande.</p>"
                ),
            ],
        ),
    )


def _document(title: str, filename: str, text: str, collection=None):
    document = get_document_model()(title=title)
    if collection is not None:
        document.collection = collection
    document.file.save(filename, ContentFile(text.encode()), save=False)
    document.save()
    return document


def _members_collection():
    """The members' collection: its documents are served to logged-in people only."""
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name="Sociétaires").first()
    if found is None:
        found = root.add_child(name="Sociétaires")
        CollectionViewRestriction.objects.create(
            collection=found, restriction_type=CollectionViewRestriction.LOGIN
        )
    return found


def seed_scic(portal: Neighbourhood) -> None:
    """The cooperative's colleges, how to join, and two general assemblies."""
    scic = ScicPage.objects.first()
    if scic is None or scic.colleges:
        return
    members = _members_collection()
    today = datetime.date.today()
    last_year = today.replace(year=today.year - 1, month=6, day=14)
    two_years = today.replace(year=today.year - 2, month=6, day=10)
    scic.colleges = [
        (
            "college",
            {
                "name": "Habitants",
                "description": "Les habitants qui écrivent, enregistrent ou soutiennent le média.",
                "members": 48,
                "vote_share": 30,
            },
        ),
        (
            "college",
            {
                "name": "Salariés et animateurs",
                "description": "L'équipe qui anime les portails au quotidien.",
                "members": 9,
                "vote_share": 20,
            },
        ),
        (
            "college",
            {
                "name": "Associations et acteurs locaux",
                "description": "Centres sociaux, tiers-lieux, associations de locataires.",
                "members": 17,
                "vote_share": 30,
            },
        ),
        (
            "college",
            {
                "name": "Collectivités et partenaires",
                "description": "Les villes et les partenaires qui accompagnent le projet.",
                "members": 4,
                "vote_share": 20,
            },
        ),
    ]
    scic.membership = (
        "<p>Une part sociale coûte 20 €. Chaque sociétaire a une voix dans son collège et "
        "participe à l'assemblée générale annuelle.</p>"
        "<ol><li>Choisissez votre collège.</li><li>Remplissez le bulletin de souscription."
        "</li><li>Venez à la prochaine assemblée.</li></ol>"
    )
    scic.assemblies = [
        (
            "assembly",
            {
                "date": last_year,
                "title": f"Assemblée générale {last_year.year}",
                "place": f"Maison de quartier, {portal.city}",
                "summary": "<p>Comptes approuvés, deux nouveaux quartiers accueillis.</p>",
                "documents": [
                    {
                        "document": _document(
                            f"Rapport d'activité {last_year.year}",
                            f"rapport-activite-{last_year.year}.txt",
                            "Rapport d'activité de la coopérative.\n",
                        ),
                        "label": "",
                    },
                    {
                        "document": _document(
                            f"Procès-verbal détaillé {last_year.year}",
                            f"pv-detaille-{last_year.year}.txt",
                            "Procès-verbal réservé aux sociétaires.\n",
                            collection=members,
                        ),
                        "label": "",
                    },
                ],
            },
        ),
        (
            "assembly",
            {
                "date": two_years,
                "title": f"Assemblée générale {two_years.year}",
                "place": f"Centre social, {portal.city}",
                "summary": "<p>Création du collège des associations et acteurs locaux.</p>",
                "documents": [],
            },
        ),
    ]
    scic.save_revision().publish()


def seed_carriers(portal: Neighbourhood) -> None:
    """Partners, free pages and the SCIC's page of the demo, where missing."""
    seed_partners()
    seed_free_pages(portal)
    seed_scic(portal)
    # The logos' renditions now, not at a visitor's first page.
    for partner in partners():
        partner.logo.get_rendition("max-160x80")
