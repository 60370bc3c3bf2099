"""How proposals plug in: the queue in the admin (filters, bulk decline, the decision
page), the moderation inbox's source, the "Participer" section every portal gets, the
animators' rights, demo content, and the "proposé par" credit on articles and in the
participatory journal."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import BaseButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from core.extension_points import (
    MODERATION_SOURCES,
    NOT_SHOWN_ON_PAGES,
    PAGE_READINGS,
    SHOWN_ON_PAGES,
)
from core.latest import Reading
from core.moderation import ModerationItem, ModerationSource
from core.read_ahead import read_ahead
from portal.public import ArticlePage, EventPage
from proposals.admin_views import (
    MODERATE_PERMISSION,
    DecideView,
    DeclineBulkAction,
    proposal_photo,
)
from proposals.demo import seed_proposals
from proposals.models import Proposal, ProposalCredit, ProposalsPage
from tenants.extension_points import (
    ACTIVITY_COUNTERS,
    DEMO_CONTENT,
    NEIGHBOURHOODS_ONLY,
    PORTAL_SECTIONS,
    ROLE_PERMISSIONS,
    ActivityCounter,
    PortalSection,
)
from tenants.group_names import ANIMATORS

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

# Animators read, decide on and erase proposals; nobody adds one in the admin: they come
# from residents, through the public forms.
ANIMATOR_PERMISSIONS = [
    "view_proposal",
    "change_proposal",
    "delete_proposal",
    "change_proposalsettings",
]


def _decide_url(proposal: Proposal) -> str:
    return reverse("proposals_proposal:decide", args=[proposal.pk])


class ProposalIndexView(IndexView):
    """The list of proposals: each title, and a "Traiter" button, open the decision page
    (a proposal is never edited as a form)."""

    def get_edit_url(self, instance: Proposal) -> str | None:
        return _decide_url(instance) if super().get_edit_url(instance) else None

    def get_list_more_buttons(self, instance: Proposal) -> list:
        decide = _decide_url(instance)
        buttons = [
            button
            for button in super().get_list_more_buttons(instance)
            if getattr(button, "url", None) != decide
        ]
        label = _("Traiter") if instance.status == Proposal.Status.WAITING else _("Voir")
        buttons.insert(
            0,
            BaseButton(
                label,
                url=decide,
                classname="button button-small button-secondary",
                icon_name="help",
                priority=5,
            ),
        )
        return buttons


class ProposalEditView(EditView):
    """There is no form to edit a proposal: its address leads to the decision page."""

    def dispatch(self, request, *args, **kwargs):
        return redirect(reverse("proposals_proposal:decide", args=[kwargs["pk"]]))


class ProposalViewSet(SnippetViewSet):
    """Residents' proposals: those waiting first, filters by kind and state, bulk decline."""

    model = Proposal
    index_view_class = ProposalIndexView
    edit_view_class = ProposalEditView
    icon = "help"
    menu_label = _("Propositions")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "propositions"
    url_namespace = "proposals_proposal"
    list_display = [
        "title",
        Column("status", label=_("État"), accessor="get_status_display"),
        Column("kind", label=_("Type"), accessor="get_kind_display"),
        "name",
        DateColumn("created_at", label=_("Envoyée le")),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["title", "text", "name", "email", "place", "organiser"]
    # A plain database search (icontains): no search index to keep in step.
    search_backend_name = None
    # Nothing is edited here: a proposal changes only through proposals/lifecycle.py.
    panels: list = []

    def get_queryset(self, request):
        return Proposal.objects.queue_first()

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("traiter/<int:pk>/", DecideView.as_view(viewset=self), name="decide"),
            path("photo/<int:pk>/", proposal_photo, name="photo"),
        ]


register_snippet(ProposalViewSet)
hooks.register("register_bulk_action", DeclineBulkAction)


# --- The moderation inbox (core.moderation) --------------------------------------------


def _waiting(limit: int) -> Sequence[ModerationItem]:
    return [
        ModerationItem(
            title=proposal.title,
            summary=f"{proposal.get_kind_display()} · {proposal.name}",
            received=proposal.confirmed_at or proposal.created_at,
            url=reverse("proposals_proposal:decide", args=[proposal.pk]),
        )
        for proposal in Proposal.objects.waiting()[:limit]
    ]


@hooks.register(MODERATION_SOURCES)
def proposals_to_moderate() -> Iterable[ModerationSource]:
    """Proposals confirmed by their authors and waiting for a decision."""
    return [
        ModerationSource(
            key="proposals",
            label=_("Propositions des habitants"),
            queue_url=reverse("proposals_proposal:list") + f"?status={Proposal.Status.WAITING}",
            waiting_count=lambda: Proposal.objects.waiting().count(),
            waiting=_waiting,
            permission=MODERATE_PERMISSION,
        )
    ]


# --- What every new portal gets (tenants.extension_points) ------------------------------


@hooks.register(PORTAL_SECTIONS)
def sections() -> Iterable[PortalSection]:
    """The "Participer" section, after the news and the agenda it feeds."""
    return [
        PortalSection(
            ProposalsPage,
            "Participer",
            "participer",
            "Proposez un sujet, un témoignage, une information ou un événement : le média du "
            "quartier se fait avec vous.",
            order=25,
            kinds=NEIGHBOURHOODS_ONLY,
        )
    ]


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators decide on proposals and set how long they are kept."""
    return {ANIMATORS: [("proposals", codename) for codename in ANIMATOR_PERMISSIONS]}


@hooks.register(DEMO_CONTENT, order=45)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """A few proposals waiting for the animators."""
    seed_proposals(neighbourhood)


# --- The credit on pages made from proposals --------------------------------------------


def _credit_key(page) -> str:
    return f"proposals:credit:{page.pk}"


def _credit_query(page):
    # As ``first()`` would ask.
    return ProposalCredit.objects.filter(page_id=page.pk).order_by("pk")[:1]


@hooks.register(PAGE_READINGS)
def credit_ahead(page, request) -> dict[str, Reading] | None:
    """The credit of the article or event a proposal became, read with the page's other
    lists (``core.read_ahead``)."""
    if not isinstance(page, ArticlePage | EventPage):
        return None
    # One item: the credit, or None.
    return {
        _credit_key(page): Reading([_credit_query(page)], lambda rows: [next(iter(rows[0]), None)])
    }


def _credit_section(page, request) -> tuple[str, dict] | None:
    if not isinstance(page, ArticlePage | EventPage):
        # A proposal becomes an article or an event only (proposals.drafts): a blog post
        # in a journal issue has no credit to ask for.
        return None
    ahead = read_ahead(request, _credit_key(page))
    credit = ahead[0] if ahead is not None else _credit_query(page).first()
    if credit is None:
        return None
    return "proposals/includes/credit.html", {"proposal_credit": credit}


@hooks.register("register_article_page_sections")
def article_credit(page, request) -> tuple[str, dict] | None:
    """ "Proposé par …" on an article made from a proposal whose author agreed to be named,
    and on its piece of a journal issue."""
    return _credit_section(page, request)


@hooks.register("register_event_page_sections")
def event_credit(page, request) -> tuple[str, dict] | None:
    """ "Proposé par …" on an event made from a proposal, likewise."""
    return _credit_section(page, request)


@hooks.register(SHOWN_ON_PAGES)
def proposals_models_shown_on_pages() -> Iterable[str]:
    """The credit shows on articles and events."""
    return ["proposals.ProposalCredit"]


@hooks.register(NOT_SHOWN_ON_PAGES)
def proposals_models_not_shown_on_pages() -> Iterable[str]:
    """Proposals, their photos and history stay in the admin until a page is made."""
    return [
        "proposals.Proposal",
        "proposals.ProposalPhoto",
        "proposals.ProposalEvent",
        "proposals.ProposalSettings",
    ]


def _received_since(since: datetime.datetime) -> int:
    # A proposal is received once its author confirmed their address.
    return Proposal.objects.filter(confirmed_at__gte=since).count()


def _accepted_since(since: datetime.datetime) -> int:
    return Proposal.objects.filter(status=Proposal.Status.ACCEPTED, decided_at__gte=since).count()


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """Residents' proposals received (address confirmed) and accepted in the period."""
    return [
        ActivityCounter("proposals_received", _("Propositions reçues"), _received_since),
        ActivityCounter("proposals_accepted", _("Propositions retenues"), _accepted_since),
    ]
