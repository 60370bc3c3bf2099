"""Moderation of the classifieds in the Wagtail admin (menu, queue, bulk actions, dashboard);
what every new portal gets of the classifieds (section, rights, categories, demo); and
the ads of an actor on its page in portal's directory."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Max
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import BaseButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from classifieds import latest
from classifieds.admin_views import (
    ApproveBulkAction,
    ModerateView,
    RejectBulkAction,
    user_can_moderate,
)
from classifieds.defaults import ANIMATOR_PERMISSIONS, ensure_default_categories
from classifieds.demo import seed_classifieds
from classifieds.listing import published_ads
from classifieds.models import Classified, ClassifiedCategory, ClassifiedsPage
from tenants.extension_points import (
    ACTIVITY_COUNTERS,
    DEMO_CONTENT,
    FURNISH_PORTAL,
    NEIGHBOURHOODS_ONLY,
    PORTAL_SECTIONS,
    ROLE_PERMISSIONS,
    ActivityCounter,
    PortalSection,
)
from tenants.group_names import ANIMATORS

if TYPE_CHECKING:
    from tenants.models import Neighbourhood
from core.extension_points import LATEST_SOURCES, NOT_SHOWN_ON_PAGES, SHOWN_ON_PAGES
from core.latest import LatestSource
from core.privacy import is_private_section


class ClassifiedIndexView(IndexView):
    """The list of ads, with a "Modérer" button on each row."""

    def get_list_more_buttons(self, instance: Classified) -> list:
        buttons = super().get_list_more_buttons(instance)
        label = (
            _("Modérer")
            if instance.status == Classified.Status.AWAITING_MODERATION
            else _("Voir et modérer")
        )
        buttons.insert(
            0,
            BaseButton(
                label,
                url=reverse("classifieds_classified:moderate", args=[instance.pk]),
                classname="button button-small button-secondary",
                icon_name="tasks",
                priority=5,
            ),
        )
        return buttons


class ClassifiedViewSet(SnippetViewSet):
    """The ads: the queue awaiting moderation first, filters, search, approve or reject."""

    model = Classified
    index_view_class = ClassifiedIndexView
    icon = "tasks"
    menu_label = _("Annonces")
    url_prefix = "petites-annonces/annonces"
    url_namespace = "classifieds_classified"
    list_display = [
        "title",
        Column("status", label=_("État"), accessor="get_status_display"),
        "category",
        Column("kind", label=_("Type"), accessor="get_kind_display"),
        Column("report_count", label=_("Signalements")),
        DateColumn("created_at", label=_("Déposée le")),
    ]
    list_filter = ["status", "category", "kind"]
    search_fields = ["title", "text", "author_name", "author_email", "area"]
    # A plain database search (icontains): no search index to keep in step with each ad.
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "status",
        "kind",
        "category",
        "text",
        "price_label",
        "area",
        "contact_preference",
        "phone",
        "author_name",
        "author_email",
        "created_at",
        "published_at",
        "expires_at",
        "report_count",
    ]
    # Status is never edited here: it changes only through classifieds/lifecycle.py.
    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("category")]),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("price_kind"), FieldPanel("price")]),
        FieldPanel("area"),
        MultiFieldPanel(
            [FieldPanel("contact_preference"), FieldPanel("phone"), FieldPanel("author_name")],
            heading=_("Contact"),
        ),
        FieldPanel("actor"),
    ]

    def get_queryset(self, request):
        return Classified.objects.moderation_queue_first().select_related("category")

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("moderer/<int:pk>/", ModerateView.as_view(viewset=self), name="moderate"),
        ]


class ClassifiedCategoryViewSet(SnippetViewSet):
    """The categories animators offer to residents."""

    model = ClassifiedCategory
    icon = "tag"
    menu_label = _("Catégories")
    url_prefix = "petites-annonces/categories"
    url_namespace = "classifieds_category"
    list_display = ["name", "slug", "sort_order"]
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]


class ClassifiedsAdminGroup(SnippetViewSetGroup):
    menu_label = _("Petites annonces")
    menu_icon = "tasks"
    menu_order = 250
    items = (ClassifiedViewSet, ClassifiedCategoryViewSet)


register_snippet(ClassifiedsAdminGroup)


class AwaitingModerationPanel(Component):
    """The dashboard's count of ads awaiting moderation, with the link to the queue."""

    name = "classifieds_awaiting_moderation"
    template_name = "classifieds/admin/awaiting_moderation_panel.html"
    order = 50

    def get_context_data(self, parent_context: dict) -> dict:
        return {
            "count": Classified.objects.awaiting_moderation().count(),
            "queue_url": reverse("classifieds_classified:list")
            + f"?status={Classified.Status.AWAITING_MODERATION}",
        }


@hooks.register("construct_homepage_panels")
def add_awaiting_moderation_panel(request, panels: list) -> None:
    if user_can_moderate(request.user):
        panels.append(AwaitingModerationPanel())


for action in (ApproveBulkAction, RejectBulkAction):
    hooks.register("register_bulk_action", action)


# --- What every new portal gets (tenants.extension_points) ------------------------------


@hooks.register(PORTAL_SECTIONS)
def sections() -> Iterable[PortalSection]:
    """The "Petites annonces" section, third in the menu."""
    return [
        PortalSection(
            ClassifiedsPage,
            "Petites annonces",
            "petites-annonces",
            "Donner, prêter, échanger, proposer un coup de main entre voisins.",
            order=30,
            kinds=NEIGHBOURHOODS_ONLY,
        )
    ]


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators moderate the ads and edit their categories."""
    return {ANIMATORS: [("classifieds", codename) for codename in ANIMATOR_PERMISSIONS]}


@hooks.register(FURNISH_PORTAL)
def furnish_categories() -> None:
    """The six default categories."""
    ensure_default_categories()


@hooks.register(DEMO_CONTENT, order=40)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """Ads at every stage of their life."""
    seed_classifieds(neighbourhood)


def _posted_since(since: datetime.datetime) -> int:
    # Posted: the author confirmed their address (the unconfirmed ones may be robots').
    return Classified.objects.filter(confirmed_at__gte=since).count()


def _published_since(since: datetime.datetime) -> int:
    return Classified.objects.filter(published_at__gte=since).count()


def _last_published() -> datetime.datetime | None:
    return Classified.objects.aggregate(last=Max("published_at"))["last"]


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """Ads posted (address confirmed) and published in the period; a published ad counts
    as a publication for the last one."""
    return [
        ActivityCounter("classifieds_posted", _("Annonces déposées"), _posted_since),
        ActivityCounter("classifieds", _("Annonces publiées"), _published_since, _last_published),
    ]


@hooks.register("register_actor_page_sections")
def actor_classifieds(actor, request) -> tuple[str, dict] | None:
    """An actor's published ads (the ten newest), on its page in the directory: the ads an
    animator linked to it. Classifieds extend actors; the directory does not know them.
    Nothing when the classifieds section is private: its ads show on it only."""
    if is_private_section(ClassifiedsPage):
        return None
    ads = published_ads().filter(actor=actor).newest_first()[:10]
    return "classifieds/includes/actor_classifieds.html", {"classifieds": ads}


@hooks.register(SHOWN_ON_PAGES)
def classifieds_models_shown_on_pages() -> Iterable[str]:
    """Ads, their categories and photos show on the classifieds' pages and the home page."""
    return [
        "classifieds.Classified",
        "classifieds.ClassifiedCategory",
        "classifieds.ClassifiedPhoto",
    ]


@hooks.register(NOT_SHOWN_ON_PAGES)
def classifieds_models_not_shown_on_pages() -> Iterable[str]:
    """Moderation's records: a status change shows through the ad itself."""
    return [
        "classifieds.ClassifiedStatusChange",
        "classifieds.ClassifiedReport",
        "classifieds.ModerationDigest",
    ]


@hooks.register(LATEST_SOURCES)
def classifieds_latest_sources() -> Iterable[LatestSource]:
    """The newest published ads."""
    return latest.SOURCES
