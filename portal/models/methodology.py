"""The methodology section (its sheets come with the federation's work)."""

from django.utils.translation import gettext_lazy as _

from core.pages import SectionPage


class MethodologyIndexPage(SectionPage):
    """Methodology sheets of the portal ("Méthodologie")."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("rubrique Méthodologie")
