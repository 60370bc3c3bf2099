"""What every page of a portal has in common."""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DEFERRED, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.models.pages import AbstractPage, ShowInMenusMixin
from wagtail.query import PageQuerySet
from wagtail.search import index

from core import tenant_state
from core.latest import Reading
from core.page_addresses import url_parts
from core.privacy import may_be_private, public_pages
from core.publication import PortalPageForm
from core.read_ahead import image_reading, read_page_ahead, was_read_ahead
from core.reading_memo import built_once


def live_translations_of(page: Page) -> QuerySet[Page]:
    """The page's published translations with their locales, aliases left out (the
    language switcher's, ``core.templatetags.portal_navigation.live_translations``)."""
    return page.get_translations().live().filter(alias_of__isnull=True).select_related("locale")


class PortalPageQuerySet(PageQuerySet):
    """The pages of a portal: ``public()`` is ``core.privacy.public_pages``, free on a
    portal without private pages."""

    def public(self) -> PortalPageQuerySet:
        return public_pages(self)


PortalPageManager = PageManager.from_queryset(PortalPageQuerySet)


# The constructors a page read from the database may skip (``PortalPage.from_db``): each
# does nothing more than Django's for a row with an id and no child objects given.
_CONSTRUCTORS_OF_NO_EFFECT_ON_A_ROW = {
    AbstractPage.__init__,
    ClusterableModel.__init__,
    ShowInMenusMixin.__init__,
    models.Model.__init__,
    object.__init__,
}


@functools.cache
def _made_as_a_plain_model(page_class: type) -> bool:
    """Whether every constructor of ``page_class`` is one of those a row may skip."""
    return all(
        klass.__dict__["__init__"] in _CONSTRUCTORS_OF_NO_EFFECT_ON_A_ROW
        for klass in page_class.__mro__
        if "__init__" in klass.__dict__
    )


class PortalPage(Page):
    """A page of a portal. It answers two questions Wagtail asks of every page served
    from what the portal's request already knows (``core.tenant_state``), instead of
    asking the database each time:

    - which restrictions apply: none, when no private section of the portal holds this
      page (``core.privacy``), instead of two queries (ancestors, then restrictions);
    - which translation to show: this one, when the visitor's language is the page's own.

    Whenever the state is not at hand, Wagtail's own answer is used.
    """

    objects = PortalPageManager()
    # Refuses to publish what a feature's rule forbids (core.publication).
    base_form_class = PortalPageForm

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str, field_names: list[str], values: list) -> PortalPage:
        """A row of the database as Django's ``Model.from_db`` makes it, without calling the
        constructors of Wagtail and modelcluster in between: for a row read (it has an id,
        and no child objects are given) they only work out the model's child relations
        from all its fields, to find none given (a fifth of making each page; a cold home
        page makes forty: issue 25 §2). A page class with a constructor of its own is made
        as before."""
        if not _made_as_a_plain_model(cls):
            return super().from_db(db, field_names, values)
        fields = cls._meta.concrete_fields
        if len(values) != len(fields):
            given = iter(values)
            values = [next(given) if f.attname in field_names else DEFERRED for f in fields]
        page = cls.__new__(cls)
        models.Model.__init__(page, *values)
        page._state.adding = False
        page._state.db = db
        return page

    def get_url_parts(self, request: HttpRequest | None = None) -> tuple | None:
        """Wagtail's answer, worked out once a process for what it depends on
        (``core.page_addresses``)."""
        return url_parts(self, request, super().get_url_parts)

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        if not may_be_private(self):
            none = PageViewRestriction.objects.none()
            # Known empty: Wagtail's privacy check, which loops over it on every page
            # served, then compiles no SQL (two percent of a page served from fragments).
            none._result_cache = []
            return none
        return super().get_view_restrictions()

    def readings(self, request: HttpRequest | None) -> dict[str, Reading]:
        """What this page shows beside its own fields, said as querysets that
        ``get_context`` reads with the features' in one round trip (``core.read_ahead``):
        its cover and its renditions. Pages add their relations (``relations_reading``)."""
        found: dict[str, Reading] = {}
        locale_ids = tenant_state.remembered("locale_ids")
        if not settings.FRAGMENT_CACHE_ENABLED and locale_ids is not None and len(locale_ids) > 1:
            # The language switcher's translations (with the fragment cache on, kept there).
            found["translations"] = built_once(
                "translations",
                (self.pk, self.translation_key),
                lambda: Reading([live_translations_of(self)], lambda rows: rows[0]),
            )
        if isinstance(self, CoverMixin) and (cover := image_reading(self, "cover")) is not None:
            found["cover"] = cover
        return found

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        """Wagtail's context, once what the page shows is read ahead (``readings``)."""
        # A preview shows the editor's unsaved relations (modelcluster keeps them on the
        # instance): it asks as before, and a page not yet saved has no rows to read.
        previewing = getattr(request, "is_preview", False) or self.pk is None
        if not previewing and not was_read_ahead(request, self):
            self.read_items = read_page_ahead(self, request, self.readings(request))
        return super().get_context(request, *args, **kwargs)

    # Whether the page's template offers the place ``register_page_foot_sections`` (what
    # features add under a page: reactions, production credits), so that they read ahead
    # only for the pages that show them.
    foot_sections: bool = False

    # The items of the page's own ``readings``, by key, once ``get_context`` read them.
    read_items: dict = {}

    @property
    def localized_draft(self) -> Page:
        if tenant_state.active_locale_id() == self.locale_id:
            return self
        return super().localized_draft


class CoverMixin(models.Model):
    """A cover picture and what it shows, for a page's head, its cards and its sharing."""

    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de couverture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Ce que l'image montre, pour les personnes qui ne la voient pas."),
    )

    cover_panels = [
        MultiFieldPanel([FieldPanel("cover"), FieldPanel("cover_alt")], heading=_("Image"))
    ]

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.cover_id and not self.cover_alt:
            raise ValidationError(
                {"cover_alt": _("Décrivez l'image pour les personnes qui ne la voient pas.")}
            )


class SectionPage(PortalPage):
    """A section of the portal (news, agenda, blogs...): one per home page."""

    intro = RichTextField("Introduction", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    # The composition root names the home page's model: core names no feature.
    parent_page_types = [settings.PORTAL_HOME_PAGE_MODEL]
    # One per home page, so that each translation of the home page has its own.
    max_count_per_parent = 1

    class Meta:
        abstract = True
