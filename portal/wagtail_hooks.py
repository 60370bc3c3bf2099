"""The portal's place in the Wagtail admin: actors and their proposals, the shared address
book, inviting contributors, the network's sheets; and what every new portal gets of it
(sections, rights, the federation's hub, demo content, activity)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import BaseButton
from wagtail.models import Site
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from portal.actors.address_book_views import ExportView, ImportView, can_keep_address_book
from portal.actors.demo_stories import seed_stories
from portal.actors.entry_links import send_entry_links
from portal.actors.proposal_admin import ModerateProposalView
from portal.actors.section import directory_page
from portal.actors.stories import MapStoryPage, waiting_stories
from portal.actors.story_admin import ModerateStoryView, StoryQueueView, user_can_moderate
from portal.actors.story_lifecycle import published_in_editor
from portal.actors.story_photo import pending_story_photo
from portal.blogs.admin_views import InviteContributorView
from portal.demo import draw_demo_pictures, seed_portal
from portal.demo_map import CENTRES, DEFAULT_CENTRE, seed_map
from portal.indicators import portal_counters
from portal.methodology.admin_views import NetworkSheetsView, OurFeedbackView, can_add_sheets
from portal.methodology.curation_views import CollectionEditView, ToolkitCurationView
from portal.methodology.demo_toolkit import seed_toolkit
from portal.methodology.toolkit import adopt_collection_at_opening, collection_choices
from portal.methodology.training_views import PortalTrainingView, TrainingIndexView
from portal.models import (
    Actor,
    ActorDirectoryPage,
    ActorProposal,
    ArticleIndexPage,
    BlogIndexPage,
    EventIndexPage,
    FederationHubPage,
    MethodologyIndexPage,
    ProjectSeedIndexPage,
    ResidencyIndexPage,
)
from tenants.admin_views import can_run_network
from tenants.extension_points import (
    ACTIVITY_COUNTERS,
    AFTER_PROVISIONING,
    DEMO_CONTENT,
    NEIGHBOURHOODS_ONLY,
    NETWORK_DEMO_CONTENT,
    OPENING_CHOICES,
    PORTAL_SECTIONS,
    ROLE_PERMISSIONS,
    ActivityCounter,
    OpeningChoice,
    PortalSection,
)
from tenants.group_names import ANIMATORS
from tenants.models import Neighbourhood

if TYPE_CHECKING:
    from tenants.provisioning import Provisioning
from core.extension_points import (
    LATEST_SOURCES,
    MODERATION_SOURCES,
    NOT_SHOWN_ON_PAGES,
    SHOWN_ON_PAGES,
)
from core.latest import LatestSource
from core.moderation import ModerationItem, ModerationSource
from portal import latest
from portal.agenda import hooks as agenda_hooks  # noqa: F401  (registers its hooks)
from portal.education import hooks as education_hooks  # noqa: F401  (registers its hooks)
from portal.residencies import hooks as residency_hooks  # noqa: F401  (registers its hooks)
from portal.workshops import hooks as workshop_hooks  # noqa: F401  (registers its hooks)

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
    # the moderation screen (portal/actors/proposals.py).
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
        path("reseau/fiches/retours/", OurFeedbackView.as_view(), name="portal_our_feedback"),
        path(
            "reseau/boite-a-outils/", ToolkitCurationView.as_view(), name="portal_toolkit_curation"
        ),
        path(
            "reseau/boite-a-outils/collections/nouvelle/",
            CollectionEditView.as_view(),
            name="portal_toolkit_collection_add",
        ),
        path(
            "reseau/boite-a-outils/collections/<slug:slug>/",
            CollectionEditView.as_view(),
            name="portal_toolkit_collection",
        ),
        path("reseau/parcours/", TrainingIndexView.as_view(), name="portal_training_index"),
        path(
            "reseau/parcours/<slug:slug>/",
            PortalTrainingView.as_view(),
            name="portal_training_portal",
        ),
        path("acteurs/exporter/", ExportView.as_view(), name="portal_actor_export"),
        path("acteurs/importer/", ImportView.as_view(), name="portal_actor_import"),
        path("acteurs/recits/", StoryQueueView.as_view(), name="portal_story_queue"),
        path("acteurs/recits/<int:pk>/", ModerateStoryView.as_view(), name="portal_story_moderate"),
        path(
            "acteurs/recits/<int:pk>/photo/",
            pending_story_photo,
            name="portal_story_pending_photo",
        ),
    ]


@hooks.register("after_publish_page")
def story_published_in_editor(request, page) -> None:
    """A story published from the page editor is approved like one from its moderation
    screen (its status would otherwise keep it off the map's lists)."""
    if isinstance(page.specific, MapStoryPage):
        published_in_editor(page.specific, request.user)


class StoriesMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return user_can_moderate(request.user)


@hooks.register(ACTORS_SUBMENU_HOOK)
def stories_menu_item():
    return StoriesMenuItem(
        _("Récits de la carte"), reverse("portal_story_queue"), icon_name="site", order=5
    )


class SendEntryLinksBulkAction(SnippetBulkAction):
    """ "Mettez à jour votre fiche": each chosen actor with an e-mail gets its own link."""

    display_name = _("Mettez à jour votre fiche")
    action_type = "send_actor_entry_links"
    aria_label = _("Envoyer aux acteurs choisis le lien pour mettre à jour leur fiche")
    template_name = "portal/actors/admin/confirm_send_links.html"
    action_priority = 30
    models = [Actor]

    def check_perm(self, actor: Actor) -> bool:
        return self.request.user.has_perm("portal.change_actor")

    @classmethod
    def execute_action(cls, objects: list[Actor], **kwargs: object) -> tuple[int, int]:
        result = send_entry_links(objects, directory_page())
        return result.sent, 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "Lien envoyé à %(count)d acteur (ceux sans adresse e-mail n'ont rien reçu).",
            "Liens envoyés à %(count)d acteurs (ceux sans adresse e-mail n'ont rien reçu).",
            num_parent_objects,
        ) % {"count": num_parent_objects}


hooks.register("register_bulk_action", SendEntryLinksBulkAction)


def _proposal_items(limit: int) -> list[ModerationItem]:
    return [
        ModerationItem(
            title=f"{proposal.kind_of_proposal} · {proposal.name}",
            summary=Truncator(proposal.message or proposal.description).chars(200),
            received=proposal.created_at,
            url=reverse("portal_actorproposal:moderate", args=[proposal.pk]),
        )
        for proposal in ActorProposal.objects.pending().order_by("created_at", "pk")[:limit]
    ]


def _story_items(limit: int) -> list[ModerationItem]:
    return [
        ModerationItem(
            title=f"{story.get_kind_display()} · {story.title}",
            summary=Truncator(story.text).chars(200),
            received=story.received_at,
            url=reverse("portal_story_moderate", args=[story.pk]),
        )
        for story in waiting_stories()[:limit]
    ]


@hooks.register(MODERATION_SOURCES)
def actors_to_moderate() -> list[ModerationSource]:
    """Proposed actors and entry changes (from residents or from the actors' own links),
    and residents' stories for the map."""
    return [
        ModerationSource(
            key="actor-proposals",
            label=str(_("Propositions d'acteurs et mises à jour de fiches")),
            queue_url=reverse("portal_actorproposal:list"),
            waiting_count=lambda: ActorProposal.objects.pending().count(),
            waiting=_proposal_items,
            permission="portal.change_actorproposal",
        ),
        ModerationSource(
            key="map-stories",
            label=str(_("Récits de la carte")),
            queue_url=reverse("portal_story_queue"),
            waiting_count=lambda: waiting_stories().count(),
            waiting=_story_items,
            permission="portal.change_actor",
        ),
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


class OurFeedbackMenuItem(NetworkSheetsMenuItem):
    pass


@hooks.register("register_admin_menu_item")
def our_feedback_menu_item():
    return OurFeedbackMenuItem(
        _("Nos retours de fiches"), reverse("portal_our_feedback"), icon_name="comment", order=911
    )


class ToolkitCurationMenuItem(MenuItem):
    """Shown where the screen answers: the federation's host, to its staff."""

    def is_shown(self, request) -> bool:
        return can_run_network(request)


@hooks.register("register_admin_menu_item")
def toolkit_curation_menu_item():
    return ToolkitCurationMenuItem(
        _("Boîte à outils"),
        reverse("portal_toolkit_curation"),
        icon_name="clipboard-list",
        order=951,
    )


@hooks.register("register_admin_menu_item")
def training_menu_item():
    return ToolkitCurationMenuItem(
        _("Parcours de formation"),
        reverse("portal_training_index"),
        icon_name="group",
        order=952,
    )


# --- What every new portal gets (tenants.extension_points) ------------------------------


@hooks.register(OPENING_CHOICES)
def toolkit_collection_choice() -> Iterable[OpeningChoice]:
    """A new portal may start with one of the federation's collections of sheets."""
    return [
        OpeningChoice(
            key="toolkit_collection",
            field=collection_choices,
            apply=adopt_collection_at_opening,
        )
    ]


@hooks.register(PORTAL_SECTIONS)
def sections() -> Iterable[PortalSection]:
    """News and agenda first in the menu; blogs, actors, seeds and methodology after the
    classifieds and the radio."""
    return [
        PortalSection(
            ArticleIndexPage,
            "Actualités",
            "actualites",
            "Les nouvelles du quartier, écrites par l'équipe et par les habitants.",
            order=10,
        ),
        PortalSection(
            EventIndexPage,
            "Agenda",
            "agenda",
            "Tables rondes, ateliers, formations et petits-déjeuners du réseau.",
            order=20,
        ),
        PortalSection(
            BlogIndexPage,
            "Blogs des habitants",
            "blogs",
            "Les habitants et les collectifs du quartier prennent la plume.",
            order=50,
            kinds=NEIGHBOURHOODS_ONLY,
        ),
        PortalSection(
            ActorDirectoryPage,
            "Acteurs du quartier",
            "acteurs",
            "Associations, commerces, écoles, tiers-lieux : qui fait vivre le quartier, et où.",
            order=60,
            kinds=NEIGHBOURHOODS_ONLY,
        ),
        PortalSection(
            ProjectSeedIndexPage,
            "Graines de projet",
            "graines-de-projet",
            "Les projets nés de nos ateliers participatifs : venez les rejoindre.",
            order=70,
            kinds=NEIGHBOURHOODS_ONLY,
        ),
        # A residency is the network's team at work on one territory: its page lives in
        # that neighbourhood's portal, beside what it produces there (articles, episodes,
        # workshops and seeds), which Wagtail's choosers can reach only within one portal.
        # The federation has no workshops nor radio to link, hence no section of its own.
        PortalSection(
            ResidencyIndexPage,
            "Résidences",
            "residences",
            "Une équipe du réseau s'installe quelques mois dans le quartier : ce qui s'y "
            "prépare, s'y fait et ce qui en reste.",
            order=75,
            kinds=NEIGHBOURHOODS_ONLY,
        ),
        PortalSection(
            MethodologyIndexPage,
            "Méthodologie",
            "methodologie",
            "Comment nous faisons : nos fiches, à reprendre et à adapter.",
            order=80,
        ),
    ]


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators keep the news categories and the actors, and moderate residents'
    proposals of actors (approving one creates or changes an actor)."""
    return {
        ANIMATORS: [
            ("portal", "add_articlecategory"),
            ("portal", "change_articlecategory"),
            ("portal", "delete_articlecategory"),
            ("portal", "add_actor"),
            ("portal", "change_actor"),
            ("portal", "delete_actor"),
            ("portal", "view_actorproposal"),
            ("portal", "change_actorproposal"),
            ("portal", "delete_actorproposal"),
        ]
    }


@hooks.register(AFTER_PROVISIONING)
def add_federation_hub(provisioning: Provisioning) -> None:
    """The federation's portal lists what the whole network shares."""
    if provisioning.neighbourhood.kind != Neighbourhood.Kind.FEDERATION:
        return
    home = Site.objects.get(is_default_site=True).root_page
    hub = FederationHubPage(
        title="Ressources du réseau",
        slug="ressources",
        intro="<p>Les fiches méthodologiques et les articles que les quartiers partagent.</p>",
        show_in_menus=True,
    )
    home.add_child(instance=hub)
    hub.save_revision().publish()


@hooks.register(DEMO_CONTENT, order=20)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """News, agenda, blogs, journal, sheets and actors of the demo."""
    seed_portal(neighbourhood)


@hooks.register(DEMO_CONTENT, order=70)
def demo_map(neighbourhood: Neighbourhood) -> None:
    """The actors' map and a workshop with its seeds, last (it reuses earlier content)."""
    seed_map(neighbourhood)


@hooks.register(DEMO_CONTENT, order=71)
def demo_map_stories(neighbourhood: Neighbourhood) -> None:
    """Residents' stories on the map, one of each kind, around the portal's centre."""
    seed_stories(neighbourhood, CENTRES.get(neighbourhood.schema_name, DEFAULT_CENTRE))


@hooks.register(DEMO_CONTENT, order=95)
def demo_pictures(neighbourhood: Neighbourhood) -> None:
    """A picture for every live article, event and post and every actor of the demo, last:
    the steps before add pages and republish articles from their own copies."""
    draw_demo_pictures()


@hooks.register(NETWORK_DEMO_CONTENT)
def demo_toolkit() -> None:
    """The federation's collections, its marks, and portals' adoptions with feedback."""
    seed_toolkit()


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """Publications by type, workshops, action groups and the map (``portal.indicators``)."""
    return portal_counters()


@hooks.register(SHOWN_ON_PAGES)
def portal_models_shown_on_pages() -> Iterable[str]:
    """Actors, categories, tags and the rows pages list (an issue's items, a workshop's
    seeds and picked stories)."""
    return [
        "portal.Actor",
        "portal.ActorTag",
        "portal.ArticleCategory",
        "portal.ArticlePageTag",
        "portal.MethodologyPageTag",
        "portal.JournalIssueItem",
        "portal.ProjectSeed",
        "portal.WorkshopStory",
    ]


@hooks.register(NOT_SHOWN_ON_PAGES)
def portal_models_not_shown_on_pages() -> Iterable[str]:
    """A visitor's proposal shows only once moderated, through the actor it changes."""
    return ["portal.ActorProposal"]


@hooks.register(LATEST_SOURCES)
def portal_latest_sources() -> Iterable[LatestSource]:
    """News, next events, residents' posts, featured actors, the network's toolkit."""
    return latest.SOURCES
