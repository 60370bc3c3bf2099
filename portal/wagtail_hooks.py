"""The portal's place in the Wagtail admin: actors and their proposals, the shared address
book, inviting contributors, the network's sheets."""

from collections.abc import Iterable

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import BaseButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from core.extension_points import LATEST_SOURCES, NOT_SHOWN_ON_PAGES, SHOWN_ON_PAGES
from core.latest import LatestSource
from portal import latest
from portal.address_book_views import ExportView, ImportView, can_keep_address_book
from portal.admin_views import InviteContributorView, NetworkSheetsView, can_add_sheets
from portal.models import Actor, ActorProposal
from portal.proposal_admin import ModerateProposalView

ACTORS_SUBMENU_HOOK = "register_portal_actors_menu_item"


class ActorViewSet(SnippetViewSet):
    """The portal's local actors, kept by its animators."""

    model = Actor
    icon = "group"
    menu_label = _("Annuaire")
    list_display = ["name", "kind", "address", "featured"]
    list_filter = ["kind", "featured"]
    search_fields = ["name", "address"]


class ProposalIndexView(IndexView):
    """The proposals, each with its "Modérer" button."""

    def get_list_more_buttons(self, instance: ActorProposal) -> list:
        buttons = super().get_list_more_buttons(instance)
        pending = instance.status == ActorProposal.Status.PENDING
        buttons.insert(
            0,
            BaseButton(
                _("Modérer") if pending else _("Voir"),
                url=reverse("portal_actorproposal:moderate", args=[instance.pk]),
                classname="button button-small button-secondary",
                icon_name="tasks",
                priority=5,
            ),
        )
        return buttons


class ActorProposalViewSet(SnippetViewSet):
    """Residents' proposals: those awaiting a decision first. Never created here."""

    model = ActorProposal
    index_view_class = ProposalIndexView
    icon = "tasks"
    menu_label = _("Propositions")
    url_prefix = "acteurs/propositions"
    url_namespace = "portal_actorproposal"
    list_display = [
        "name",
        Column("kind_of_proposal", label=_("Nature")),
        Column("status", label=_("État"), accessor="get_status_display"),
        "proposer_name",
        DateColumn("created_at", label=_("Reçue le")),
    ]
    list_filter = ["status"]
    search_fields = ["name", "proposer_name", "proposer_email"]
    search_backend_name = None  # a plain icontains: no search index to keep for these rows
    inspect_view_enabled = True
    # An animator may tidy a proposal before accepting it; its state changes only through
    # the moderation screen (portal/proposals.py).
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("themes"),
        FieldPanel("description"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("opening_hours"),
        FieldPanel("website"),
        FieldPanel("public_email"),
        FieldPanel("public_phone"),
    ]

    def get_queryset(self, request):
        return ActorProposal.objects.pending_first().select_related("actor")

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path(
                "moderer/<int:pk>/",
                ModerateProposalView.as_view(viewset=self),
                name="moderate",
            ),
        ]


class ActorsAdminGroup(SnippetViewSetGroup):
    """ "Acteurs locaux": the directory, the proposals queue, and the address book."""

    menu_label = _("Acteurs locaux")
    menu_icon = "group"
    menu_order = 250
    items = (ActorViewSet, ActorProposalViewSet)
    submenu_hook = ACTORS_SUBMENU_HOOK


register_snippet(ActorsAdminGroup)


class AddressBookMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_keep_address_book(request.user)


@hooks.register(ACTORS_SUBMENU_HOOK)
def export_menu_item():
    return AddressBookMenuItem(
        _("Exporter"), reverse("portal_actor_export"), icon_name="download", order=10
    )


@hooks.register(ACTORS_SUBMENU_HOOK)
def import_menu_item():
    return AddressBookMenuItem(
        _("Importer"), reverse("portal_actor_import"), icon_name="upload", order=11
    )


@hooks.register("register_admin_urls")
def portal_admin_urls():
    return [
        path(
            "contributeurs/inviter/",
            InviteContributorView.as_view(),
            name="portal_invite_contributor",
        ),
        path("reseau/fiches/", NetworkSheetsView.as_view(), name="portal_network_sheets"),
        path("acteurs/exporter/", ExportView.as_view(), name="portal_actor_export"),
        path("acteurs/importer/", ImportView.as_view(), name="portal_actor_import"),
    ]


class AnimatorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("auth.add_user")


class NetworkSheetsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_add_sheets(request.user)


@hooks.register("register_admin_menu_item")
def invite_contributor_menu_item():
    return AnimatorMenuItem(
        _("Inviter un contributeur"),
        reverse("portal_invite_contributor"),
        icon_name="user",
        order=900,
    )


@hooks.register("register_admin_menu_item")
def network_sheets_menu_item():
    return NetworkSheetsMenuItem(
        _("Fiches du réseau"), reverse("portal_network_sheets"), icon_name="doc-full", order=910
    )


@hooks.register(SHOWN_ON_PAGES)
def portal_models_shown_on_pages() -> Iterable[str]:
    """Actors, categories, tags and the rows pages list (an issue's items, a workshop's
    seeds)."""
    return [
        "portal.Actor",
        "portal.ActorTag",
        "portal.ArticleCategory",
        "portal.ArticlePageTag",
        "portal.MethodologyPageTag",
        "portal.JournalIssueItem",
        "portal.ProjectSeed",
    ]


@hooks.register(NOT_SHOWN_ON_PAGES)
def portal_models_not_shown_on_pages() -> Iterable[str]:
    """A visitor's proposal shows only once moderated, through the actor it changes."""
    return ["portal.ActorProposal"]


@hooks.register(LATEST_SOURCES)
def portal_latest_sources() -> Iterable[LatestSource]:
    """News, next events, residents' posts, featured actors, the network's toolkit."""
    return latest.SOURCES
