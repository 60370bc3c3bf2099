"""Helpers for the reactions tests: pages that take reactions, the form a resident fills in."""

from __future__ import annotations

from django_tenants.utils import schema_context

from core.abuse import STARTED_FIELD
from portal.factories import ArticlePageFactory
from reactions.forms import ReactionForm, ReportForm
from tests.classifieds.conftest import form_opened_a_minute_ago


def article(portal, **fields):
    """A published article of ``portal``, with its address read inside the portal."""
    with schema_context(portal.schema_name):
        page = ArticlePageFactory(**fields)
        page.page_url = page.url
        return page


def reaction_form(portal, **overrides: object) -> dict:
    data = {
        "name": "Samia",
        "email": "samia@example.org",
        "text": "J'étais à la réunion : merci pour ce compte rendu fidèle.",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(ReactionForm, portal),
    }
    data.update(overrides)
    return data


def report_form(portal, **overrides: object) -> dict:
    data = {
        "reason": "Propos insultants envers un voisin.",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(ReportForm, portal),
    }
    data.update(overrides)
    return data
