"""What every new portal starts with: its page tree and its editorial groups.

Built once, in the template schema; every portal is a clone of it. Each function is
idempotent, so ``migrate_network`` can run it again after a change. The home page, the
sections, the features' permissions and furnishings come from the features, through the
extension points of ``tenants.extension_points``; the platform's own permissions (users,
languages, pages, images and documents) are set here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django_tenants.utils import schema_context
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
)

from tenants.extension_points import (
    PortalSection,
    fit_portal_kind,
    furnish_portal,
    portal_home,
    portal_sections,
    role_permissions,
)

# The group names live in group_names (core.roles ranks them); imported from here too.
from tenants.group_names import ANIMATORS, CONTRIBUTORS
from tenants.group_names import FEDERATION_STAFF as FEDERATION_STAFF
from tenants.models import Neighbourhood
from tenants.network_migrations import in_workers

# The template schema is furnished for the kind most portals are.
TEMPLATE_KIND = Neighbourhood.Kind.NEIGHBOURHOOD.value

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
# The platform's own model permissions; each feature adds those on its models through
# the ROLE_PERMISSIONS extension point.
ANIMATOR_MODEL_PERMISSIONS = [
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("wagtailcore", "add_locale"),
    ("wagtailcore", "change_locale"),
    ("simple_translation", "submit_translation"),
]


@transaction.atomic
def build_default_portal() -> Page:
    """Give the current schema the default page tree, editorial groups and furnishings."""
    home = build_page_tree()
    ensure_groups(home)
    # Categories, settings rows...: settings rows exist from the start, so a portal's
    # first visit writes nothing and does not invalidate the page cache it is filling.
    furnish_portal()
    return home


def build_page_tree() -> Page:
    """The home page and the neighbourhoods' sections, with French titles and slugs; the
    Site points at the home page. (A federation is fitted to its kind once cloned.)"""
    candidate = portal_home()
    home_type = type(candidate)
    home = home_type.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's own migration leaves a "Welcome" page where our home page goes.
        Page.objects.filter(depth=2, slug="home").not_type(home_type).delete()
        home = root.add_child(instance=candidate)
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "localhost", "port": 80, "site_name": home.title},
    )
    for section in template_sections():
        _add_section(home, section)
    return home


def template_sections() -> list[PortalSection]:
    """The sections the template holds: the neighbourhoods', most portals' kind."""
    return [section for section in portal_sections() if section.is_for(TEMPLATE_KIND)]


def _withdraw_section(home: Page, section: PortalSection) -> bool:
    """Take ``section`` off an open portal whose kind has no use for it; True if it was
    there. The page may hold what people wrote: unpublished with everything under it and
    taken out of the menu, never deleted (its editors can publish it again)."""
    pages = section.model.objects.child_of(home)
    if not pages.exists():
        return False
    for page in pages:
        page.get_descendants(inclusive=True).live().unpublish()
        type(page).objects.filter(pk=page.pk).update(show_in_menus=False)
    return True


def _delete_sections(home: Page, sections: list[PortalSection]) -> list[PortalSection]:
    """Delete the pages of ``sections`` under the home page of a portal being opened (the
    template's empty ones); the sections that had one.

    Each deletion is logged as Wagtail's ``DeletePageAction`` logs it, then the pages go
    in one tree deletion: one pass of Django's collector over every model that refers to
    a page, where a ``Page.delete`` each made a pass a page. A federation withdraws eight
    of the template's sections: opening one made 1,109 queries and took 1.38 s of CPU
    (0.36 s of it the server's); 690 queries and 0.89 s (0.25 s) this way, five of each
    alternated (issue 23 §6: some 35 test modules open a federation).
    """
    found: list[PortalSection] = []
    doomed: list[int] = []
    for section in sections:
        pages = list(section.model.objects.child_of(home))
        if not pages:
            continue
        found.append(section)
        for page in pages:
            for child in page.get_descendants().specific().iterator():
                log(instance=child, action="wagtail.delete", deleted=True)
            log(instance=page, action="wagtail.delete", deleted=True)
            doomed.append(page.pk)
    if doomed:
        Page.objects.filter(pk__in=doomed).delete()
    return found


def fit_sections(
    home: Page, kind: str, offered: Iterable[str], *, fresh: bool = False
) -> tuple[list[str], list[str], list[str]]:
    """Give the portal under ``home`` the sections of its ``kind``.

    Each section of its kind whose slug is not in ``offered`` is published (unless the
    portal has a page of its type); each section of another kind that it was offered is
    withdrawn (``_withdraw_section``). Returns the titles added, the titles withdrawn and
    the slugs now offered: a section is offered, or withdrawn, once, so what the portal's
    editors decide afterwards stands.
    """
    already = set(offered)
    sections = portal_sections()
    added = [
        str(section.title)
        for section in sections
        if section.is_for(kind) and section.slug not in already and _add_section(home, section)
    ]
    others = [s for s in sections if not s.is_for(kind) and s.slug in already]
    if fresh:
        withdrawn = [str(section.title) for section in _delete_sections(home, others)]
    else:
        withdrawn = [str(section.title) for section in others if _withdraw_section(home, section)]
    return added, withdrawn, [section.slug for section in sections if section.is_for(kind)]


def _add_section(home: Page, section: PortalSection) -> bool:
    """Publish ``section`` under ``home`` unless a page of its type exists; True if added."""
    if section.model.objects.exists():
        return False
    page = section.model(
        title=section.title,
        slug=section.slug,
        intro=f"<p>{section.intro}</p>",
        show_in_menus=True,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return True


@transaction.atomic
def bring_up_to_date(
    offered: Iterable[str], kind: str = TEMPLATE_KIND, *, fresh: bool = False
) -> tuple[list[str], list[str]]:
    """Give the current portal's schema what features added since it opened, fitted to
    its ``kind``.

    The editorial groups get the features' new permissions, the sections are fitted to
    the portal's kind (``fit_sections``: a section offered before and removed by the
    animators stays removed), then the features fit the rest (``FIT_PORTAL_KIND``: the
    federation's home blocks). Returns the titles of the sections added or withdrawn and
    the slugs now offered.
    """
    home = type(portal_home()).objects.first()
    if home is None:  # not a portal's schema (an import under way): nothing to furnish
        return [], list(offered)
    ensure_groups(home)
    return fit_to_kind(offered, kind, fresh=fresh)


def fit_to_kind(
    offered: Iterable[str], kind: str = TEMPLATE_KIND, *, fresh: bool = False
) -> tuple[list[str], list[str]]:
    """The current portal's sections fitted to its ``kind``, then the features' own fitting
    (``FIT_PORTAL_KIND``), and nothing else: a portal cloned from the template has the
    template's groups and permissions as they are. Returns as ``bring_up_to_date``."""
    home = type(portal_home()).objects.first()
    if home is None:
        return [], list(offered)
    added, withdrawn, now_offered = fit_sections(home, kind, offered, fresh=fresh)
    fit_portal_kind(kind)
    return added + [f"{title} (retirée)" for title in withdrawn], now_offered


def _portal_brought_up_to_date(
    portal: tuple[int, str, str, list[str], str],
) -> tuple[int, str, str, list[str]]:
    """``bring_up_to_date`` in one portal's schema, given as (pk, schema, name, offered,
    kind); returns (pk, schema, name, titles of the sections added). A worker's function."""
    pk, schema, name, offered, kind = portal
    with schema_context(schema):
        added, now_offered = bring_up_to_date(offered, kind)
    if now_offered != offered:
        Neighbourhood.objects.filter(pk=pk).update(sections_offered=now_offered)
    return pk, schema, name, added


def bring_portals_up_to_date(
    progress: Callable[[str], None], skip: Iterable[str] = (), processes: int = 1
) -> dict[str, list[str]]:
    """Run ``bring_up_to_date`` in every portal's schema but those in ``skip`` (whose
    migrations failed) and record what each was offered; returns the titles of the
    sections added, by schema, and tells ``progress`` of each. ``processes`` > 1 shares
    the portals among forked workers (``migrate_network``: a dozen queries a portal,
    about 0.7 s on a loaded 2-core machine, twelve minutes for 1,000 portals in one)."""
    portals = [
        (portal.pk, portal.schema_name, portal.name, portal.sections_offered, portal.kind)
        for portal in Neighbourhood.objects.exclude(schema_name__in=skip).order_by("schema_name")
    ]
    added_by_schema: dict[str, list[str]] = {}
    results = in_workers(_portal_brought_up_to_date, portals, processes)
    for done, (_pk, schema, name, added) in enumerate(results, start=1):
        if added:
            added_by_schema[schema] = added
            progress(f"[{done}/{len(portals)}] {name} : + {', '.join(added)}")
    return added_by_schema


def ensure_groups(home: Page) -> None:
    """The "Animateurs" and "Contributeurs" groups, with their permissions.

    Wagtail's default "Moderators" and "Editors" groups are removed: the moderation
    workflow's approval task goes to the animators instead. Run in every portal by each
    ``migrate_network``: permissions are read in one query and only the missing grants
    written, so that a portal already furnished costs a dozen queries, not a hundred.
    """
    roles = role_permissions()
    wanted = _permissions(
        [("wagtailadmin", "access_admin")]
        + ANIMATOR_MODEL_PERMISSIONS
        + [("wagtailcore", codename) for codename in ANIMATOR_PAGE_PERMISSIONS]
        + ANIMATOR_COLLECTION_PERMISSIONS
        + CONTRIBUTOR_COLLECTION_PERMISSIONS
        + [pair for pairs in roles.values() for pair in pairs]
    )
    animators, _ = Group.objects.get_or_create(name=ANIMATORS)
    contributors, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
    admin_access = wanted["wagtailadmin", "access_admin"]
    animators.permissions.add(admin_access, *(wanted[p] for p in ANIMATOR_MODEL_PERMISSIONS))
    contributors.permissions.add(admin_access)
    for name, pairs in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*(wanted[pair] for pair in pairs))

    page_grants = {
        wanted["wagtailcore", codename].pk for codename in ANIMATOR_PAGE_PERMISSIONS
    } - set(
        GroupPagePermission.objects.filter(group=animators, page=home).values_list(
            "permission_id", flat=True
        )
    )
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=animators, page=home, permission_id=pk) for pk in page_grants
    )
    root_collection = Collection.get_first_root_node()
    granted = set(
        GroupCollectionPermission.objects.filter(
            group__in=[animators, contributors], collection=root_collection
        ).values_list("group_id", "permission_id")
    )
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=root_collection, permission=permission)
        for group, pairs in (
            (animators, ANIMATOR_COLLECTION_PERMISSIONS),
            (contributors, CONTRIBUTOR_COLLECTION_PERMISSIONS),
        )
        for permission in (wanted[pair] for pair in pairs)
        if (group.pk, permission.pk) not in granted
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


def _permissions(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Permission]:
    """The permissions named by (app label, codename), read in one query; a name that
    matches none is a feature's mistake and stops the furnishing, as a ``get`` would."""
    pairs = set(pairs)
    # Two IN lists, then the exact pairs kept here: an OR of one Q per pair (about sixty)
    # cost 0.4 s a portal to compile on a loaded machine, run in every portal by
    # migrate_network.
    candidates = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in pairs},
        codename__in={codename for _, codename in pairs},
    ).select_related("content_type")
    found = {
        key: permission
        for permission in candidates
        if (key := (permission.content_type.app_label, permission.codename)) in pairs
    }
    missing = pairs - found.keys()
    if missing:
        raise Permission.DoesNotExist(f"Permissions inconnues : {sorted(missing)}")
    return found
