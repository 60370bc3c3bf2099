"""The observatory in the Wagtail admin: the portal's dashboard (its animators), the
network's comparison (federation staff, on the federation's host), and the demo history."""

from __future__ import annotations

from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from observatory.demo import seed_history
from observatory.views import (
    BilanView,
    ExportView,
    NetworkDashboardView,
    NetworkExportView,
    PortalDashboardView,
    can_read_dashboard,
)
from tenants.admin_views import can_run_network
from tenants.extension_points import NETWORK_DEMO_CONTENT


@hooks.register("register_admin_urls")
def observatory_urls() -> list[URLPattern]:
    return [
        path("observatoire/", PortalDashboardView.as_view(), name="observatory_dashboard"),
        path("observatoire/export.<str:fmt>", ExportView.as_view(), name="observatory_export"),
        path("observatoire/bilan/", BilanView.as_view(), name="observatory_bilan"),
        path("observatoire/reseau/", NetworkDashboardView.as_view(), name="observatory_network"),
        path(
            "observatoire/reseau/export.<str:fmt>",
            NetworkExportView.as_view(),
            name="observatory_network_export",
        ),
        path(
            "observatoire/reseau/<slug:slug>/",
            PortalDashboardView.as_view(),
            name="observatory_network_portal",
        ),
        path(
            "observatoire/reseau/<slug:slug>/export.<str:fmt>",
            ExportView.as_view(),
            name="observatory_network_portal_export",
        ),
        path(
            "observatoire/reseau/<slug:slug>/bilan/",
            BilanView.as_view(),
            name="observatory_network_portal_bilan",
        ),
    ]


class DashboardMenuItem(MenuItem):
    """Shown to the portal's animators (and superusers) only."""

    def is_shown(self, request) -> bool:
        return can_read_dashboard(request)


class NetworkMenuItem(MenuItem):
    """Shown only where the network's screens answer: the federation's host, its staff."""

    def is_shown(self, request) -> bool:
        return can_run_network(request)


@hooks.register("register_admin_menu_item")
def dashboard_menu_item() -> MenuItem:
    return DashboardMenuItem(
        _("Observatoire"), reverse("observatory_dashboard"), icon_name="table", order=900
    )


@hooks.register("register_admin_menu_item")
def network_menu_item() -> MenuItem:
    return NetworkMenuItem(
        _("Observatoire du réseau"), reverse("observatory_network"), icon_name="site", order=951
    )


@hooks.register(NETWORK_DEMO_CONTENT)
def demo_history() -> None:
    """Eight weeks of plausible figures for every demo portal (past days only)."""
    seed_history()
