from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    """What each portal achieves, from the folded daily indicators: the animators'
    dashboard, the federation's comparison, the exports and the printable bilan."""

    name = "observatory"
    verbose_name = _("Observatoire")
