"""Residents' classifieds."""

from core.pages import SectionPage


class ClassifiedsPage(SectionPage):
    """The classifieds section ("Petites annonces")."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = "rubrique Petites annonces"
