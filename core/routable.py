"""Rendering the sub-views of Wagtail's routable pages (forms, confirmations, details)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse
from wagtail.models import Page


def render_route(
    folder: str, page: Page, request: HttpRequest, template: str, status: int = 200, **context
) -> TemplateResponse:
    """``<folder>/<template>.html`` with the page's own context plus ``context``, answered
    with ``status`` (a refused form or a dead link is not a 200).

    Apps bind their template folder once: ``_render = partial(render_route, "classifieds")``.
    """
    response = page.render(request, template=f"{folder}/{template}.html", context_overrides=context)
    response.status_code = status
    return response
