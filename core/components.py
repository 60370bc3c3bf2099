"""The page of the design system's components, for the portal's editors only.

Every component of ``core/static/core/quartiers.css`` with its states, drawn in the
portal's own colours and header, so that an animator who changes the accent colour (or a
developer who changes a component) sees what every page will look like. Served under
``/admin/composants/``: Wagtail's admin asks for a login first; a signed-in user who may
edit no page gets a 403.
"""

from __future__ import annotations

import base64
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from PIL import Image as Picture
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.menu import MenuItem

from core.demo_images import draw_cover
from core.identity import portal_identity


def can_see_components(request: HttpRequest) -> bool:
    """Whether the user may edit at least one page of the portal."""
    return request.user.is_authenticated and user_has_any_page_permission(request.user)


def _sample_cover(accent: str) -> str:
    """A small cover drawn in the portal's colour, as a data: address (no file stored)."""
    picture = Picture.open(io.BytesIO(draw_cover(accent, "composants")))
    picture.thumbnail((480, 270))
    data = io.BytesIO()
    picture.save(data, "JPEG", quality=75)
    return "data:image/jpeg;base64," + base64.b64encode(data.getvalue()).decode()


def components(request: HttpRequest) -> HttpResponse:
    """The components page (GET only)."""
    if not can_see_components(request):
        raise PermissionDenied
    identity = portal_identity()
    return TemplateResponse(
        request,
        "core/admin/components.html",
        {
            "cover": _sample_cover(identity.accent_colour),
            "identity": identity,
            "today": timezone.localtime(),
            "type_scale": ["--step-4", "--step-3", "--step-2", "--step-1", "--step-0", "--step--1"],
            "colours": [
                "--accent",
                "--accent-strong",
                "--accent-soft",
                "--accent-line",
                "--ink",
                "--muted",
                "--surface",
                "--line",
                "--focus",
                "--error",
            ],
        },
    )


class ComponentsMenuItem(MenuItem):
    """Shown to those who may open the page."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_see_components(request)
