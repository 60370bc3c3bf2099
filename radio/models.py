"""The webradio and the webTV."""

from core.pages import SectionPage


class RadioPage(SectionPage):
    """The radio and TV section ("Radio & TV")."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = "rubrique Radio & TV"
