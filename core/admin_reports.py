"""Wagtail's reports that read across the whole page tree, for those who publish.

Wagtail opens them to anyone who may add a page. The page-types report shows each type's
latest draft title, whoever wrote it, and the workflow reports' filter lists everyone who
ever submitted a page for moderation, by username (here their e-mail address): a blog's
contributor read other people's drafts, private pages' titles and addresses. Here they
answer only people who may publish somewhere (animators, the federation's staff). The
routes come before Wagtail's admin in ``core/urls_tenant.py``, so these are served.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.permission_policies.pages import PagePermissionPolicy

# Wagtail's address of each report under /admin/reports/, and its view.
TREE_WIDE_REPORTS = {
    "page-types-usage": PageTypesUsageReportView,
    "workflow": WorkflowView,
    "workflow_tasks": WorkflowTasksView,
}


def may_publish_somewhere(user: object) -> bool:
    """Whether ``user`` may publish at least one page of the portal."""
    return PagePermissionPolicy().user_has_any_permission(user, ["publish"])


def for_publishers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view``, refused as Wagtail refuses (a message on the admin's home) to a signed-in
    person who may publish nowhere; the signed-out go on to Wagtail's own login redirect."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated and not may_publish_somewhere(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return guarded


def report_urls() -> list[URLPattern]:
    """The tree-wide reports and their results, each behind ``for_publishers``."""
    return [
        path(f"admin/reports/{address}/{results}", for_publishers(view.as_view(**options)))
        for address, view in TREE_WIDE_REPORTS.items()
        for results, options in (("", {}), ("results/", {"results_only": True}))
    ]
