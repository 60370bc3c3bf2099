"""An accepted proposal becomes a draft page: an article of the news, or an event of the
agenda, with the proposal's text, its photos (as the portal's Wagtail images, credit
carried in their title and in the caption under each), its place and dates.

The page is a draft: the animator edits it and publishes it through the portal's usual
workflow. The proposer's name shows on it ("Proposé par …") only if they agreed, through
a ``ProposalCredit`` row that outlives the proposal's purge.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Page

from core.page_creation import add_with_free_slug
from portal.public import ArticleIndexPage, ArticlePage, EventIndexPage, EventPage
from proposals.models import Proposal, ProposalCredit, ProposalPhoto


class NoSectionError(ValidationError):
    """The portal has no news or agenda section to put the page in (message in French)."""


def paragraphs(text: str) -> list[dict]:
    """Plain text as rich-text paragraph blocks: one per paragraph, line breaks kept,
    everything escaped (a proposer's text never becomes markup)."""
    blocks = []
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        lines = [escape(line) for line in paragraph.strip().split("\n") if line.strip()]
        if lines:
            blocks.append({"type": "paragraph", "value": f"<p>{'<br/>'.join(lines)}</p>"})
    return blocks


def photo_alt(proposal: Proposal, position: int) -> str:
    """A starting alternative text the animator is expected to rewrite."""
    return _("Photo %(number)d envoyée avec la proposition « %(title)s »") % {
        "number": position + 1,
        "title": proposal.title,
    }


def _image_from(photo: ProposalPhoto, proposal: Proposal, user: AbstractBaseUser | None):
    """The proposal's photo as a Wagtail image of the portal, its credit in its title."""
    with photo.image.open("rb") as source:
        content = ContentFile(source.read(), name=f"proposition-{proposal.pk}-{photo.pk}.jpg")
    title = _("%(title)s — photo : %(credit)s") % {"title": proposal.title, "credit": photo.credit}
    return get_image_model().objects.create(
        title=title[:255],
        file=content,
        uploaded_by_user=user if user and user.is_authenticated else None,
    )


def _body_and_images(proposal: Proposal, user: AbstractBaseUser | None) -> tuple[list, list]:
    body = paragraphs(proposal.text)
    images = []
    for photo in proposal.photos.all():
        image = _image_from(photo, proposal, user)
        images.append(image)
        body.append(
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "alt": photo_alt(proposal, photo.position),
                    "caption": _("Photo : %(credit)s") % {"credit": photo.credit},
                },
            }
        )
    return body, images


def _section(model: type[Page]) -> Page:
    section = model.objects.order_by("path").first()
    if section is None:
        raise NoSectionError(
            _("Ce portail n'a pas de rubrique « %(section)s » où créer la page.")
            % {"section": model._meta.verbose_name}
        )
    return section


def create_draft(proposal: Proposal, user: AbstractBaseUser | None) -> Page:
    """A draft article or event under the portal's news or agenda, made from ``proposal``.

    Call inside the transaction that marks the proposal accepted.
    """
    body, images = _body_and_images(proposal, user)
    if proposal.is_event:
        parent = _section(EventIndexPage)
        # "Square Piat\n12 rue Piat": the first line names the place, the rest is its address.
        place_name, _newline, address = proposal.place.strip().partition("\n")
        page = EventPage(
            title=proposal.title,
            start=proposal.start,
            end=proposal.end,
            place_name=place_name[:200],
            address=" ".join(address.split())[:255],
            organiser=proposal.organiser[:200],
            body=body,
        )
    else:
        parent = _section(ArticleIndexPage)
        page = ArticlePage(title=proposal.title, body=body)
        if images:
            page.cover = images[0]
            page.cover_alt = photo_alt(proposal, 0)
    page.live = False
    page.owner = user if user and user.is_authenticated else None
    # Two proposals of one title accepted at once get two slugs (core.page_creation).
    add_with_free_slug(parent, page, slugify(proposal.title)[:70] or "proposition")
    page.save_revision(user=page.owner, log_action=True)
    if proposal.credit_consent:
        ProposalCredit.objects.update_or_create(page=page, defaults={"name": proposal.name})
    return page
