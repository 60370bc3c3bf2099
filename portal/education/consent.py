"""What of a learner may be published: the parental authorisation, applied.

- The name: a minor whose authorisation does not cover it is credited as « un·e jeune
  du quartier », and a page whose text names them (title, address, chapô, body,
  authors...) may not be published.
- The image: an image where such a minor appears (``ProductionCredit.image``) may not be
  on a published page.
- The voice: a page on which such a minor's voice is credited (a radio episode) may not
  be published.

Publishing is refused through ``core.publication`` (the admin form's errors, and an
immediate unpublication by any other path). When an animator narrows an authorisation,
``apply_authorisation`` unpublishes the learner's pages that no longer respect it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page, ReferenceIndex
from wagtail.rich_text import RichText

from core.publication import publication_problems
from portal.education.models import Learner, MediaEducationCyclePage, ProductionCredit

ANONYMOUS = "un·e jeune du quartier"
# Name parts shorter than this ("Li", "de") match too many ordinary words to be looked for.
SHORTEST_NAME_PART = 3
EMBEDDED_IMAGE = re.compile(r"<embed\b[^>]*>")
EMBED_ID = re.compile(r'\bid="(\d+)"')


@dataclass(frozen=True)
class ShownCredit:
    """A learner as a published page credits them: the name, or « un·e jeune du
    quartier », with what they did."""

    name: str
    contributions: list[str]
    anonymous: bool


def public_name(learner: Learner) -> str:
    """The learner's name where the authorisation covers it, else « un·e jeune du quartier »."""
    return learner.name if learner.name_allowed else _(ANONYMOUS)


def credits_shown_on(page: Page) -> list[ShownCredit]:
    """The learners credited on ``page``, as a visitor may read them, in the credits'
    order; each learner once, with their contributions."""
    return shown_credits(credits_of(page))


def credits_of(page: Page):
    """The production credits of ``page`` with their learners, in the credits' order (a
    queryset, which a page may read ahead with its other lists)."""
    return (
        ProductionCredit.objects.filter(page_id=page.pk)
        .select_related("learner")
        .order_by("learner__name", "sort_order")
    )


def shown_credits(credits: Iterable[ProductionCredit]) -> list[ShownCredit]:
    """``credits`` (``credits_of``) as a visitor may read them (``credits_shown_on``)."""
    by_learner: dict[int, tuple[Learner, list[str]]] = {}
    for credit in credits:
        _, contributions = by_learner.setdefault(credit.learner_id, (credit.learner, []))
        label = str(credit.get_contribution_display())
        if label not in contributions:
            contributions.append(label)
    shown = [
        ShownCredit(public_name(learner), contributions, not learner.name_allowed)
        for learner, contributions in by_learner.values()
    ]
    # The names first, in their order; then the young people not named, in the order of
    # what they did: the credits come in the order of the learners' names, which would
    # hint at who is who.
    return sorted(
        shown,
        key=lambda credit: (credit.anonymous, credit.contributions if credit.anonymous else []),
    )


def _fold(text: str) -> str:
    """Lower case without accents: « Inès » is found in « ines-benali » too."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def _name_parts(name: str) -> list[str]:
    parts = re.split(r"[\W_]+", _fold(name))
    return [part for part in parts if len(part) >= SHORTEST_NAME_PART]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def page_text(page: Page) -> str:
    """Everything written in ``page`` (title, address, texts, authors, file names...),
    folded (``_fold``) for looking names up."""
    return _fold("\n".join(_strings(page.serializable_data())))


def names(learner: Learner, text: str, *, any_part: bool) -> bool:
    """Whether ``text`` (folded) names ``learner``: by their full name, or with
    ``any_part`` by any part of it (a first name alone names a young person on the
    pages of their own cycle, where everybody knows who « Inès » is)."""
    if any_part:
        return any(re.search(rf"\b{re.escape(part)}\b", text) for part in _name_parts(learner.name))
    full = r"\W+".join(re.escape(part) for part in re.split(r"\W+", _fold(learner.name)) if part)
    return bool(full) and re.search(rf"\b{full}\b", text) is not None


def _images_in_value(value: object) -> Iterator[int]:
    if isinstance(value, AbstractImage):
        yield value.pk
    elif isinstance(value, RichText):
        yield from _images_in_html(value.source)
    elif isinstance(value, dict):  # StructValue
        for item in value.values():
            yield from _images_in_value(item)
    elif hasattr(value, "raw_data") or isinstance(value, list | tuple):
        # StreamValue and ListValue: their children carry the values.
        for child in value:
            yield from _images_in_value(getattr(child, "value", child))


def _images_in_html(html: str) -> Iterator[int]:
    for tag in EMBEDDED_IMAGE.findall(html or ""):
        if 'embedtype="image"' in tag and (match := EMBED_ID.search(tag)):
            yield int(match.group(1))


def images_in(page: Page) -> set[int]:
    """The ids of the images ``page`` shows: its image fields, the images of its
    StreamFields and those embedded in its rich texts."""
    found: set[int] = set()
    for field in page._meta.concrete_fields:
        related = getattr(field, "related_model", None)
        if related is not None and issubclass(related, AbstractImage):
            if image_id := getattr(page, field.attname):
                found.add(image_id)
        elif isinstance(field, StreamField):
            found.update(_images_in_value(getattr(page, field.name)))
        elif isinstance(field, RichTextField):
            found.update(_images_in_html(getattr(page, field.name)))
    return found


def _restricted_minors() -> list[Learner]:
    """The minors whose authorisation leaves out the name, the image or the voice."""
    narrowed = Q(may_show_name=False) | Q(may_show_image=False) | Q(may_broadcast_voice=False)
    return list(Learner.objects.filter(narrowed, is_minor=True).prefetch_related("credits"))


def consent_problems(page: Page, parent: Page | None = None) -> list[str]:
    """Why ``page`` (under ``parent``) may not be published under the learners'
    authorisations, in French."""
    minors = _restricted_minors()
    if not minors:
        return []
    # The cycles whose learners made this page, whose group's blog holds it, or the cycle's
    # own page: there a first name alone gives a young person away.
    own_cycles = (
        {page.pk}
        | set(
            MediaEducationCyclePage.objects.filter(learners_blog_id=parent.pk).values_list(
                "pk", flat=True
            )
            if parent is not None
            else ()
        )
        | set(
            ProductionCredit.objects.filter(page_id=page.pk).values_list(
                "learner__cycle_id", flat=True
            )
            if page.pk
            else ()
        )
    )
    text = page_text(page)
    problems = [
        _(
            "Le texte nomme un·e participant·e mineur·e dont l'autorisation parentale ne "
            "couvre pas le nom (« %(name)s ») : écrivez « un·e jeune du quartier » à la place, "
            "dans le titre, l'adresse de la page et le texte."
        )
        % {"name": learner.name}
        for learner in minors
        if not learner.may_show_name
        and names(learner, text, any_part=learner.cycle_id in own_cycles)
    ]
    shown_images = images_in(page)
    withheld = {
        credit.image_id
        for minor in minors
        if not minor.may_show_image
        for credit in minor.credits.all()
        if credit.image_id
    }
    if shown_images & withheld:
        problems.append(
            _(
                "Une image montre un·e participant·e mineur·e sans autorisation parentale "
                "pour l'image : retirez-la avant de publier."
            )
        )
    if page.pk and any(
        credit.page_id == page.pk and credit.contribution == ProductionCredit.Contribution.VOICE
        for minor in minors
        if not minor.may_broadcast_voice
        for credit in minor.credits.all()
    ):
        problems.append(
            _(
                "On y entend la voix d'un·e participant·e mineur·e sans autorisation "
                "parentale pour la voix : cet épisode ne peut pas être publié."
            )
        )
    return problems


def _pages_of(learner: Learner) -> set[int]:
    """The pages a change of ``learner`` may concern: those credited to them and those
    showing an image where they appear."""
    credits = list(learner.credits.all())
    page_ids = {credit.page_id for credit in credits}
    pages = ContentType.objects.get_for_model(Page)
    for credit in credits:
        if credit.image_id:
            references = ReferenceIndex.get_references_to(credit.image)
            page_ids.update(
                int(object_id)
                for object_id in references.filter(base_content_type=pages).values_list(
                    "object_id", flat=True
                )
            )
    return page_ids


def apply_authorisation(learner: Learner, user: AbstractBaseUser | None = None) -> list[Page]:
    """Unpublish the live pages that ``learner``'s authorisation (as now recorded) no
    longer allows; returns them. An authorisation narrowed or withdrawn takes effect at
    once, without waiting for an editor to notice."""
    unpublished = []
    for page in Page.objects.live().filter(pk__in=_pages_of(learner)).specific():
        if publication_problems(page):
            page.unpublish(user=user, log_action=True)
            unpublished.append(page)
    return unpublished
