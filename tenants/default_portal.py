"""What every new portal starts with: its page tree and its editorial groups.

Built once, in the template schema; every portal is a clone of it. Each function is
idempotent, so ``migrate_network`` can run it again after a change.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
)

from classifieds.defaults import ANIMATOR_PERMISSIONS as CLASSIFIEDS_ANIMATOR_PERMISSIONS
from classifieds.defaults import ensure_default_categories
from classifieds.models import ClassifiedsPage
from home.blocks import DEFAULT_HOME_BLOCKS
from home.models import HomePage
from home.site_settings import PortalSettings
from newsletter.models import NewsletterIndexPage
from portal.models import (
    ActorDirectoryPage,
    ArticleIndexPage,
    BlogIndexPage,
    EventIndexPage,
    MethodologyIndexPage,
    ProjectSeedIndexPage,
)
from radio.models import RadioPage, RadioSettings

# The group names live in group_names (core.roles ranks them); imported from here too.
from tenants.group_names import ANIMATORS, CONTRIBUTORS
from tenants.group_names import FEDERATION_STAFF as FEDERATION_STAFF

HOME = ("Accueil", "accueil")
# Each section with the introduction a new portal starts with (the animator rewrites it).
SECTIONS = [
    (
        ArticleIndexPage,
        "Actualités",
        "actualites",
        "Les nouvelles du quartier, écrites par l'équipe et par les habitants.",
    ),
    (
        EventIndexPage,
        "Agenda",
        "agenda",
        "Tables rondes, ateliers, formations et petits-déjeuners du réseau.",
    ),
    (
        ClassifiedsPage,
        "Petites annonces",
        "petites-annonces",
        "Donner, prêter, échanger, proposer un coup de main entre voisins.",
    ),
    (
        RadioPage,
        "Radio & TV",
        "radio-tv",
        "La webradio et la webTV du quartier : émissions, podcasts et vidéos.",
    ),
    (
        BlogIndexPage,
        "Blogs des habitants",
        "blogs",
        "Les habitants et les collectifs du quartier prennent la plume.",
    ),
    (
        ActorDirectoryPage,
        "Acteurs du quartier",
        "acteurs",
        "Associations, commerces, écoles, tiers-lieux : qui fait vivre le quartier, et où.",
    ),
    (
        ProjectSeedIndexPage,
        "Graines de projet",
        "graines-de-projet",
        "Les projets nés de nos ateliers participatifs : venez les rejoindre.",
    ),
    (
        MethodologyIndexPage,
        "Méthodologie",
        "methodologie",
        "Comment nous faisons : nos fiches, à reprendre et à adapter.",
    ),
    (
        NewsletterIndexPage,
        "Infolettre",
        "infolettre",
        "La lettre du quartier, dans votre boîte aux lettres : abonnez-vous, lisez les numéros.",
    ),
]

ANIMATOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
ANIMATOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtaildocs", "choose_document"),
]
CONTRIBUTOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]
ANIMATOR_MODEL_PERMISSIONS = [
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("home", "change_portalsettings"),
    ("portal", "add_articlecategory"),
    ("portal", "change_articlecategory"),
    ("portal", "delete_articlecategory"),
    ("portal", "add_actor"),
    ("portal", "change_actor"),
    ("portal", "delete_actor"),
    # Moderating residents' proposals of actors (approving creates or changes an actor).
    ("portal", "view_actorproposal"),
    ("portal", "change_actorproposal"),
    ("portal", "delete_actorproposal"),
    ("wagtailcore", "add_locale"),
    ("wagtailcore", "change_locale"),
    ("wagtail_localize", "submit_translation"),
    ("radio", "change_radiosettings"),  # the portal's own PeerTube/Castopod hosts
    # Moderating classifieds and editing their categories.
    *(("classifieds", codename) for codename in CLASSIFIEDS_ANIMATOR_PERMISSIONS),
    # The subscribers' list (to read, export, and erase on request; never to add to) and
    # the events' registrations.
    ("newsletter", "view_subscriber"),
    ("newsletter", "delete_subscriber"),
    ("registrations", "view_registration"),
    ("registrations", "change_registration"),
]


@transaction.atomic
def build_default_portal() -> HomePage:
    """Give the current schema the default page tree and editorial groups."""
    home = build_page_tree()
    ensure_groups(home)
    ensure_default_categories()
    # Settings rows exist from the start: a portal's first visit then writes nothing, and
    # does not invalidate the page cache it is filling.
    PortalSettings.load()
    RadioSettings.load()
    return home


def build_page_tree() -> HomePage:
    """Accueil and its sections, with French titles and slugs; the Site points at Accueil."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        title, slug = HOME
        # Wagtail's own migration leaves a "Welcome" page where our home page goes.
        Page.objects.filter(depth=2, slug="home").exclude(content_type__model="homepage").delete()
        home = root.add_child(instance=HomePage(title=title, slug=slug, body=DEFAULT_HOME_BLOCKS))
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "localhost", "port": 80, "site_name": home.title},
    )
    for model, title, slug, intro in SECTIONS:
        if not model.objects.exists():
            section = model(title=title, slug=slug, intro=f"<p>{intro}</p>", show_in_menus=True)
            home.add_child(instance=section)
            section.save_revision().publish()
    return home


def ensure_groups(home: Page) -> None:
    """The "Animateurs" and "Contributeurs" groups, with their permissions.

    Wagtail's default "Moderators" and "Editors" groups are removed: the moderation
    workflow's approval task goes to the animators instead.
    """
    animators, _ = Group.objects.get_or_create(name=ANIMATORS)
    contributors, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    animators.permissions.add(admin_access, *_permissions(ANIMATOR_MODEL_PERMISSIONS))
    contributors.permissions.add(admin_access)

    for codename in ANIMATOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=animators,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    root_collection = Collection.get_first_root_node()
    for group, wanted in (
        (animators, ANIMATOR_COLLECTION_PERMISSIONS),
        (contributors, CONTRIBUTOR_COLLECTION_PERMISSIONS),
    ):
        for permission in _permissions(wanted):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )

    for task in GroupApprovalTask.objects.all():
        task.groups.set([animators])
        if task.name == "Moderators approval":
            task.name = "Relecture par l'équipe d'animation"
            task.save(update_fields=["name"])
    Workflow.objects.filter(name="Moderators approval").update(
        name="Validation par l'équipe d'animation"
    )
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()


def _permissions(pairs: list[tuple[str, str]]) -> list[Permission]:
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in pairs
    ]
