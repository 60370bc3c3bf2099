"""URLs of the public host: the network directory and the sending provider's webhook
(its events name their portal: ``core/mail.py``). /healthz answers on every host before
routing (core/health.py). No Wagtail here."""

from django.urls import path

from core import mail
from tenants import views

urlpatterns = [
    path("", views.directory, name="network-directory"),
    # The sending provider's signed events (bounces, complaints), for every portal.
    path("anymail/<str:provider>/tracking/", mail.tracking_webhook, name="mail-tracking"),
]

handler404 = "core.views.page_not_found"
handler500 = "core.outage.server_error"
