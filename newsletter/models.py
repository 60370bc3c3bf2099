"""A portal's newsletter: its subscribers and their consent, its issues, their deliveries.

Everything here lives in the portal's own schema: a resident subscribed to one portal is
unknown to every other one.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.pages import PortalPage, SectionPage
from newsletter.blocks import NewsletterStreamBlock
from newsletter.topics import Topic, TopicsField


class SubscriberQuerySet(models.QuerySet):
    def active(self) -> SubscriberQuerySet:
        """Subscribers who confirmed their address and did not leave."""
        return self.filter(status=Subscriber.Status.ACTIVE)

    def reachable(self) -> SubscriberQuerySet:
        """Those the infolettre still writes to: no bounce nor complaint stopped it."""
        return self.filter(delivery_problem="")

    def interested_in(self, topics: list[str]) -> SubscriberQuerySet:
        """Those who chose at least one of ``topics`` (everyone when ``topics`` is empty)."""
        return self.filter(topics__overlap=topics) if topics else self


class DeliveryProblem(models.TextChoices):
    """Why the infolettre stopped writing to an address (empty: it did not)."""

    HARD_BOUNCE = "hard_bounce", _("Adresse en échec (rejet définitif)")
    SOFT_BOUNCES = "soft_bounces", _("Échecs temporaires répétés")
    COMPLAINT = "complaint", _("Signalée comme indésirable")


class Subscriber(models.Model):
    """A resident on the portal's list (double opt-in: active once the link was opened)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de confirmation")
        ACTIVE = "active", _("Abonné·e")
        UNSUBSCRIBED = "unsubscribed", _("Désabonné·e")

    email = models.EmailField(_("adresse e-mail"), max_length=254, unique=True)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    topics = TopicsField(verbose_name=_("sujets choisis"))
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé·e le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonné·e le"), null=True, blank=True)
    # What the sending provider reported (newsletter/bounces.py). A problem set means the
    # infolettre no longer writes to the address; the resident clears it by subscribing
    # again and confirming (the confirmation proves the mailbox works and wants it).
    delivery_problem = models.CharField(
        _("distribution"), max_length=20, choices=DeliveryProblem.choices, blank=True
    )
    delivery_problem_reason = models.CharField(_("motif"), max_length=255, blank=True)
    delivery_problem_at = models.DateTimeField(_("signalé le"), null=True, blank=True)
    soft_bounces = models.PositiveSmallIntegerField(_("échecs temporaires"), default=0)
    # The message of the last temporary failure counted: a provider reports each retry of
    # one message, which counts once.
    last_soft_bounce_message = models.CharField(max_length=255, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonné·e")
        verbose_name_plural = _("abonné·es")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def topics_display(self) -> str:
        labels = dict(Topic.choices)
        return ", ".join(str(labels.get(topic, topic)) for topic in self.topics)

    topics_display.short_description = _("sujets")

    def delivery_display(self) -> str:
        """What the animator reads in the list: the problem, or the temporary failures
        counted so far, or nothing."""
        if self.delivery_problem:
            return str(self.get_delivery_problem_display())
        if self.soft_bounces:
            return str(_("%(count)d échec(s) temporaire(s)") % {"count": self.soft_bounces})
        return ""

    delivery_display.short_description = _("distribution")


class ConsentRecord(models.Model):
    """Proof of what a subscriber agreed to: when, the wording they saw, and how."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Demande d'inscription")
        CONFIRMED = "confirmed", _("Adresse confirmée")
        TOPICS = "topics", _("Sujets modifiés")
        UNSUBSCRIBED = "unsubscribed", _("Désabonnement")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consents", verbose_name=_("abonné·e")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    wording = models.TextField(_("texte présenté"), blank=True)
    method = models.CharField(
        _("comment"),
        max_length=100,
        help_text=_("Par exemple « formulaire du pied de page », « lien de confirmation »."),
    )
    topics = TopicsField(verbose_name=_("sujets"))
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("consentement")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.subscriber} · {self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class NewsletterIndexPage(RoutablePageMixin, SectionPage):
    """The "Infolettre" section: the subscribe form and every past issue, readable and in RSS."""

    subpage_types = ["newsletter.NewsletterPage"]

    class Meta:
        verbose_name = _("rubrique Infolettre")

    def issues(self) -> models.QuerySet:
        return (
            NewsletterPage.objects.live()
            .public()
            .child_of(self)
            .order_by("-first_published_at", "-pk")
        )

    @path("", name="listing")
    def listing(self, request: HttpRequest) -> HttpResponse:
        from newsletter.forms import SubscribeForm

        return self.render(
            request,
            context_overrides={
                "issues": self.issues()[:50],
                "form": SubscribeForm(request=request, with_topics=True),
            },
        )

    @path("rss/", name="feed")
    def feed(self, request: HttpRequest) -> HttpResponse:
        from newsletter.feeds import IssuesFeed

        return IssuesFeed(self)(request)


class NewsletterPage(PortalPage):
    """An issue of the newsletter: read on the portal, and sent by e-mail to subscribers."""

    subject = models.CharField(
        _("objet de l'e-mail"),
        max_length=200,
        blank=True,
        help_text=_("Laissez vide pour reprendre le titre."),
    )
    intro = RichTextField(_("édito"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(NewsletterStreamBlock(), verbose_name=_("contenu"), blank=True)
    topics = TopicsField(
        verbose_name=_("envoyer aux abonné·es de ces sujets"),
        help_text=_("Aucun sujet coché : tous les abonné·es la reçoivent."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("subject"), FieldPanel("topics")], heading=_("Envoi")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types: list[str] = []

    # The idea of wagtail-newsletter's NewsletterPageMixin: the same page, previewed as the
    # web page residents read or as the e-mail they receive.
    preview_modes = [("", _("Page web")), ("email", _("E-mail"))]

    class Meta:
        verbose_name = _("numéro de l'infolettre")
        verbose_name_plural = _("numéros de l'infolettre")

    def email_subject(self) -> str:
        return self.subject or self.title

    def previous_issue(self) -> NewsletterPage | None:
        """The issue before this one (for the blocks that show what is new since then)."""
        issues = NewsletterPage.objects.live().sibling_of(self, inclusive=False)
        if self.first_published_at:
            issues = issues.filter(first_published_at__lt=self.first_published_at)
        return issues.order_by("-first_published_at").first()

    def since(self) -> datetime.datetime:
        """Where the self-filling blocks start: the previous issue, or four weeks ago."""
        previous = self.previous_issue()
        if previous and previous.first_published_at:
            return previous.first_published_at
        return timezone.now() - datetime.timedelta(weeks=4)

    def get_context(self, request: HttpRequest, *args: object, **kwargs: object) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["since"] = self.since()
        return context

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        if mode_name == "email":
            from newsletter.rendering import preview_html

            return HttpResponse(preview_html(self))
        return super().serve_preview(request, mode_name)


class Dispatch(models.Model):
    """The sending of one issue: scheduled, then rendered once, then delivered in batches."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Programmé")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        CANCELLED = "cancelled", _("Annulé")

    page = models.OneToOneField(
        NewsletterPage, on_delete=models.CASCADE, related_name="dispatch", verbose_name=_("numéro")
    )
    status = models.CharField(_("état"), max_length=20, choices=Status.choices)
    scheduled_for = models.DateTimeField(_("envoi prévu le"))
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Rendered once when sending starts: a resumed run sends exactly the same message.
    subject = models.CharField(max_length=255, blank=True)
    html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi")

    def __str__(self) -> str:
        return f"{self.page} · {self.get_status_display()}"

    def counts(self) -> dict[str, int]:
        """How many deliveries are pending, sent and failed."""
        found = dict(
            self.deliveries.values_list("status").annotate(n=models.Count("pk")).order_by()
        )
        return {status: found.get(status, 0) for status in Delivery.Status.values}


class Delivery(models.Model):
    """One issue to one subscriber: recorded before sending, marked once the server took it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("distribution")
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "subscriber"], name="one_delivery_each")
        ]
        indexes = [models.Index(fields=["dispatch", "status"], name="delivery_todo")]

    def __str__(self) -> str:
        return f"{self.dispatch_id} → {self.subscriber_id} · {self.status}"
