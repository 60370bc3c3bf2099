"""The admin's "Fiches du réseau": the sheets other portals share, adopted here as drafts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.listing import paginate, query_param
from portal.methodology.adoption import AdoptionError, adopt_sheet
from portal.methodology.models import MethodologyIndexPage
from portal.methodology.network import shared_entries


class NetworkSheetsView(WagtailAdminTemplateMixin, TemplateView):
    """The methodology sheets other portals share, each one adoptable as a draft here."""

    template_name = "portal/methodology/admin/network_sheets.html"
    page_title = gettext_lazy("Fiches du réseau")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not can_add_sheets(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = (
            shared_entries()
            .filter(kind="methodology")
            .exclude(tenant__schema_name=self.request.tenant.schema_name)
        )
        if query := query_param(self.request, "q"):
            entries = entries.search(query)
        else:
            entries = entries.newest_first()
        context["entries"] = paginate(self.request, entries, per_page=30)
        context["query"] = query
        return context

    def post(self, request, *args, **kwargs):
        entry_id = request.POST.get("entry", "")
        sheets = shared_entries().filter(kind="methodology")
        entry = sheets.filter(pk=entry_id).first() if entry_id.isdigit() else None
        if entry is None:
            messages.error(request, _("Cette fiche n'est plus partagée."))
            return redirect("portal_network_sheets")
        try:
            sheet = adopt_sheet(entry, user=request.user)
        except AdoptionError as error:
            messages.error(request, str(error))
            return redirect("portal_network_sheets")
        messages.success(
            request,
            _("« %(title)s » est copiée en brouillon dans votre rubrique Méthodologie.")
            % {"title": sheet.title},
        )
        return redirect("wagtailadmin_pages:edit", sheet.pk)


def can_add_sheets(user) -> bool:
    """Whoever may add pages to this portal's methodology section."""
    section = MethodologyIndexPage.objects.filter(locale__language_code="fr").first()
    return bool(section and section.permissions_for_user(user).can_add_subpage())
