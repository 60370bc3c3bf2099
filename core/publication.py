"""What may go live: the features' objections to publishing a page, asked in one place.

A feature that has a rule about what a page may show once published (a minor's name
without parental consent, for one) registers it under ``PUBLICATION_CHECKS``
(``core.extension_points``). The rule is asked:

- by the admin's page form (``PortalPageForm``, every portal page's form) when the editor
  publishes or approves: each reason is an error of the form, in French, and nothing is
  published;
- after any other publication (a workflow task approved from the dashboard, a scheduled
  publication, a command): a page that went live against a rule is unpublished at once,
  so that no path leaves it online.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page
from wagtail.signals import page_published

from core.extension_points import PUBLICATION_CHECKS
from core.page_creation import explain_taken_slug

logger = logging.getLogger(__name__)

# The buttons of Wagtail's page editor that publish: "Publier", and approving a
# moderation task (the last task's approval publishes; an earlier one lets the page on
# towards publication, which the rules refuse as well).
PUBLISHING_ACTIONS = ("action-publish",)
APPROVING_ACTION = "action-workflow-action"


def publication_problems(page: Page, parent: Page | None = None) -> list[str]:
    """Why ``page`` (under ``parent``, by default its own) may not be published as it
    stands: every rule's reasons, in order."""
    if parent is None and page.pk and page.depth:
        parent = page.get_parent()
    return [
        str(reason) for hook in hooks.get_hooks(PUBLICATION_CHECKS) for reason in hook(page, parent)
    ]


def _is_publishing(data) -> bool:
    if any(data.get(name) for name in PUBLISHING_ACTIONS):
        return True
    return bool(data.get(APPROVING_ACTION)) and data.get("workflow-action-name") == "approve"


class PortalPageForm(WagtailAdminPageForm):
    """Wagtail's page form, which refuses to publish what a feature's rule forbids, and
    says in the message above the form which page already holds the slug."""

    def clean(self) -> dict:
        slug = self.cleaned_data.get("slug")
        cleaned_data = super().clean()
        # Wagtail's own error sits on the slug field, in a tab the person may not open:
        # the page a double POST just made is named where they look (core.page_creation).
        if slug and "slug" in self.errors:
            taken = explain_taken_slug(slug, self.parent_page, self.instance)
            if taken is not None:
                self.add_error(None, taken)
        return cleaned_data

    def _post_clean(self) -> None:
        # Django's ModelForm fills the instance in _post_clean: the rules must see the
        # page as edited, not as stored (Django's UserCreationForm checks here too).
        super()._post_clean()
        if not _is_publishing(self.data):
            return
        for reason in publication_problems(self.instance, self.parent_page):
            self.add_error(None, ValidationError(reason, code="publication_refused"))


def _unpublish_if_refused(sender, instance: Page, **kwargs) -> None:
    """A page that went live by a path without the form, against a rule, goes offline."""
    problems = publication_problems(instance)
    if not problems:
        return
    logger.warning("Page %s unpublished at once: %s", instance.pk, " ".join(problems))
    instance.unpublish(log_action=True)


def connect_signals() -> None:
    page_published.connect(_unpublish_if_refused, dispatch_uid="publication-checks")
