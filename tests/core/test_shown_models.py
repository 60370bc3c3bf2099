"""Every model of the project's own apps says whether its rows show on a portal's pages.

A model shown on pages but registered nowhere would serve stale pages after a change,
and no other test would notice: this one fails first, naming the model.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from wagtail.models import Page

from core.caching import not_shown_on_pages, shown_on_pages, shown_on_their_page
from core.tenant_state import portal_state_settings


def _project_models() -> list[str]:
    """Labels of the models of apps whose code lives in the project (tests' apps too)."""
    labels = []
    for app in apps.get_app_configs():
        path = Path(app.path)
        if not path.is_relative_to(settings.BASE_DIR) or "site-packages" in path.parts:
            continue
        labels += [model._meta.label for model in app.get_models()]
    return labels


def test_every_model_of_the_project_is_shown_on_pages_or_declared_not_shown():
    accounted = shown_on_pages() | not_shown_on_pages() | set(shown_on_their_page())

    unaccounted = [
        label
        for label in _project_models()
        if label not in accounted and not issubclass(apps.get_model(label), Page)
    ]

    assert unaccounted == [], (
        "Register these models in their app's wagtail_hooks.py under SHOWN_ON_PAGES "
        "(a change refreshes the portal's pages) or NOT_SHOWN_ON_PAGES: "
        f"{', '.join(unaccounted)}"
    )


def _tenant_app_models() -> list[str]:
    """Labels of the models of every app in a portal's schema (``TENANT_APPS``), Wagtail's
    and Django's included: their rows, too, may show on a portal's pages."""
    names = set(settings.TENANT_APPS)
    return [
        model._meta.label
        for app in apps.get_app_configs()
        if app.name in names or f"{type(app).__module__}.{type(app).__name__}" in names
        for model in app.get_models()
    ]


def test_every_model_of_a_tenant_app_is_shown_on_pages_or_declared_not_shown():
    # A Wagtail model of a portal's schema counts as much as the project's own: documents,
    # listed on pages, escaped the rule while it looked at the project's apps only.
    accounted = shown_on_pages() | not_shown_on_pages() | set(shown_on_their_page())

    unaccounted = [
        label
        for label in _tenant_app_models()
        if label not in accounted and not issubclass(apps.get_model(label), Page)
    ]

    assert unaccounted == [], (
        "Register these models under SHOWN_ON_PAGES or NOT_SHOWN_ON_PAGES (core's for "
        f"Wagtail's and Django's own, core/caching.py): {', '.join(unaccounted)}"
    )


def test_no_model_is_declared_both_shown_and_not_shown():
    assert shown_on_pages() & not_shown_on_pages() == frozenset()
    # A row shown on its own page only is neither: it forgets that page alone.
    assert set(shown_on_their_page()) & (shown_on_pages() | not_shown_on_pages()) == set()


def test_every_registered_label_names_an_installed_model():
    for label in shown_on_pages() | not_shown_on_pages() | set(shown_on_their_page()):
        assert apps.get_model(label) is not None, label


def test_every_setting_the_portal_state_remembers_is_shown_on_pages():
    # Otherwise saving it would leave every request of the portal with the old copy.
    remembered = {model._meta.label for model in portal_state_settings()}

    assert remembered >= {"home.PortalSettings", "radio.RadioSettings"}
    assert remembered - shown_on_pages() == set()
