"""The network's place in the federation portal's admin: the "Réseau" menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tenants.admin_views import CreatePortalView, NetworkIndexView, PortalView, can_run_network


@hooks.register("register_admin_urls")
def network_admin_urls():
    return [
        path("reseau/", NetworkIndexView.as_view(), name="network_index"),
        path("reseau/ouvrir/", CreatePortalView.as_view(), name="network_create"),
        path("reseau/portails/<slug:slug>/", PortalView.as_view(), name="network_portal"),
    ]


class NetworkMenuItem(MenuItem):
    """Shown only where the screens answer: the federation's host, to its staff."""

    def is_shown(self, request) -> bool:
        return can_run_network(request)


@hooks.register("register_admin_menu_item")
def network_menu_item():
    return NetworkMenuItem(_("Réseau"), reverse("network_index"), icon_name="site", order=950)
