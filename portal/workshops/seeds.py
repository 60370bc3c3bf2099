"""The action groups: joining a seed, and what the group does from its own page.

Joining is recorded (``SeedMember``: who, when, with what consent) unconfirmed, and the
address gets a signed link to confirm it (anyone may type someone else's address). Once
confirmed the member counts, and the request is relayed by e-mail to the group, which
answers the resident directly (``Reply-To``: the member's own address, their choice).
The group's contact gets a signed link (``portal.workshops.tokens``) to a page listing the
confirmed members (names, never addresses), where it writes to them through the portal,
posts news of the project and changes its status and next steps.

Relay: each confirmed member gets their own e-mail (no member sees another's address),
with a signed link to leave the group. The contact's address is never given to members
(no ``Reply-To``): a group that wants answers says how in its message.

A group's news waits for an animator's approval (``core.moderation``) unless the animator
marked the group trusted.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.abuse import one_line
from portal.actors.proposals import animator_addresses
from portal.workshops.group_models import SeedMember, SeedUpdate
from portal.workshops.models import ProjectSeed
from portal.workshops.tokens import (
    group_seed_id,
    group_token,
    member_confirm_token,
    member_id_for,
    member_leave_token,
)
from tenants.addresses import current_portal, portal_base_url


def ask_to_join(
    seed: ProjectSeed, name: str, email: str, message: str = "", consent: bool = False
) -> bool:
    """Record a resident's request to join ``seed``, unconfirmed, and e-mail the address a
    link to confirm it; False if the group cannot be reached (then nothing is recorded).

    Anyone can type any address: until its owner confirms, the member is seen by nobody,
    written to by nobody, and the group is not told. A confirmed member's row is left as it
    is (name, consent) and gets nothing new; the visitor is told the same thing either way,
    so the form does not reveal who belongs to a group.
    """
    reachable = seed.contact_email or animator_addresses()
    if not reachable or current_portal() is None:
        return False
    with transaction.atomic():
        member = SeedMember.objects.select_for_update().filter(seed=seed, email=email).first()
        if member is not None and member.confirmed_at is not None:
            return True
        if member is None:
            member = SeedMember.objects.create(
                seed=seed, name=name, email=email, message=message, consent=consent
            )
        else:
            # Still unconfirmed: the latest request replaces the earlier one.
            member.name, member.message, member.consent = name, message, consent
            member.joined_at = timezone.now()
            member.save(update_fields=["name", "message", "consent", "joined_at"])
    send_confirmation(member)
    return True


def send_confirmation(member: SeedMember) -> None:
    """E-mail the member's address the link that confirms it. The e-mail holds nothing the
    visitor typed (name, message): only the portal's words, the seed's title and the link."""
    seed = member.seed
    portal = current_portal()
    link = section_url(seed, "member_confirm", member_confirm_token(member.pk, member.email))
    EmailMessage(
        subject=one_line(
            f"[{portal.name}] "
            + _("Confirmez votre inscription au groupe « %(seed)s »") % {"seed": seed.title[:80]}
        ),
        body=render_to_string(
            "portal/workshops/emails/member_confirm.txt",
            {"seed": seed, "link": link, "portal": portal},
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
    ).send()


def member_for_token(purpose: str, token: str) -> SeedMember | None:
    """The member a confirm ("confirm") or leave ("leave") token stands for, with its seed
    still public; None otherwise."""

    def email_of(member_id: int) -> str | None:
        return SeedMember.objects.filter(pk=member_id).values_list("email", flat=True).first()

    member_id = member_id_for(purpose, token, email_of)
    if member_id is None:
        return None
    return (
        SeedMember.objects.filter(pk=member_id, seed__in=ProjectSeed.objects.public())
        .select_related("seed", "seed__workshop")
        .first()
    )


def confirm_member(member: SeedMember) -> SeedMember:
    """The member's address is theirs: they count in the group from now on, and the group
    gets their request (answering it by e-mail reaches them). Confirming again does nothing."""
    if member.confirmed_at is not None:
        return member
    member.confirmed_at = timezone.now()
    member.save(update_fields=["confirmed_at"])
    _tell_the_group(member)
    return member


def purge_unconfirmed_members(now: datetime.datetime | None = None) -> int:
    """Delete the requests to join a group whose address was not confirmed within
    ``SEED_MEMBER_UNCONFIRMED_DAYS`` of the latest request: a name and an address nobody
    vouched for are not kept. Confirmed members stay. Returns how many were deleted."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.SEED_MEMBER_UNCONFIRMED_DAYS)
    deleted, _by_model = SeedMember.objects.filter(
        confirmed_at__isnull=True, joined_at__lt=limit
    ).delete()
    return deleted


def _tell_the_group(member: SeedMember) -> None:
    seed = member.seed
    portal = current_portal()
    recipients = [seed.contact_email] if seed.contact_email else animator_addresses()
    if not recipients or portal is None:
        return
    body = render_to_string(
        "portal/workshops/emails/seed_join.txt",
        {
            "seed": seed,
            "name": member.name,
            "email": member.email,
            "message": member.message,
            "portal": portal,
            "workshop_url": portal_base_url(portal) + page_path(seed.workshop),
        },
    )
    EmailMessage(
        subject=one_line(
            f"[{portal.name}] "
            + _("%(name)s veut rejoindre « %(seed)s »")
            % {"name": member.name, "seed": seed.title[:80]}
        ),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[member.email],
    ).send()


def leave_group(member: SeedMember) -> None:
    """The member leaves: their row (name, address, message) is deleted."""
    member.delete()


def page_path(page) -> str:
    """The page's path on its site (no host: the portal's own host goes before it)."""
    parts = page.get_url_parts()
    return parts[2] if parts else "/"


def section_url(seed: ProjectSeed, route: str, *args: object) -> str:
    """The absolute address of a route of the seeds' section, on the portal's own host."""
    section = seed.workshop.get_parent().specific
    return (
        portal_base_url(current_portal()) + section.url + section.reverse_subpage(route, args=args)
    )


def seed_for_group_token(token: str) -> ProjectSeed | None:
    """The seed whose group ``token`` opens: signed here, not expired, made for the seed's
    current contact, and the seed still public. None otherwise."""
    seed_id = group_seed_id(token)
    if seed_id is None:
        return None
    seed = ProjectSeed.objects.public().select_related("workshop").filter(pk=seed_id).first()
    if seed is None or not seed.contact_email:
        return None
    if group_seed_id(token, current_contact=seed.contact_email) is None:
        return None
    return seed


def send_group_link(seed: ProjectSeed) -> bool:
    """E-mail the seed's contact the link to its group's page; False without a contact."""
    portal = current_portal()
    if not seed.contact_email or portal is None:
        return False
    link = section_url(seed, "group", group_token(seed.pk, seed.contact_email))
    EmailMessage(
        subject=one_line(
            f"[{portal.name}] " + _("La page de votre groupe « %(seed)s »") % {"seed": seed.title}
        ),
        body=render_to_string(
            "portal/workshops/emails/group_link.txt",
            {"seed": seed, "link": link, "portal": portal},
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[seed.contact_email],
    ).send()
    return True


def write_to_members(seed: ProjectSeed, subject: str, message: str) -> int:
    """Relay the group's message to each confirmed member who agreed to be written to, one
    e-mail each (nobody sees another's address), with their own link to leave the group.
    No ``Reply-To``: the contact's address stays private (the message says how to answer,
    if the group wants answers). Returns how many were sent."""
    portal = current_portal()
    members = list(seed.members.confirmed().filter(consent=True))
    if portal is None:
        return 0
    seed_url = section_url(seed, "seed", seed.pk)
    for member in members:
        leave_url = section_url(seed, "member_leave", member_leave_token(member.pk, member.email))
        EmailMessage(
            subject=one_line(f"[{seed.title[:60]}] {subject}"),
            body=render_to_string(
                "portal/workshops/emails/group_message.txt",
                {
                    "seed": seed,
                    "member": member,
                    "message": message,
                    "portal": portal,
                    "seed_url": seed_url,
                    "leave_url": leave_url,
                },
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[member.email],
            headers={"List-Unsubscribe": f"<{leave_url}>"},
        ).send()
    return len(members)


def post_update(seed: ProjectSeed, text: str) -> SeedUpdate:
    """The group's news of its project: published at once for a trusted group, else
    waiting for an animator."""
    if seed.trusted:
        return SeedUpdate.objects.create(
            seed=seed,
            text=text,
            status=SeedUpdate.Status.APPROVED,
            published_at=timezone.now(),
            decided_by=_("groupe de confiance"),
        )
    return SeedUpdate.objects.create(seed=seed, text=text)


class TransitionError(Exception):
    """A decision on an update that is no longer waiting."""


def approve_update(update: SeedUpdate, by: str) -> SeedUpdate:
    """Publish a waiting update on its seed's page, its feed and the home page."""
    return _decide(update, SeedUpdate.Status.APPROVED, by)


def reject_update(update: SeedUpdate, by: str) -> SeedUpdate:
    """Refuse a waiting update: it is never shown."""
    return _decide(update, SeedUpdate.Status.REJECTED, by)


def _decide(update: SeedUpdate, status: str, by: str) -> SeedUpdate:
    if update.status != SeedUpdate.Status.PENDING:
        raise TransitionError(_("Cette nouvelle a déjà été traitée."))
    update.status = status
    update.decided_by = by
    update.published_at = timezone.now() if status == SeedUpdate.Status.APPROVED else None
    update.save(update_fields=["status", "decided_by", "published_at"])
    return update


def change_progress(seed: ProjectSeed, status: str, next_steps: str) -> ProjectSeed:
    """The group's new status and next steps, shown at once.

    The seed is an inline row of its workshop, whose editor saves every row from the page's
    latest revision: the change is written into that revision too, or the animator's next
    publication would bring back the old status.
    """
    seed.status = status
    seed.next_steps = next_steps
    with transaction.atomic():
        seed.save(update_fields=["status", "next_steps"])
        revision = seed.workshop.latest_revision
        if revision is not None:
            for row in revision.content.get("seeds", []):
                if row.get("pk") == seed.pk:
                    row["status"] = status
                    row["next_steps"] = next_steps
            revision.save(update_fields=["content"])
    return seed


def moderation_queue_url() -> str:
    """The admin page where the groups' waiting news are decided."""
    return reverse("portal_seed_updates")
