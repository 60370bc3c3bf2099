"""The life of a resident's story on the map, one function per step.

    submit ──> UNCONFIRMED ──confirm──> PENDING ──approve──> PUBLISHED (live page)
                                           └──────decline──> DECLINED (never shown)

A story is a page created unpublished under the actors' directory: nothing of it is seen
before an animator approves it, which publishes a revision. Its author is e-mailed the
confirmation link, then the decision. ``pick_for_article`` makes a draft article quoting a
published story, with its credit, for the animator to finish; ``pick_for_workshop`` and
``pick_for_journal`` add it to a workshop or an issue of the journal in a new draft
revision, which the animator publishes (nothing is published by a pick).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Page

from core.abuse import one_line
from core.page_creation import add_with_free_slug
from portal.actors.proposals import animator_addresses
from portal.actors.stories import MapStoryPage
from portal.actors.tokens import STORY_CONFIRMATION_MAX_AGE, story_token
from portal.news.journal import JournalIssueItem, JournalIssuePage
from portal.news.models import ArticleIndexPage, ArticlePage
from portal.workshops.models import WorkshopPage, WorkshopStory
from tenants.addresses import current_portal, portal_base_url


class StoryError(ValidationError):
    """A step the story's state does not allow (message in French)."""


# A story sent again within this delay (a double click, the form sent again) is the one
# already stored: no second page, no second e-mail.
SENT_AGAIN_WITHIN = datetime.timedelta(minutes=10)


@transaction.atomic
def submit(directory, data: dict, photo: ContentFile | None, confirm_url_of) -> MapStoryPage:
    """Store a resident's story unpublished under ``directory`` and e-mail its author the
    confirmation link (``confirm_url_of(token)`` gives the link's absolute address).

    The same story sent again a moment later (same author, title and text, still waiting
    for confirmation) is answered with the one already stored."""
    # The directory's row, as the tree locks it to add a child: a second POST at the same
    # time looks for its twin once the first story is stored.
    Page.objects.select_for_update().filter(pk=directory.pk).values_list("pk").first()
    twin = (
        MapStoryPage.objects.child_of(directory)
        .filter(
            status=MapStoryPage.Status.UNCONFIRMED,
            contributor_email=data["contributor_email"],
            title=data["title"],
            text=data["text"],
            received_at__gte=timezone.now() - SENT_AGAIN_WITHIN,
        )
        .first()
    )
    if twin is not None:
        return twin
    title = data["title"]
    story = MapStoryPage(
        title=title,
        kind=data["kind"],
        text=data["text"],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        place_hint=data.get("place_hint") or "",
        contributor_name=data.get("contributor_name") or "",
        contributor_email=data["contributor_email"],
        status=MapStoryPage.Status.UNCONFIRMED,
        received_at=timezone.now(),
        live=False,
        # A random tail: a visitor cannot guess the address of a story not yet published.
        slug=f"{slugify(title)[:60] or 'recit'}-{secrets.token_hex(3)}",
    )
    if photo is not None:
        # Private until an animator approves the story (``approve`` makes it an image of
        # the library): no contributor can choose it, no visitor can open it.
        story.pending_photo.save(f"recit-{secrets.token_hex(8)}.jpg", photo, save=False)
        story.photo_credit = data["photo_credit"]
        story.photo_alt = _("Photo du récit « %(title)s »") % {"title": title[:200]}
    directory.add_child(instance=story)
    url = confirm_url_of(story_token(story.pk))
    transaction.on_commit(lambda: _send_confirmation(story, url))
    return story


def _send_confirmation(story: MapStoryPage, url: str) -> None:
    portal = current_portal()
    if portal is None:
        return
    body = render_to_string(
        "portal/actors/emails/story_confirm.txt",
        {"story": story, "portal": portal, "confirm_url": url},
    )
    EmailMessage(
        subject=one_line(f"[{portal.name}] " + _("Confirmez votre récit pour la carte")),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[story.contributor_email],
    ).send()


def confirm(story: MapStoryPage) -> MapStoryPage:
    """The author opened the link: the story waits for the animators, who are told."""
    if story.status != MapStoryPage.Status.UNCONFIRMED:
        return story
    story.status = MapStoryPage.Status.PENDING
    story.save(update_fields=["status"])
    transaction.on_commit(lambda: _notify_animators(story))
    return story


def moderation_url(story: MapStoryPage) -> str:
    """The story's moderation screen, on the portal's own host."""
    return portal_base_url(current_portal()) + reverse("portal_story_moderate", args=[story.pk])


def _notify_animators(story: MapStoryPage) -> None:
    recipients = animator_addresses()
    portal = current_portal()
    if not recipients or portal is None:
        return
    body = render_to_string(
        "portal/actors/emails/story_received.txt",
        {"story": story, "portal": portal, "moderation_url": moderation_url(story)},
    )
    subject = _("Nouveau récit pour la carte : « %(title)s »") % {"title": story.title[:80]}
    EmailMessage(
        subject=one_line(f"[{portal.name}] {subject}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    ).send()


@transaction.atomic
def approve(story: MapStoryPage, user) -> MapStoryPage:
    """Publish the story (a revision by the animator) and tell its author."""
    story = MapStoryPage.objects.select_for_update().get(pk=story.pk)
    if story.status not in (MapStoryPage.Status.PENDING, MapStoryPage.Status.DECLINED):
        raise StoryError(_("Ce récit n'attend pas de décision."))
    if not story.is_located:
        raise StoryError(
            _("Placez d'abord le récit sur la carte : donnez sa latitude et sa longitude.")
        )
    story.status = MapStoryPage.Status.PUBLISHED
    author = user if user and user.is_authenticated else None
    _adopt_photo(story, author)
    story.save(update_fields=["status", "photo", "pending_photo"])
    story.save_revision(user=author, log_action=True).publish(user=author)
    story.refresh_from_db()
    transaction.on_commit(lambda: _notify_author(story, approved=True))
    return story


@transaction.atomic
def decline(story: MapStoryPage, user, note: str = "") -> MapStoryPage:
    """Keep the story off the map (unpublished if it was not) and tell its author."""
    story = MapStoryPage.objects.select_for_update().get(pk=story.pk)
    if story.status not in (MapStoryPage.Status.PENDING, MapStoryPage.Status.PUBLISHED):
        raise StoryError(_("Ce récit n'attend pas de décision."))
    was_live = story.live
    story.status = MapStoryPage.Status.DECLINED
    story.decision_note = note
    _drop_pending_photo(story)
    story.save(update_fields=["status", "decision_note", "pending_photo"])
    if was_live:
        story.unpublish(user=user if user and user.is_authenticated else None)
    else:
        transaction.on_commit(lambda: _notify_author(story, approved=False))
    return story


def _adopt_photo(story: MapStoryPage, user) -> None:
    """The approved story's private photo becomes an image of the portal's library (its
    credit in its title), shown on the story; the private file goes once this is saved."""
    if not story.pending_photo:
        return
    with story.pending_photo.open("rb") as source:
        content = ContentFile(source.read(), name=f"recit-{story.pk}.jpg")
    story.photo = get_image_model().objects.create(
        title=(
            _("%(title)s — photo : %(credit)s")
            % {"title": story.title, "credit": story.photo_credit}
        )[:255],
        file=content,
        uploaded_by_user=user,
    )
    _drop_pending_photo(story)


def _drop_pending_photo(story: MapStoryPage) -> None:
    """Forget the story's private photo, and delete its file once the transaction holds
    (a rolled-back decision keeps it)."""
    if not story.pending_photo:
        return
    name, storage = story.pending_photo.name, story.pending_photo.storage
    story.pending_photo = ""
    transaction.on_commit(lambda: storage.delete(name))


def story_deleted(story: MapStoryPage) -> None:
    """A story page was deleted (from the admin, with its directory, or by a purge): its
    private photo goes with it once the deletion holds, so nothing sent by its author is
    left behind, and a rolled-back deletion keeps it."""
    _drop_pending_photo(story)


def _notify_author(story: MapStoryPage, approved: bool) -> None:
    portal = current_portal()
    if portal is None or not story.contributor_email:
        return
    url = portal_base_url(portal) + (story.get_url_parts() or ("", "", "/"))[2] if approved else ""
    subject = (
        _("Votre récit « %(title)s » est sur la carte")
        if approved
        else _("Votre récit « %(title)s » n'a pas été publié")
    ) % {"title": story.title[:80]}
    body = render_to_string(
        "portal/actors/emails/story_decided.txt",
        {"story": story, "portal": portal, "approved": approved, "url": url},
    )
    EmailMessage(
        subject=one_line(f"[{portal.name}] {subject}"),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[story.contributor_email],
    ).send()


def pick_for_article(story: MapStoryPage, user) -> ArticlePage:
    """A draft article of the news quoting ``story`` with its credit (and its photo, with
    its credit as caption), linking back to it, for the animator to write around it."""
    if story.status != MapStoryPage.Status.PUBLISHED:
        raise StoryError(_("Seul un récit publié peut être repris dans un article."))
    parent = ArticleIndexPage.objects.order_by("path").first()
    if parent is None:
        raise StoryError(_("Ce portail n'a pas de rubrique d'actualités où créer l'article."))
    author = story.contributor_name or _("une personne du quartier")
    body: list[dict] = [
        {"type": "quote", "value": {"quote": story.text, "author": author}},
    ]
    if story.photo_id:
        body.append(
            {
                "type": "image",
                "value": {
                    "image": story.photo_id,
                    "alt": story.photo_alt or story.title,
                    "caption": _("Photo : %(credit)s") % {"credit": story.photo_credit},
                },
            }
        )
    link = (story.get_url_parts() or ("", "", ""))[2]
    body.append(
        {
            "type": "paragraph",
            "value": "<p>"
            + escape(
                _("Un récit de la carte du quartier, raconté par %(name)s.") % {"name": author}
            )
            + (f' <a href="{escape(link)}">{escape(story.title)}</a>' if link else "")
            + "</p>",
        }
    )
    owner = user if user and user.is_authenticated else None
    page = ArticlePage(
        title=story.title,
        body=body,
        authors=author[:255],
        live=False,
        owner=owner,
    )
    add_with_free_slug(parent, page, slugify(story.title)[:70] or "recit")
    page.save_revision(user=owner, log_action=True)
    return page


def pick_for_workshop(story: MapStoryPage, workshop_id: object, user) -> WorkshopPage:
    """Add ``story`` to the workshop's « Ce que les habitants ont raconté » in a new draft
    revision of the workshop (its latest one, so that an unpublished edit is kept)."""
    workshop = _picked_page(story, WorkshopPage, workshop_id, _("Cet atelier n'existe pas."))
    draft = workshop.get_latest_revision_as_object()
    if any(pick.story_id == story.pk for pick in draft.picked_stories.all()):
        raise StoryError(_("Ce récit est déjà repris dans cet atelier."))
    draft.picked_stories.add(WorkshopStory(story=story, sort_order=_next(draft.picked_stories)))
    draft.save_revision(user=_author(user), log_action=True)
    return workshop


def pick_for_journal(story: MapStoryPage, issue_id: object, user) -> JournalIssuePage:
    """Add ``story`` at the end of the issue's contents in a new draft revision."""
    issue = _picked_page(story, JournalIssuePage, issue_id, _("Ce numéro du journal n'existe pas."))
    draft = issue.get_latest_revision_as_object()
    if any(item.page_id == story.pk for item in draft.items.all()):
        raise StoryError(_("Ce récit est déjà au sommaire de ce numéro."))
    draft.items.add(JournalIssueItem(page=story, sort_order=_next(draft.items)))
    draft.save_revision(user=_author(user), log_action=True)
    return issue


def _picked_page(story: MapStoryPage, model: type, pk: object, missing: str):
    """The page of this portal ``pk`` names (a visitor's value: anything may come)."""
    if story.status != MapStoryPage.Status.PUBLISHED:
        raise StoryError(_("Seul un récit publié peut être repris."))
    try:
        return model.objects.get(pk=int(pk))
    except (TypeError, ValueError, model.DoesNotExist):
        raise StoryError(missing) from None


def _next(children) -> int:
    """The sort order placing a new inline child after the others."""
    orders = [child.sort_order for child in children.all() if child.sort_order is not None]
    return max(orders, default=-1) + 1


def _author(user):
    return user if user and user.is_authenticated else None


def purge_unconfirmed() -> int:
    """Delete the stories whose confirmation link expired unopened (48 hours), with their
    photo: the text and address of someone who never confirmed are not kept. Returns how
    many."""
    expired = timezone.now() - datetime.timedelta(seconds=STORY_CONFIRMATION_MAX_AGE)
    stale = list(
        MapStoryPage.objects.filter(
            status=MapStoryPage.Status.UNCONFIRMED, received_at__lt=expired
        ).select_related("photo")
    )
    for story in stale:
        photo = story.photo  # stories sent before photos waited privately
        if story.pending_photo:
            story.pending_photo.delete(save=False)
        story.delete()
        if photo is not None:
            photo.delete()
    return len(stale)


def published_in_editor(story: MapStoryPage, user=None) -> None:
    """An animator published the story from Wagtail's page editor rather than the
    moderation screen: it counts as approved (listed on the map, its author told)."""
    if story.status == MapStoryPage.Status.PUBLISHED:
        return
    was_waiting = story.status == MapStoryPage.Status.PENDING
    MapStoryPage.objects.filter(pk=story.pk).update(status=MapStoryPage.Status.PUBLISHED)
    story.status = MapStoryPage.Status.PUBLISHED
    if story.pending_photo:
        # Its photo joins the library as on the moderation screen, in a new revision so
        # that the editor and the live page both show it.
        with transaction.atomic():
            author = user if user and user.is_authenticated else None
            _adopt_photo(story, author)
            story.save_revision(user=author, log_action=False).publish(user=author)
    if was_waiting:
        transaction.on_commit(lambda: _notify_author(story, approved=True))
