"""Reactions in the Wagtail admin (the queue and its bulk actions, one reaction's
moderation, a page's switch), in the moderation inbox, and on the site (the sub-views and
the section they add to articles, blog posts and episodes, the feeds' comment counts)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, Q
from django.urls import URLPattern, path, re_path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import BaseButton, Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from core.extension_points import (
    MODERATION_SOURCES,
    NOT_SHOWN_ON_PAGES,
    PAGE_COMMENTS,
    PAGE_READINGS,
    SHOWN_ON_THEIR_PAGE,
)
from core.feed_comments import PageComments
from core.latest import Reading
from core.moderation import ModerationItem, ModerationSource
from core.read_ahead import read_ahead
from reactions import views
from reactions.admin_views import (
    PERMISSION,
    ApproveBulkAction,
    ModerateView,
    PageReactionsView,
    RejectBulkAction,
    TrustBulkAction,
    queue_url,
    user_can_moderate,
)
from reactions.demo import seed_reactions
from reactions.models import ClosedReactions, Reaction
from reactions.pages import is_closed, page_address, takes_reactions, takes_reactions_type
from tenants.extension_points import (
    ACTIVITY_COUNTERS,
    DEMO_CONTENT,
    ROLE_PERMISSIONS,
    ActivityCounter,
)
from tenants.group_names import ANIMATORS

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tenants.models import Neighbourhood


# --- The queue ------------------------------------------------------------------------------


class ReactionFilterSet(WagtailFilterSet):
    """The queue's filters: what waits, what was reported, by state, by page."""

    queue = django_filters.ChoiceFilter(
        label=_("À traiter"),
        choices=[("waiting", _("À modérer")), ("reported", _("Signalées, masquées"))],
        method="filter_queue",
        empty_label=_("Toutes"),
    )
    page = django_filters.ModelChoiceFilter(
        label=_("Page"),
        queryset=lambda request: Page.objects.filter(
            pk__in=Reaction.objects.values("page_id")
        ).order_by("title"),
    )

    class Meta:
        model = Reaction
        fields = ["queue", "status", "page"]

    def filter_queue(self, queryset, name: str, value: str):
        if value == "waiting":
            return queryset.filter(status=Reaction.Status.PENDING)
        if value == "reported":
            return queryset.filter(status=Reaction.Status.PUBLISHED, held=True)
        return queryset


class ReactionIndexView(IndexView):
    """The list of reactions, with a "Modérer" button on each row."""

    def get_list_more_buttons(self, instance: Reaction) -> list:
        buttons = super().get_list_more_buttons(instance)
        buttons.insert(
            0,
            BaseButton(
                _("Modérer, répondre"),
                url=reverse("reactions_reaction:moderate", args=[instance.pk]),
                classname="button button-small button-secondary",
                icon_name="comment",
                priority=5,
            ),
        )
        return buttons


class ReactionViewSet(SnippetViewSet):
    """Residents' reactions: filters (waiting, reported, page), bulk decisions, reply."""

    model = Reaction
    index_view_class = ReactionIndexView
    filterset_class = ReactionFilterSet
    icon = "comment"
    menu_label = _("Réactions")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "reactions"
    url_namespace = "reactions_reaction"
    list_display = [
        "name",
        Column("text", label=_("Réaction"), accessor="excerpt"),
        "page",
        Column("status", label=_("État"), accessor="get_status_display"),
        Column("held", label=_("Masquée (signalements)")),
        Column("report_count", label=_("Signalements")),
        DateColumn("created_at", label=_("Reçue le")),
    ]
    search_fields = ["name", "email", "text"]
    search_backend_name = None
    inspect_view_enabled = True
    # State changes only through reactions/lifecycle.py; the text may be corrected.
    panels = [FieldPanel("name"), FieldPanel("text")]

    def get_queryset(self, request):
        return Reaction.objects.select_related("page").order_by("-created_at", "-pk")

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("moderer/<int:pk>/", ModerateView.as_view(), name="moderate"),
            path("page/<int:page_id>/", PageReactionsView.as_view(), name="page"),
        ]


register_snippet(ReactionViewSet)

for action in (ApproveBulkAction, RejectBulkAction, TrustBulkAction):
    hooks.register("register_bulk_action", action)


@hooks.register("register_page_header_buttons")
def reactions_header_button(page, user, view_name, next_url=None):
    """On a page that takes reactions: open or close them."""
    if takes_reactions_type(page.specific_class or type(page)) and user_can_moderate(user):
        yield Button(
            _("Rouvrir les réactions") if is_closed(page) else _("Fermer les réactions"),
            url=reverse("reactions_reaction:page", args=[page.pk]),
            icon_name="comment",
            priority=46,
        )


# --- The moderation inbox (core.moderation) --------------------------------------------------


def _items(queryset, limit: int) -> list[ModerationItem]:
    return [
        ModerationItem(
            title=str(_("%(name)s sur « %(page)s »") % {"name": r.name, "page": r.page.title}),
            summary=Truncator(r.text).chars(200),
            received=r.created_at,
            url=reverse("reactions_reaction:moderate", args=[r.pk]),
        )
        for r in queryset.select_related("page").order_by("created_at", "pk")[:limit]
    ]


def _pending():
    return Reaction.objects.filter(status=Reaction.Status.PENDING)


def _held():
    return Reaction.objects.filter(status=Reaction.Status.PUBLISHED, held=True)


@hooks.register(MODERATION_SOURCES)
def reactions_to_moderate() -> list[ModerationSource]:
    """Reactions waiting for a decision, and reactions hidden after reports."""
    return [
        ModerationSource(
            key="reactions",
            label=str(_("Réactions")),
            queue_url=queue_url(queue="waiting"),
            waiting_count=lambda: _pending().count(),
            waiting=lambda limit: _items(_pending(), limit),
            permission=PERMISSION,
        ),
        ModerationSource(
            key="reaction-reports",
            label=str(_("Réactions signalées")),
            queue_url=queue_url(queue="reported"),
            waiting_count=lambda: _held().count(),
            waiting=lambda limit: _items(_held(), limit),
            permission=PERMISSION,
        ),
    ]


# --- On the site -------------------------------------------------------------------------------


@hooks.register("register_page_routes")
def reaction_routes(page_class: type) -> list[URLPattern]:
    """The form, its answer, the confirmation link, reporting and the comments feed, under
    the page's own address (``core.page_routes``)."""
    if not takes_reactions_type(page_class):
        return []
    return [
        path("reactions/", views.react, name="react"),
        re_path(r"^reactions/envoyee/(?P<state>[a-z-]{1,20})/$", views.sent, name="reaction_sent"),
        re_path(
            r"^reactions/confirmer/(?P<token>[A-Za-z0-9_-]{1,300})/$",
            views.confirm,
            name="reaction_confirm",
        ),
        path("reactions/<int:pk>/signaler/", views.report, name="reaction_report"),
        path("reactions/rss/", views.feed, name="reactions_feed"),
    ]


def _shown_here(page: Page, request: HttpRequest | None) -> list[Reaction] | None:
    """The page's published reactions, None when it takes none: asked by the page's head
    and its foot, read once per request (two queries)."""
    memo = getattr(request, "_reactions_shown", None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            request._reactions_shown = memo
    if page.pk not in memo and (ahead := read_ahead(request, _ahead_key(page))) is not None:
        memo[page.pk] = ahead[0]
    if page.pk not in memo:
        memo[page.pk] = (
            list(Reaction.objects.shown().filter(page_id=page.pk))
            if takes_reactions(page)
            else None
        )
    return memo[page.pk]


def _ahead_key(page: Page) -> str:
    return f"reactions:{page.pk}"


@hooks.register(PAGE_READINGS)
def reactions_ahead(page: Page, request: HttpRequest | None) -> dict[str, Reading] | None:
    """Whether the page's reactions are closed, and its published ones, read with the
    page's other lists (``core.read_ahead``): what ``_shown_here`` would ask."""
    if not getattr(page, "foot_sections", False) or not takes_reactions_type(type(page)):
        # Shown in a page's foot only (``reactions_section``): none to read for a page
        # shown without it (a journal issue's piece).
        return None
    closed = ClosedReactions.objects.filter(page_id=page.pk).only("pk")[:1]
    shown = Reaction.objects.shown().filter(page_id=page.pk)
    # One item: the published reactions, or None when the page takes none (closed).
    return {_ahead_key(page): Reading([closed, shown], lambda rows: [None if rows[0] else rows[1]])}


@hooks.register("register_page_foot_sections")
def reactions_section(page: Page, request: HttpRequest) -> tuple[str, dict] | None:
    """The reactions under a page (published, newest last) and the link to the form."""
    shown = _shown_here(page, request)
    if shown is None:
        return None
    return "reactions/includes/section.html", {"reaction_page": page, "reactions": shown}


@hooks.register(PAGE_COMMENTS)
def reaction_counts(pages: Sequence[Page], request: HttpRequest) -> Mapping[int, PageComments]:
    """For a feed's items: each page's published reactions and its comments feed."""
    ids = [page.pk for page in pages if takes_reactions_type(type(page))]
    if not ids:
        return {}
    closed = set(ClosedReactions.objects.filter(page_id__in=ids).values_list("page_id", flat=True))
    counts = dict(
        Reaction.objects.filter(page_id__in=ids)
        .values("page_id")
        .annotate(n=Count("pk", filter=Q(status=Reaction.Status.PUBLISHED, held=False)))
        .values_list("page_id", "n")
    )
    answer = {}
    for page in pages:
        if page.pk not in ids or page.pk in closed:
            continue
        url = page.get_full_url(request)
        answer[page.pk] = PageComments(
            count=counts.get(page.pk, 0),
            feed_url=url + page.reverse_subpage("reactions_feed"),
            page_url=url + "#reactions",
        )
    return answer


def _addresses(row: Reaction | ClosedReactions) -> Iterable[str]:
    page = Page.objects.filter(pk=row.page_id).first()  # gone when its page is deleted
    address = page_address(page) if page else None
    return [address] if address else []


@hooks.register(SHOWN_ON_THEIR_PAGE)
def reactions_shown_on_their_page() -> dict:
    """A reaction shows on its page alone; so does a page's switch. A change forgets that
    page's cached answers (and its comments feed), not the whole portal's."""
    return {"reactions.Reaction": _addresses, "reactions.ClosedReactions": _addresses}


@hooks.register(NOT_SHOWN_ON_PAGES)
def reactions_not_shown_on_pages() -> Iterable[str]:
    """Addresses, reports and settings: a change that shows goes through the reaction."""
    return ["reactions.ReactionAddress", "reactions.ReactionReport", "reactions.ReactionSettings"]


# --- What every new portal gets ------------------------------------------------------------


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators moderate and answer reactions, and set the reports' threshold."""
    return {
        ANIMATORS: [
            ("reactions", "view_reaction"),
            ("reactions", "change_reaction"),
            ("reactions", "change_reactionsettings"),
        ]
    }


@hooks.register(DEMO_CONTENT, order=70)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """A few published reactions and an editorial reply on the demo articles."""
    seed_reactions(neighbourhood)


@hooks.register("register_page_head_sections")
def reactions_head(page: Page, request: HttpRequest) -> tuple[str, dict] | None:
    """The page's comments feed, advertised in its head (``<link rel="alternate">``), and
    the reactions' stylesheet."""
    if _shown_here(page, request) is None:
        return None
    return "reactions/includes/head.html", {"reaction_page": page}


def _reactions_since(since: datetime.datetime) -> int:
    return Reaction.objects.filter(published_at__gte=since).count()


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """Readers' reactions published in the period."""
    return [ActivityCounter("reactions", _("Réactions publiées"), _reactions_since)]
