"""What core registers at its own extension points (the Wagtail and Django models it
installs that show on pages, and its own models) and in Wagtail's admin (the moderation
inbox over every feature's queue, the translation of a page, the guides)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.caching import CORE_NOT_SHOWN_ON_PAGES, CORE_SHOWN_ON_PAGES
from core.components import ComponentsMenuItem, components
from core.extension_points import NOT_SHOWN_ON_PAGES, SHOWN_ON_PAGES
from core.guides import GuidesIndexView, GuidesMenuItem, GuideView, guide_image
from core.moderation_inbox import InboxMenuItem, InboxView, add_inbox_panel
from core.page_creation import hold_children_of
from core.privacy import PublicDocumentLinkHandler
from core.task_admin import FailedTasksMenuItem, FailedTasksView
from core.translation import SubmitPageTranslationView


@hooks.register(SHOWN_ON_PAGES)
def core_models_shown_on_pages() -> Iterable[str]:
    """Images, documents, collections, tags, sites, locales, privacy rows, redirects, and
    the network's registry."""
    return CORE_SHOWN_ON_PAGES


@hooks.register(NOT_SHOWN_ON_PAGES)
def core_models_not_shown_on_pages() -> Iterable[str]:
    """Anti-abuse counters, the network's own bookkeeping, and the Wagtail and Django
    models of a portal's schema that no public page shows (accounts, editing's records)."""
    return CORE_NOT_SHOWN_ON_PAGES


@hooks.register("register_rich_text_features", order=100)
def private_documents_unlinked(features) -> None:
    """Rich text's document links through ``core.privacy``: after Wagtail's own handler
    (order 100), so that a link to a private document is rendered as plain text."""
    features.register_link_type(PublicDocumentLinkHandler)


# --- One page added under a parent at a time (core.page_creation) ----------------------


@hooks.register("before_create_page")
def one_new_child_at_a_time(request, parent_page, page_class) -> None:
    """A POST of the create form waits for any other one under the same parent: a double
    POST then meets the form's slug check, not a 500 at ``add_child``."""
    if request.method == "POST":
        hold_children_of(parent_page)


@hooks.register("before_edit_page")
def one_renamed_child_at_a_time(request, page) -> None:
    """A POST that changes a page's slug waits the same way (its ``save_revision`` checks
    the slug again, as ``add_child`` does)."""
    if request.method == "POST" and request.POST.get("slug", page.slug) != page.slug:
        parent = page.get_parent()
        if parent is not None:
            hold_children_of(parent)


# --- Translation (core.translation) -----------------------------------------------------


@hooks.register("register_admin_urls", order=-1)
def page_translation_urls() -> list:
    """simple_translation's "Traduire une page" address, served by core's view: the first
    pattern wins, and simple_translation's buttons (reversed by name) lead to it."""
    return [
        path(
            "translation/submit/page/<int:page_id>/",
            SubmitPageTranslationView.as_view(),
            name="core_submit_page_translation",
        )
    ]


# --- The moderation inbox (core.moderation_inbox) ---------------------------------------


@hooks.register("register_admin_urls")
def moderation_inbox_urls() -> list:
    return [path("moderation/", InboxView.as_view(), name="core_moderation_inbox")]


@hooks.register("register_admin_menu_item")
def moderation_inbox_menu_item() -> InboxMenuItem:
    """ "Modération", near the top, for users who may see at least one queue."""
    return InboxMenuItem(
        _("Modération"), reverse("core_moderation_inbox"), icon_name="tasks", order=150
    )


@hooks.register("construct_homepage_panels")
def moderation_inbox_panel(request, panels: list) -> None:
    add_inbox_panel(request, panels)


# --- The background tasks that failed for good (core.task_admin) -------------------------


@hooks.register("register_admin_urls")
def failed_tasks_urls() -> list:
    return [path("reseau/taches/", FailedTasksView.as_view(), name="core_failed_tasks")]


@hooks.register("register_admin_menu_item")
def failed_tasks_menu_item() -> FailedTasksMenuItem:
    """Next to "Réseau", for the federation's staff only."""
    return FailedTasksMenuItem(
        _("Tâches en échec"), reverse("core_failed_tasks"), icon_name="warning", order=951
    )


# --- The design system's components (core.components) -----------------------------------


@hooks.register("register_admin_urls")
def components_urls() -> list:
    return [path("composants/", components, name="core_components")]


@hooks.register("register_admin_menu_item")
def components_menu_item() -> ComponentsMenuItem:
    """ "Composants du site", low in the menu, for those who edit pages."""
    return ComponentsMenuItem(
        _("Composants du site"), reverse("core_components"), icon_name="view", order=960
    )


# --- The guides of docs/guides/ (core.guides) --------------------------------------------


@hooks.register("register_admin_urls")
def guides_urls() -> list:
    return [
        path("guides/", GuidesIndexView.as_view(), name="core_guides"),
        path("guides/images/<str:name>", guide_image, name="core_guide_image"),
        path("guides/<slug:slug>/", GuideView.as_view(), name="core_guide"),
    ]


@hooks.register("register_admin_menu_item")
def guides_menu_item() -> GuidesMenuItem:
    """ "Guides", at the foot of the menu, for every admin user."""
    return GuidesMenuItem(_("Guides"), reverse("core_guides"), icon_name="help", order=990)


# --- The second factor (core.second_factor) ---------------------------------------------


@hooks.register("register_admin_urls")
def second_factor_urls() -> list:
    """The page where someone signed in turns on their second factor (optional for
    contributors; animators and above are asked for it at their first sign-in)."""
    from core.second_factor_views import turn_off, turn_on

    return [
        path("double-authentification/", turn_on, name="second_factor_turn_on"),
        path("double-authentification/desactiver/", turn_off, name="second_factor_turn_off"),
    ]


@hooks.register("register_account_menu_item")
def second_factor_account_item(request) -> dict:
    """The account page's link to turn on the second factor."""
    return {
        "url": reverse("second_factor_turn_on"),
        "label": _("Double authentification"),
        "help_text": _(
            "Un code de votre téléphone en plus du mot de passe, à chaque connexion "
            "(obligatoire pour les animateurs et l'équipe de la fédération)."
        ),
    }
