from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdoorConfig(AppConfig):
    """The federation's front door: the network's pilots, what they share, and the
    requests of people who want to launch a media in their own neighbourhood."""

    name = "frontdoor"
    verbose_name = _("Porte d'entrée du réseau")
