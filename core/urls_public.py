"""URLs of the public host: the network directory and /healthz. No Wagtail here."""

from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.directory, name="network-directory"),
    path("healthz", views.healthz, name="healthz"),
]

handler404 = "core.views.page_not_found"
handler500 = "core.outage.server_error"
