"""The portals' URLs plus one view that fails, for tests/core/test_error_reporting.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from core.urls_tenant import urlpatterns as portal_urlpatterns


def failing_view(request: HttpRequest, token: str) -> HttpResponse:
    """Fails with what a careless message could carry: an address and an IP."""
    raise ValueError(f"panne pour samia@example.org depuis 203.0.113.9 (jeton {token})")


urlpatterns = [path("panne/<str:token>/", failing_view), *portal_urlpatterns]

handler404 = "core.views.page_not_found"
handler500 = "core.outage.server_error"
