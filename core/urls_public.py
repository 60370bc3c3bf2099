"""URLs of the public host: the network directory (/healthz answers on every host before
routing: core/health.py). No Wagtail here."""

from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.directory, name="network-directory"),
]

handler404 = "core.views.page_not_found"
handler500 = "core.outage.server_error"
