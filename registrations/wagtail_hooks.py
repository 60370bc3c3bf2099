"""Registrations in the Wagtail admin (the list by event, its CSV export, a button on each
event that takes registrations) and on the site (the sub-views and the box they add to an
event page)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import URLPattern, path, re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.extension_points import SHOWN_ON_PAGES
from core.spreadsheets import SafeExportIndexView
from portal.public import EventPage
from registrations import lifecycle, views
from registrations.attendance import CHANGE_PERMISSION, AttendanceView
from registrations.demo import seed_registrations
from registrations.models import Registration
from tenants.extension_points import (
    ACTIVITY_COUNTERS,
    DEMO_CONTENT,
    ROLE_PERMISSIONS,
    ActivityCounter,
)
from tenants.group_names import ANIMATORS

if TYPE_CHECKING:
    from tenants.models import Neighbourhood


class NoAddingPolicy(ModelPermissionPolicy):
    """Residents register themselves (with their e-mail and consent): nobody adds them here."""

    def user_has_permission(self, user, action: str) -> bool:
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])


register_permission_policy(Registration, NoAddingPolicy(Registration))


class RegistrationViewSet(ModelViewSet):
    """Who comes to which event; the animator filters by event and exports the list."""

    model = Registration
    icon = "group"
    menu_label = _("Inscriptions aux événements")
    menu_order = 270
    add_to_admin_menu = True
    url_prefix = "inscriptions"
    url_namespace = "registrations_registration"
    list_display = [
        "name",
        "event",
        Column("people", label=_("Personnes")),
        Column("status", label=_("État"), accessor="get_status_display"),
        "accessibility_needs",
        DateColumn("created_at", label=_("Inscrit·e le")),
    ]
    list_filter = ["event", "status"]
    list_export = [
        "event",
        "name",
        "email",
        "people",
        "accessibility_needs",
        "status",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "attended_at",
    ]
    export_headings = {"event": _("Événement")}
    export_filename = "inscriptions"
    index_view_class = SafeExportIndexView  # formulas typed by visitors stay text
    search_fields = ["name", "email"]
    search_backend_name = None
    inspect_view_enabled = True
    form_fields = ["name", "people", "accessibility_needs"]

    def get_queryset(self, request):
        return Registration.objects.select_related("event")


registration_viewset = RegistrationViewSet("registrations_registration")


@hooks.register("register_admin_viewset")
def register_registration_viewset() -> RegistrationViewSet:
    return registration_viewset


@hooks.register("register_page_header_buttons")
def registrations_header_button(page, user, view_name, next_url=None):
    if issubclass(page.specific_class or type(page), EventPage) and user.has_perm(
        "registrations.view_registration"
    ):
        yield Button(
            _("Inscriptions"),
            url=reverse("registrations_registration:index") + f"?event={page.pk}",
            icon_name="group",
            priority=45,
        )
    if issubclass(page.specific_class or type(page), EventPage) and user.has_perm(
        CHANGE_PERMISSION
    ):
        yield Button(
            _("Présences"),
            url=reverse("registrations_attendance", args=[page.pk]),
            icon_name="tick",
            priority=46,
        )


@hooks.register("register_admin_urls")
def attendance_urls() -> list[URLPattern]:
    """The attendance list of an event, ticked on the day from a phone."""
    return [
        path(
            "inscriptions/presences/<int:event_id>/",
            AttendanceView.as_view(),
            name="registrations_attendance",
        )
    ]


# --- What every new portal gets (tenants.extension_points) ------------------------------


@hooks.register(ROLE_PERMISSIONS)
def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators see and manage the events' registrations."""
    return {
        ANIMATORS: [
            ("registrations", "view_registration"),
            ("registrations", "change_registration"),
        ]
    }


@hooks.register(DEMO_CONTENT, order=60)
def demo_content(neighbourhood: Neighbourhood) -> None:
    """Registrations to the demo events (after the portal's agenda is seeded)."""
    seed_registrations(neighbourhood)


@hooks.register("register_page_routes")
def event_registration_routes(page_class: type) -> list[URLPattern]:
    """An event's registration form, its confirmation and the link that cancels one, under
    the event's own address (``core.page_routes``)."""
    if not issubclass(page_class, EventPage):
        return []
    return [
        path("inscription/", views.register, name="register"),
        path("inscription/envoyee/", views.registered, name="registered"),
        re_path(
            r"^inscription/annuler/(?P<token>[A-Za-z0-9_-]{1,300})/$",
            views.cancel,
            name="cancel_registration",
        ),
    ]


@hooks.register("register_event_page_sections")
def event_registration_box(event: EventPage, request) -> tuple[str, dict] | None:
    """The registration box of an event that takes registrations here and is not over yet:
    places left, "complet", the link to register (one query)."""
    if not event.registrations_open or event.is_past:
        return None
    left = lifecycle.places_left(event)
    return "registrations/includes/box.html", {
        "event": event,
        "open": lifecycle.accepts_registrations(event),
        "places_left": left,
        "full": left == 0,
    }


@hooks.register(SHOWN_ON_PAGES)
def registrations_models_shown_on_pages() -> Iterable[str]:
    """The event page says how many places are left."""
    return ["registrations.Registration"]


def _registered_since(since: datetime.datetime) -> int:
    # People, not forms: a registration counts its whole party; cancelled ones do not.
    return (
        Registration.objects.exclude(status=Registration.Status.CANCELLED)
        .filter(created_at__gte=since)
        .people()
    )


def _attended_since(since: datetime.datetime) -> int:
    return Registration.objects.attended().filter(attended_at__gte=since).people()


@hooks.register(ACTIVITY_COUNTERS)
def activity_counters() -> Iterable[ActivityCounter]:
    """People registered for events, and people who came (ticked on the day)."""
    return [
        ActivityCounter("registrations", _("Inscriptions aux événements"), _registered_since),
        ActivityCounter("attendance", _("Présences aux événements"), _attended_since),
    ]
