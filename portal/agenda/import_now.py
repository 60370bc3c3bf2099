""" "Importer maintenant": an animator runs the import of one followed agenda from its row
in "Agenda > Agendas suivis", without waiting for the hourly cron, and reads what it did.

The import runs at once, in the request: it is one feed, whose fetch ``core.outbound``
bounds in time and size (``OUTBOUND_TIMEOUT_SECONDS``, ``OUTBOUND_MAX_BYTES``), and the
animator waits for the very answer they asked for. A GET shows the confirmation; only a
POST (with Django's CSRF token) imports; both need the right to change the subscription.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from portal.agenda.ical_import import import_subscription
from portal.agenda.subscriptions import AgendaSubscription

LIST_URL = "portal_agendasubscription:list"
IMPORT_NOW_URL = "portal_agendasubscription:import_now"


def user_can_import(user: AbstractBaseUser) -> bool:
    """Importing a followed agenda now is using it as its editor: the right to change it
    (the "Animateurs" group)."""
    return user.has_perm("portal.change_agendasubscription")


class ImportNowView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm (GET), then import one subscription's feed at once (POST)."""

    template_name = "portal/agenda/admin/import_now.html"
    header_icon = "download"

    def dispatch(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not user_can_import(request.user):
            raise PermissionDenied
        self.subscription = get_object_or_404(AgendaSubscription, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self) -> str:
        return str(_("Importer maintenant"))

    def get_page_subtitle(self) -> str:
        return self.subscription.name

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(LIST_URL), "label": _("Agendas suivis")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: object) -> dict:
        return super().get_context_data(
            subscription=self.subscription, list_url=reverse(LIST_URL), **kwargs
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        result = import_subscription(self.subscription)
        line = f"{self.subscription.name} : {result.summary()}"
        if result.error:
            messages.error(request, line)
        else:
            messages.success(request, line)
        return redirect(LIST_URL)
