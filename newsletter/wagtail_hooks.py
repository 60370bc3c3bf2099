"""The newsletter in the Wagtail admin: the subscribers' list (export, never import) and
the "Envoyer" action of each issue."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.extension_points import NOT_SHOWN_ON_PAGES
from core.spreadsheets import SafeExportIndexView
from newsletter.admin_views import SendView, user_can_send
from newsletter.demo import seed_newsletter
from newsletter.models import NewsletterIndexPage, NewsletterPage, Subscriber
from tenants.extension_points import (
    ACTIVITY_COUNTERS,
    DEMO_CONTENT,
    PORTAL_SECTIONS,
    ROLE_PERMISSIONS,
    SNAPSHOT,
    ActivityCounter,
    PortalSection,
)
from tenants.group_names import ANIMATORS

if TYPE_CHECKING:
    from tenants.models import Neighbourhood


class NoAddingPolicy(ModelPermissionPolicy):
    """Subscribers come only through their own double opt-in: nobody adds them by hand."""

    def user_has_permission(self, user, action: str) -> bool:
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])


register_permission_policy(Subscriber, NoAddingPolicy(Subscriber))


class SubscriberViewSet(ModelViewSet):
    """The portal's subscribers, with their state and topics, and why the infolettre stopped
    writing to some (bounce, complaint: reason and date); CSV or Excel export."""

    model = Subscriber
    icon = "mail"
    menu_label = _("Infolettre : abonné·es")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "infolettre/abonnes"
    url_namespace = "newsletter_subscriber"
    list_display = [
        "email",
        Column("status", label=_("État"), accessor="get_status_display"),
        # Why the infolettre stopped writing to an address, and since when (bounces.py):
        # next to the state, so that a phone's screen shows it before it scrolls.
        Column("delivery_problem", label=_("Distribution"), accessor="delivery_display"),
        Column("delivery_problem_reason", label=_("Motif")),
        DateColumn("delivery_problem_at", label=_("Signalé le")),
        Column("topics", label=_("Sujets"), accessor="topics_display"),
        DateColumn("confirmed_at", label=_("Confirmé·e le")),
    ]
    list_filter = ["status", "delivery_problem"]
    list_export = [
        "email",
        "status",
        "topics",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "delivery_problem",
        "delivery_problem_reason",
        "delivery_problem_at",
        "soft_bounces",
    ]
    export_filename = "abonnes-infolettre"
    index_view_class = SafeExportIndexView  # formulas typed by visitors stay text
    search_fields = ["email"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "status",
        "topics_display",
        "created_at",
        "confirmed_at",
        "delivery_display",
        "delivery_problem_reason",
        "delivery_problem_at",
    ]
    form_fields = ["topics"]


subscriber_viewset = SubscriberViewSet("newsletter_subscriber")


@hooks.register("register_admin_viewset")
def register_subscriber_viewset() -> SubscriberViewSet:
    return subscriber_viewset


@hooks.register("register_admin_urls")
def register_send_urls() -> list:
    return [path("infolettre/envoyer/<int:page_id>/", SendView.as_view(), name="newsletter_send")]


class SendMenuItem(ActionMenuItem):
    """ "Envoyer l'infolettre…" in an issue's action menu, next to Publish."""

    label = _("Tester, envoyer ou programmer…")
    name = "action-newsletter-send"
    icon_name = "mail"
    order = 60

    def is_shown(self, context: dict) -> bool:
        page = context.get("page")
        return (
            context["view"] == "edit"
            and isinstance(page, NewsletterPage)
            and user_can_send(context["request"].user, page)
        )

    def get_url(self, parent_context: dict) -> str:
        return reverse("newsletter_send", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_send_menu_item() -> SendMenuItem:
    return SendMenuItem()


@hooks.register("register_page_header_buttons")
def send_header_button(page, user, view_name, next_url=None):
    if issubclass(page.specific_class or type(page), NewsletterPage) and user_can_send(user, page):
        yield Button(
            _("Envoyer l'infolettre"),
            url=reverse("newsletter_send", args=[page.pk]),
            icon_name="mail",
            priority=40,
        )


# --- What every new portal gets (tenants.extension_points) ------------------------------


@hooks.register(PORTAL_SECTIONS)
def sections() -> Iterable[PortalSection]:
    """The "Infolettre" section, last of the platform's menu."""
    return [
        PortalSection(
            NewsletterIndexPage,
            "Infolettre",
            "infolettre",
            "La lettre du quartier, dans votre boîte aux lettres : abonnez-vous, lisez les "
            "numéros.",
            order=90,
        )
    ]


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators read, export and erase on request the subscribers' list; never add to it."""
    return {ANIMATORS: [("newsletter", "view_subscriber"), ("newsletter", "delete_subscriber")]}


@hooks.register(DEMO_CONTENT, order=50)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """Subscribers and a letter already sent."""
    seed_newsletter(neighbourhood)


@hooks.register(NOT_SHOWN_ON_PAGES)
def newsletter_models_not_shown_on_pages() -> Iterable[str]:
    """Subscribers, their consents and the sending's records stay off every page."""
    return [
        "newsletter.Subscriber",
        "newsletter.ConsentRecord",
        "newsletter.Dispatch",
        "newsletter.Delivery",
    ]


def subscribers_at(moment: datetime.datetime) -> int:
    """Addresses subscribed at ``moment``: confirmed before it and not unsubscribed by then
    (nothing else is tracked: no opening, no click)."""
    return (
        Subscriber.objects.filter(confirmed_at__lt=moment)
        .filter(Q(unsubscribed_at=None) | Q(unsubscribed_at__gte=moment))
        .count()
    )


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """The infolettre's subscribers, net of those who left (a snapshot)."""
    return [
        ActivityCounter("subscribers", _("Abonnés à l'infolettre"), subscribers_at, kind=SNAPSHOT)
    ]
