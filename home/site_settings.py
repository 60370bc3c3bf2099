"""A portal's identity, edited by its animators in Wagtail's settings menu."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    """WCAG contrast ratio between ``hex_colour`` and white text."""
    return 1.05 / (_luminance(hex_colour) + 0.05)


def validate_accent_colour(value: str) -> None:
    """The header shows white text on this colour: it must stay readable (WCAG AA)."""
    if not HEX_COLOUR.match(value):
        raise ValidationError(
            _("Saisissez une couleur au format #RRVVBB, par exemple #8a1c4a."), code="format"
        )
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "Cette couleur est trop claire pour du texte blanc (contraste %(ratio).1f:1, "
                "il faut au moins 4,5:1) : choisissez une teinte plus foncée."
            ),
            code="contrast",
            params={"ratio": ratio},
        )


# The headings' typefaces a portal may choose: free fonts (SIL OFL) served by the portal
# itself from core/static/core/fonts/ (no third-party font host: no visitor's address
# leaves for one). "" keeps the system's typeface, the fastest.
HEADING_FONTS = [
    ("", _("Police du système (la plus rapide)")),
    ("fraunces", _("Fraunces — à empattements, chaleureuse")),
    ("bitter", _("Bitter — à empattements carrés, robuste")),
    ("atkinson", _("Atkinson Hyperlegible — sans empattements, très lisible")),
    ("cairo", _("Cairo — sans empattements, latin et arabe")),
]


@register_setting(icon="home")
class PortalSettings(BaseGenericSetting):
    """Name, look and identity of the portal, shown in its header and footer."""

    name = models.CharField(_("nom du média"), max_length=120, blank=True)
    tagline = models.CharField(_("slogan"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accent_colour = models.CharField(
        _("couleur principale"),
        max_length=7,
        default="#8a1c4a",
        validators=[validate_accent_colour],
        help_text=_("Couleur du bandeau, au format #RRVVBB ; le texte y est blanc."),
    )
    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("bandeau de la page d'accueil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Une photo large du quartier (1600 sur 400 px au moins), en tête de l'accueil."
        ),
    )
    heading_font = models.CharField(
        _("police des titres"),
        max_length=20,
        blank=True,
        default="",
        choices=HEADING_FONTS,
        help_text=_("Des polices libres, servies par le portail lui-même."),
    )
    carrying_structure = models.CharField(_("structure porteuse"), max_length=200, blank=True)
    scic_name = models.CharField(_("SCIC"), max_length=200, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    legal_text = models.TextField(
        _("mentions légales (pied de page)"),
        blank=True,
        help_text=_("Directeur ou directrice de la publication, hébergeur…"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("logo")],
            heading=_("Identité"),
        ),
        MultiFieldPanel(
            [FieldPanel("accent_colour"), FieldPanel("heading_font"), FieldPanel("banner")],
            heading=_("Apparence"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("carrying_structure"),
                FieldPanel("scic_name"),
                FieldPanel("address"),
                FieldPanel("contact_email"),
                FieldPanel("phone"),
            ],
            heading=_("Structure et contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("mastodon_url"),
                FieldPanel("instagram_url"),
                FieldPanel("facebook_url"),
                FieldPanel("youtube_url"),
            ],
            heading=_("Réseaux sociaux"),
        ),
        FieldPanel("legal_text"),
    ]

    class Meta:
        verbose_name = _("identité du portail")

    @property
    def heading_font_stylesheet(self) -> str:
        """The static stylesheet of the chosen headings' typeface, "" for the system's (or
        an unknown value: never a missing file)."""
        known = {key for key, _label in HEADING_FONTS if key}
        return f"core/fonts/{self.heading_font}.css" if self.heading_font in known else ""

    @property
    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("Mastodon", self.mastodon_url),
            ("Instagram", self.instagram_url),
            ("Facebook", self.facebook_url),
            ("YouTube", self.youtube_url),
        ]
        return [(label, url) for label, url in links if url]
