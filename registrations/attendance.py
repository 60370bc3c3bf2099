"""The attendance list: on the day, the animator ticks, from a phone, who came.

One page per event, in the Wagtail admin: the confirmed registrations, each with one big
button ("Venu·e" / "Pas venu·e") that works without JavaScript. Read and written in the
portal's own schema only: another portal's event or registration is a 404 here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core.posted_ids import posted_id
from portal.public import EventPage
from registrations.lifecycle import mark_attendance
from registrations.models import Registration

CHANGE_PERMISSION = "registrations.change_registration"


class AttendanceView(WagtailAdminTemplateMixin, TemplateView):
    """Who registered for an event, and who came: one tap a person."""

    template_name = "registrations/admin/attendance.html"
    page_title = gettext_lazy("Présences")
    header_icon = "tick"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        self.event = get_object_or_404(EventPage, pk=kwargs["event_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.event.title

    def get_breadcrumbs_items(self) -> list[dict]:
        registrations = reverse("registrations_registration:index") + f"?event={self.event.pk}"
        return [
            *self.breadcrumbs_items,
            {"url": registrations, "label": _("Inscriptions aux événements")},
            {"url": "", "label": f"{self.page_title} · {self.event.title}"},
        ]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        registrations = Registration.objects.filter(event=self.event).confirmed()
        context["event"] = self.event
        context["registrations"] = registrations.order_by("name", "pk")
        context["came"] = registrations.attended().people()
        context["expected"] = registrations.people()
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        registration = get_object_or_404(
            Registration, pk=_number(request.POST.get("registration")), event=self.event
        )
        came = request.POST.get("came") == "1"
        try:
            mark_attendance(registration, came)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            message = _("%(name)s : venu·e.") if came else _("%(name)s : pas venu·e.")
            messages.success(request, message % {"name": registration.name})
        url = reverse("registrations_attendance", args=[self.event.pk])
        return redirect(f"{url}#inscription-{registration.pk}")


def _number(value: str | None) -> int:
    """A posted id, or 0 (which matches nothing: a 404, never a 500)."""
    return posted_id(value) or 0
