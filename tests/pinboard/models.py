"""The pinboard: a section where a portal pins short notes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.pages import SectionPage


class PinboardPage(SectionPage):
    """The portal's pinboard: its introduction, then every pin, newest first."""

    template = "pinboard/pinboard_page.html"

    class Meta:
        verbose_name = _("tableau d'affichage")

    def get_context(self, request, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["pins"] = Pin.objects.order_by("-created_at", "-pk")
        return context


class Pin(models.Model):
    """A short note pinned on the board."""

    text = models.CharField(_("texte"), max_length=200)
    created_at = models.DateTimeField(_("épinglée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("punaise")

    def __str__(self) -> str:
        return self.text
