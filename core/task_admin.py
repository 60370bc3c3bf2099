"""Réseau > Tâches en échec: the background tasks that spent their attempts, for the
federation's staff only, with their error and a "Relancer" button.

The queue is the network's (one table in ``public``): its rows name every portal, so
only the screens of the federation's host show them, to its staff (``can_run_network``);
a portal's animators never see them, nor another portal's.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem

from core import task_queue
from tenants.admin_views import NetworkStaffMixin, can_run_network


class FailedTasksView(NetworkStaffMixin, TemplateView):
    """The failed tasks, newest first; POST ``relaunch=<id>`` enqueues one again."""

    template_name = "core/admin/failed_tasks.html"
    page_title = gettext_lazy("Tâches en échec")

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("network_index"), "label": _("Réseau")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tasks"] = task_queue.failed_tasks()
        context["max_attempts"] = task_queue.max_attempts()
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        task_id = request.POST.get("relaunch", "")
        if task_queue.relaunch(task_id):
            messages.success(request, _("La tâche est relancée : le worker la reprend."))
        else:
            messages.error(request, _("Cette tâche n'est plus en échec (déjà relancée ?)."))
        return redirect("core_failed_tasks")


class FailedTasksMenuItem(MenuItem):
    """Shown where the screen answers: the federation's host, to its staff."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_run_network(request)
