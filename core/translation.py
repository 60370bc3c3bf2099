"""Translating a page into another of the portal's languages: Wagtail's simple_translation,
which copies the page into the language chosen and opens the copy in the ordinary editor.

simple_translation greys a language out until every parent of the page exists in it: to
translate one article into Arabic, an animator would first translate the home page, then
the news section, and publish both. Here the missing parents are made as Wagtail's own
``copy_for_translation(copy_parents=True)`` makes them (and wagtail-localize did): aliases
of the French pages, which follow them until someone translates them too. The language
switcher never offers an alias (``core.templatetags.portal_navigation``): it is French.
The groups' rights on the French pages are given to their aliases (``share_rights``).

The view replaces simple_translation's at the same address (``register_admin_urls`` with
a lower order in ``core.wagtail_hooks``), so its "Traduire" buttons lead here;
tests/portal/test_translation.py goes through those buttons.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from wagtail.contrib.simple_translation.forms import SubmitTranslationForm
from wagtail.contrib.simple_translation.views import (
    SubmitPageTranslationView as SimpleSubmitPageTranslationView,
)
from wagtail.models import GroupPagePermission, Locale, Page, WorkflowPage


def add_missing_parents(page: Page, locale: Locale) -> None:
    """Give ``page``'s parents a version in ``locale`` where they lack one: an alias of
    the original, as Wagtail's copy for translation does, with the original's rights.

    Only the pages made here get rights: a translation that existed already keeps the
    rights its animators set (or took away) on it."""
    parent = page.get_parent()
    if parent is None or parent.is_root():
        return
    missing = [
        original
        for original in parent.get_ancestors(inclusive=True).filter(depth__gt=1)
        if not original.has_translation(locale)
    ]
    if not missing:
        return
    parent.specific.copy_for_translation(locale, copy_parents=True, alias=True)
    for original in missing:
        share_rights(original, original.get_translation(locale))


def share_rights(original: Page, translation: Page) -> None:
    """The groups' permissions and the workflow set on ``original`` hold on its
    ``translation`` too. Each language has a tree of its own beside the French one, and
    the animators' rights are granted on the French home page: without this they could
    neither edit nor publish what they just translated."""
    for granted in GroupPagePermission.objects.filter(page=original):
        GroupPagePermission.objects.get_or_create(
            group_id=granted.group_id, page=translation, permission_id=granted.permission_id
        )
    workflow = WorkflowPage.objects.filter(page=original).first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(
            page=translation, defaults={"workflow": workflow.workflow}
        )


class SubmitPageTranslationView(SimpleSubmitPageTranslationView):
    """simple_translation's "Traduire une page", every language of the portal offered."""

    def get_form(self) -> SubmitTranslationForm:
        form = super().get_form()
        # Every untranslated language can be chosen: its missing parents are made on submit.
        form.fields["locales"].widget.disabled_values = []
        form.fields["locales"].help_text = ""
        form.show_submit = True
        return form

    def post(self, request: HttpRequest, **kwargs: object) -> HttpResponse:
        form = self.get_form()
        if not form.is_valid():
            return super().post(request, **kwargs)
        locales = list(form.cleaned_data["locales"])
        existing = {locale.pk for locale in locales if self.object.get_translation_or_none(locale)}
        with transaction.atomic():
            for locale in locales:
                add_missing_parents(self.object, locale)
            response = super().post(request, **kwargs)
            # A home page translated has no parent to take rights from: it gets its own
            # (only when made now, as its parents above).
            for locale in locales:
                translation = self.object.get_translation_or_none(locale)
                if translation is not None and locale.pk not in existing:
                    share_rights(self.object, translation)
        return response
