"""Media-education cycles in Wagtail and in the platform's extension points: the learners'
records (animators only), the credits under a production, the publication rule of the
parental authorisations, the automatic credit of a learner's own pages, the demo.

Imported by ``portal/wagtail_hooks.py`` (Wagtail reads hooks from an app's top module).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib import messages
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.caching import fragment
from core.extension_points import PAGE_READINGS, PUBLICATION_CHECKS, SHOWN_ON_PAGES
from core.latest import Reading
from core.read_ahead import read_ahead
from portal.education.consent import (
    apply_authorisation,
    consent_problems,
    credits_of,
    credits_shown_on,
    shown_credits,
)
from portal.education.demo import seed_cycle
from portal.education.models import Learner, ProductionCredit
from tenants.extension_points import DEMO_CONTENT, ROLE_PERMISSIONS
from tenants.group_names import ANIMATORS


class LearnerViewSet(SnippetViewSet):
    """The learners of the cycles and their parental authorisations. Wagtail's snippet
    permissions keep them to the roles that hold the model's rights: the animators."""

    model = Learner
    icon = "user"
    menu_label = gettext_lazy("Éducation aux médias")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "education/participants"
    url_namespace = "portal_learner"
    list_display = [
        "name",
        Column("cycle", label=gettext_lazy("Cycle")),
        BooleanColumn("is_minor", label=gettext_lazy("Mineur·e")),
        BooleanColumn("may_show_name", label=gettext_lazy("Nom")),
        BooleanColumn("may_show_image", label=gettext_lazy("Image")),
        BooleanColumn("may_broadcast_voice", label=gettext_lazy("Voix")),
    ]
    list_filter = ["cycle", "is_minor"]
    search_fields = ["name", "parent_name"]
    search_backend_name = None  # a plain icontains: these private rows stay out of any index

    def get_queryset(self, request):
        return Learner.objects.select_related("cycle")


register_snippet(LearnerViewSet)


def _apply(request, learner: Learner) -> None:
    unpublished = apply_authorisation(learner, request.user)
    if unpublished:
        titles = ", ".join(f"« {page.title} »" for page in unpublished)
        messages.warning(
            request,
            ngettext(
                "Dépubliée, car elle ne respectait plus l'autorisation parentale : %(titles)s.",
                "Dépubliées, car elles ne respectaient plus l'autorisation parentale : %(titles)s.",
                len(unpublished),
            )
            % {"titles": titles},
        )


@hooks.register("after_edit_snippet")
def learner_edited(request, instance) -> None:
    """A narrowed authorisation takes effect at once on the learner's live pages."""
    if isinstance(instance, Learner):
        _apply(request, instance)


@hooks.register("after_create_snippet")
def learner_created(request, instance) -> None:
    if isinstance(instance, Learner):
        _apply(request, instance)


@hooks.register("after_create_page")
def credit_learners_own_page(request, page) -> None:
    """A page created by a learner's account is credited to them at once (writing): the
    rules of their authorisation apply to it from its first draft."""
    for learner in Learner.objects.filter(account=request.user):
        ProductionCredit.objects.get_or_create(
            learner=learner,
            page=page,
            contribution=ProductionCredit.Contribution.WRITING,
        )


@hooks.register(PUBLICATION_CHECKS)
def parental_authorisations(page, parent) -> Iterable[str]:
    """Nothing of a minor is published beyond what their parent authorised."""
    return consent_problems(page, parent)


# Bounded as the menu is: the portal's generation forgets them sooner on any change.
CREDITS_SECONDS = 300


def _credits_key(page) -> str:
    return f"education:credits:{page.pk}"


@hooks.register(PAGE_READINGS)
def production_credits_ahead(page, request) -> dict[str, Reading] | None:
    """The page's production credits, read with its other lists (``core.read_ahead``)
    when the fragment cache is off: on, they come from it and ask nothing."""
    if settings.FRAGMENT_CACHE_ENABLED or not getattr(page, "foot_sections", False):
        return None
    return {_credits_key(page): Reading([credits_of(page)], lambda rows: shown_credits(rows[0]))}


@hooks.register("register_page_foot_sections")
def production_credits(page, request) -> tuple[str, dict] | None:
    """Under an article, a blog post or an episode: who of a cycle made it.

    With the fragment cache on, read once per page and language until the portal changes
    (learners and credits are shown on pages: a change bumps the portal's generation), so
    that the credits cost a page no query of its own once read.
    """
    ahead = read_ahead(request, _credits_key(page))
    credits = fragment(
        "education-credits",
        (translation.get_language() or "", page.pk),
        CREDITS_SECONDS,
        lambda: credits_shown_on(page) if ahead is None else ahead,
    )
    if not credits:
        return None
    return "portal/education/includes/credits.html", {"education_credits": credits}


@hooks.register(SHOWN_ON_PAGES)
def education_models_shown_on_pages() -> Iterable[str]:
    """Learners show (as their authorisation allows) in the credits of their pages: a
    changed authorisation or credit forgets the portal's cached pages. The séances show
    on their cycle's page."""
    return ["portal.Learner", "portal.ProductionCredit", "portal.CycleSession"]


@hooks.register(ROLE_PERMISSIONS)
def education_role_permissions() -> dict[str, list[tuple[str, str]]]:
    """The animators keep the learners' records; no other role sees them."""
    return {
        ANIMATORS: [
            ("portal", "add_learner"),
            ("portal", "change_learner"),
            ("portal", "delete_learner"),
            ("portal", "view_learner"),
        ]
    }


@hooks.register(DEMO_CONTENT, order=72)
def demo_cycle(neighbourhood) -> None:
    """A media-education cycle with its séances, learners and productions."""
    seed_cycle(neighbourhood)
