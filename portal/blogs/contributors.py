"""Residents who write: a contributor can add and edit posts in their own blog only."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from portal.blogs.models import BlogIndexPage, BlogPage
from tenants.default_portal import CONTRIBUTORS
from tenants.invitations import send_invitation
from tenants.models import Neighbourhood

BLOG_PERMISSIONS = ["add_page", "change_page"]


def blog_group(blog: BlogPage) -> Group:
    """The group whose members write in ``blog``: they may add and edit its posts, not
    publish them (the moderation workflow asks an animator)."""
    group, _ = Group.objects.get_or_create(name=f"Blog n° {blog.pk} — {blog.title}"[:150])
    for codename in BLOG_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=blog,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return group


def open_blog(title: str, writers: str = "") -> BlogPage:
    """A new, published blog in the portal's blogs section."""
    index = BlogIndexPage.objects.get(locale__language_code="fr")
    blog = BlogPage(title=title, writers=writers)
    index.add_child(instance=blog)
    blog.save_revision().publish()
    return blog


@transaction.atomic
def invite_contributor(
    portal: Neighbourhood,
    email: str,
    blog: BlogPage,
    first_name: str = "",
    last_name: str = "",
) -> AbstractUser:
    """Give ``email`` a contributor account writing in ``blog``, and e-mail them the link
    to choose their password (once the account is saved for good)."""
    email = email.strip().lower()
    user, created = get_user_model().objects.get_or_create(
        username=email,
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=CONTRIBUTORS), blog_group(blog))
    transaction.on_commit(lambda: send_invitation(portal, user, role="contributor", blog=blog))
    return user
