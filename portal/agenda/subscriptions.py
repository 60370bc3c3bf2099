"""Other agendas in ours: the iCal feeds a portal's animators subscribe its agenda to.

A ``AgendaSubscription`` is one outside calendar (a Mobilizon group's, a town hall's);
``ImportedEvent`` remembers, for each event of it (its ``UID``), the page it became, so
that each run of ``import_agendas`` (``portal.agenda.ical_import``) adds, changes and
removes pages instead of copying them again. Both live in the portal's schema.
"""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel

# Only the web: a "file:", "ftp:" or "javascript:" address has no business here (the
# fetch would refuse it too, core.outbound, but the animator learns it at once).
web_address = URLValidator(
    schemes=["http", "https"],
    message=_("Saisissez l'adresse web (http:// ou https://) d'un agenda au format iCal."),
)


class FeedAddressField(forms.URLField):
    """A feed's address in a form: the web only, said in one French sentence. Calendar
    applications hand out ``webcal://`` links: the same address over https."""

    default_validators = [web_address]
    # A form field puts its own "invalid" message over its validators': say ours.
    default_error_messages = {"invalid": web_address.message}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value: str | None) -> str:
        value = (value or "").strip()
        if value.lower().startswith("webcal://"):
            value = "https://" + value[len("webcal://") :]
        return super().to_python(value)


class AgendaSubscriptionForm(WagtailAdminModelForm):
    """The admin's form: the address checked by ``FeedAddressField``."""

    url = FeedAddressField(
        label=_("adresse du flux iCal"),
        max_length=500,
        help_text=_(
            "L'adresse du fichier .ics (https://…). Elle n'est jamais montrée aux visiteurs : "
            "une adresse privée peut contenir une clé."
        ),
    )


class AgendaSubscriptionQuerySet(models.QuerySet):
    def active(self) -> AgendaSubscriptionQuerySet:
        """The subscriptions the next import reads."""
        return self.filter(active=True)


class AgendaSubscription(models.Model):
    """An outside agenda (iCal feed) whose events arrive in the portal's agenda."""

    name = models.CharField(
        _("nom de la source"),
        max_length=120,
        help_text=_("Par exemple « Mairie du 20e » : affiché comme origine des événements."),
    )
    url = models.URLField(
        _("adresse du flux iCal"),
        max_length=500,
        validators=[web_address],
        help_text=_(
            "L'adresse du fichier .ics (https://…). Elle n'est jamais montrée aux visiteurs : "
            "une adresse privée peut contenir une clé."
        ),
    )
    trusted = models.BooleanField(
        _("source de confiance"),
        default=False,
        help_text=_(
            "Cochée : ses événements sont publiés directement. Décochée : ils arrivent en "
            "brouillon, à relire et publier."
        ),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Décochée : l'import ne lit plus ce flux.")
    )
    last_run_at = models.DateTimeField(_("dernier import"), null=True, blank=True, editable=False)
    last_added = models.PositiveIntegerField(_("ajoutés"), default=0, editable=False)
    last_changed = models.PositiveIntegerField(_("modifiés"), default=0, editable=False)
    last_removed = models.PositiveIntegerField(_("retirés"), default=0, editable=False)
    last_error = models.TextField(_("dernière erreur"), blank=True, editable=False)

    objects = AgendaSubscriptionQuerySet.as_manager()
    base_form_class = AgendaSubscriptionForm

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("trusted"),
        FieldPanel("active"),
    ]

    class Meta:
        app_label = "portal"
        verbose_name = _("agenda suivi")
        verbose_name_plural = _("agendas suivis")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def last_result(self) -> str:
        """The last run in one line, as the admin's listing shows it."""
        if self.last_run_at is None:
            return str(_("Jamais importé"))
        if self.last_error:
            return str(_("Erreur : %(error)s") % {"error": self.last_error})
        return str(
            _("%(added)d ajouté(s), %(changed)d modifié(s), %(removed)d retiré(s)")
            % {"added": self.last_added, "changed": self.last_changed, "removed": self.last_removed}
        )


class ImportedEvent(models.Model):
    """One event of a subscription (its iCal ``UID``) and the page it became.

    ``source_digest`` is the digest of what the feed said last (a change there is a
    change to bring in); ``page_digest`` the digest of what the import last wrote to the
    page (a page whose fields no longer match was edited by an animator, whose edits
    win). ``page`` is emptied when an animator deletes the page: the event is then never
    brought back.
    """

    subscription = models.ForeignKey(
        AgendaSubscription, on_delete=models.CASCADE, related_name="imported_events"
    )
    uid = models.CharField(max_length=500)
    page = models.ForeignKey(
        "portal.EventPage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_digest = models.CharField(max_length=64)
    page_digest = models.CharField(max_length=64)
    starts_at = models.DateTimeField()
    removed_at_source = models.BooleanField(default=False)

    class Meta:
        app_label = "portal"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "uid"], name="portal_imported_event_uid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription} · {self.uid}"
