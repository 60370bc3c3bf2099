"""The agenda's subscriptions to outside feeds in Wagtail and in the platform's extension
points: the "Agenda > Agendas suivis" screens (animators only), their rights, and their
place in the caching rules.

Imported by ``portal/wagtail_hooks.py`` (Wagtail reads hooks from an app's top module).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.widgets.button import BaseButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from core.extension_points import NOT_SHOWN_ON_PAGES
from portal.agenda.import_now import IMPORT_NOW_URL, ImportNowView, user_can_import
from portal.agenda.subscriptions import AgendaSubscription
from tenants.extension_points import ROLE_PERMISSIONS
from tenants.group_names import ANIMATORS

SUBSCRIPTION_PERMISSIONS = [
    "add_agendasubscription",
    "change_agendasubscription",
    "delete_agendasubscription",
    "view_agendasubscription",
]


class AgendaSubscriptionIndexView(IndexView):
    """The followed agendas, each row with an "Importer maintenant" button."""

    def get_list_more_buttons(self, instance: AgendaSubscription) -> list:
        buttons = super().get_list_more_buttons(instance)
        if user_can_import(self.request.user):
            buttons.insert(
                0,
                BaseButton(
                    gettext_lazy("Importer maintenant"),
                    url=reverse(IMPORT_NOW_URL, args=[instance.pk]),
                    classname="button button-small button-secondary",
                    icon_name="download",
                    priority=5,
                ),
            )
        return buttons


class AgendaSubscriptionViewSet(SnippetViewSet):
    """The outside agendas the portal follows, with each one's last import. Wagtail's
    snippet permissions keep them to the roles that hold the model's rights: animators."""

    model = AgendaSubscription
    icon = "calendar-alt"
    menu_label = gettext_lazy("Agendas suivis")
    url_prefix = "agenda/agendas-suivis"
    url_namespace = "portal_agendasubscription"
    list_display = [
        "name",
        BooleanColumn("trusted", label=gettext_lazy("Confiance")),
        BooleanColumn("active", label=gettext_lazy("Active")),
        DateColumn("last_run_at", label=gettext_lazy("Dernier import")),
        Column("last_result", label=gettext_lazy("Résultat")),
    ]
    list_filter = ["trusted", "active"]
    search_fields = ["name", "url"]
    search_backend_name = None  # a plain icontains: a handful of rows
    index_view_class = AgendaSubscriptionIndexView

    def get_urlpatterns(self) -> list:
        return [
            *super().get_urlpatterns(),
            path("importer/<int:pk>/", ImportNowView.as_view(), name="import_now"),
        ]


class AgendaAdminGroup(SnippetViewSetGroup):
    """ "Agenda" in the admin's menu: what feeds the portal's agenda from outside."""

    menu_label = gettext_lazy("Agenda")
    menu_icon = "date"
    menu_order = 240
    items = (AgendaSubscriptionViewSet,)


register_snippet(AgendaAdminGroup)


@hooks.register(ROLE_PERMISSIONS)
def agenda_role_permissions() -> dict[str, list[tuple[str, str]]]:
    """Animators choose the agendas their portal follows."""
    return {ANIMATORS: [("portal", codename) for codename in SUBSCRIPTION_PERMISSIONS]}


@hooks.register(NOT_SHOWN_ON_PAGES)
def agenda_models_not_shown_on_pages() -> Iterable[str]:
    """Subscriptions show in the admin only; what they import are pages, published (and
    so forgotten by the cache) through Wagtail's own publishing."""
    return ["portal.AgendaSubscription", "portal.ImportedEvent"]
