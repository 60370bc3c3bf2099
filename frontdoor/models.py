"""The federation's "launch a media in your neighbourhood" page and the requests it takes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from core.pages import SectionPage


class LaunchRequest(models.Model):
    """Someone who wants a citizen media in their neighbourhood, as they wrote to the
    federation; its staff read the requests in the admin ("Demandes de lancement")."""

    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle")
        ANSWERED = "answered", _("Contactée")
        CLOSED = "closed", _("Classée")

    name = models.CharField(_("nom"), max_length=120)
    structure = models.CharField(
        _("structure"),
        max_length=200,
        blank=True,
        help_text=_("Association, centre social, MJC, collectif d'habitants…"),
    )
    place = models.CharField(_("ville ou quartier"), max_length=200)
    email = models.EmailField(_("adresse e-mail"))
    message = models.TextField(_("message"), max_length=4000)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("demande de lancement")
        verbose_name_plural = _("demandes de lancement")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.place})"


class LaunchPage(RoutablePageMixin, SectionPage):
    """ "Lancer un média dans votre quartier": what it takes, whom to contact, a form."""

    what_it_takes = RichTextField(
        _("ce qu'il faut"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
    )
    contact = RichTextField(
        _("qui contacter"), blank=True, features=["bold", "italic", "link", "ul"]
    )

    content_panels = [
        *SectionPage.content_panels,
        FieldPanel("what_it_takes"),
        FieldPanel("contact"),
    ]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("page « lancer un média »")

    @path("", name="form")
    def form_route(self, request):
        from frontdoor.views import launch_form

        return launch_form(self, request)

    @path("demande-envoyee/", name="sent")
    def sent_route(self, request):
        from frontdoor.views import launch_sent

        return launch_sent(self, request)
