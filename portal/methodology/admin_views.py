"""The admin's "Fiches du réseau": the sheets other portals share, adopted here as drafts,
one by one or a whole collection of the federation at once; and "Nos retours", where the
portal says what worked for it with the sheets it adopted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.posted_ids import posted_id
from portal.listing import paginate, query_param
from portal.methodology.adoption import AdoptionError, adopt_sheet
from portal.methodology.models import MethodologyIndexPage
from portal.methodology.network import shared_entries
from portal.methodology.toolkit import (
    FEEDBACK_MAX,
    adopt_collection,
    annotate_marks,
    collections_shown,
    our_adoptions,
    public,
    write_feedback,
)
from tenants.toolkit import Adoption, ToolkitCollection


class AnimatorsOnly(WagtailAdminTemplateMixin):
    header_icon = "doc-full"

    def get_breadcrumbs_items(self) -> list[dict]:
        """Home, then this screen: its title in the header, not "Accueil"."""
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not can_add_sheets(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class NetworkSheetsView(AnimatorsOnly, TemplateView):
    """The federation's collections and the sheets other portals share, each adoptable
    here as drafts."""

    template_name = "portal/methodology/admin/network_sheets.html"
    page_title = gettext_lazy("Fiches du réseau")

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
        page = paginate(self.request, entries, per_page=30)
        annotate_marks(page)
        context["entries"] = page
        context["query"] = query
        context["collections"] = [c for c in collections_shown() if c.entries]
        return context

    def post(self, request, *args, **kwargs):
        if "collection" in request.POST:
            return self.adopt_collection(request)
        entry_id = request.POST.get("entry", "")
        sheets = shared_entries().filter(kind="methodology")
        entry = sheets.filter(pk=pk).first() if (pk := posted_id(entry_id)) else None
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

    def adopt_collection(self, request):
        """The whole collection in one action; its drafts are listed in the section."""
        slug = request.POST.get("collection", "")
        with public():
            collection = ToolkitCollection.objects.filter(slug=slug).first() if slug else None
        if collection is None:
            messages.error(request, _("Cette collection n'existe plus."))
            return redirect("portal_network_sheets")
        try:
            report = adopt_collection(collection, request.user)
        except AdoptionError as error:
            messages.error(request, str(error))
            return redirect("portal_network_sheets")
        adopted = len(report.adopted)
        if adopted:
            text = ngettext(
                "Collection « %(title)s » adoptée : %(count)d fiche copiée en brouillon dans "
                "votre rubrique Méthodologie.",
                "Collection « %(title)s » adoptée : %(count)d fiches copiées en brouillon dans "
                "votre rubrique Méthodologie.",
                adopted,
            ) % {"title": collection.title, "count": adopted}
        else:
            text = _("Rien de nouveau à copier de la collection « %(title)s ».") % {
                "title": collection.title
            }
        if report.skipped:
            text += " " + _("Laissées de côté : %(list)s.") % {
                "list": ", ".join(f"« {title} » ({why})" for title, why in report.skipped)
            }
        if adopted:
            messages.success(request, text)
        else:
            messages.warning(request, text)
        section = MethodologyIndexPage.objects.get(locale__language_code="fr")
        return redirect("wagtailadmin_explore", section.pk)


class OurFeedbackView(AnimatorsOnly, TemplateView):
    """The sheets this portal adopted, each with what worked here, for the network."""

    template_name = "portal/methodology/admin/our_feedback.html"
    page_title = gettext_lazy("Nos retours sur les fiches adoptées")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["adoptions"] = our_adoptions()
        context["feedback_max"] = FEEDBACK_MAX
        return context

    def post(self, request, *args, **kwargs):
        adoption_id = request.POST.get("adoption", "")
        try:
            if (pk := posted_id(adoption_id)) is None:
                raise Adoption.DoesNotExist
            write_feedback(pk, request.POST.get("feedback", ""))
        except Adoption.DoesNotExist:
            messages.error(request, _("Cette adoption n'est pas celle de votre portail."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Merci : votre retour est partagé avec le réseau."))
        return redirect("portal_our_feedback")


def can_add_sheets(user) -> bool:
    """Whoever may add pages to this portal's methodology section."""
    section = MethodologyIndexPage.objects.filter(locale__language_code="fr").first()
    return bool(section and section.permissions_for_user(user).can_add_subpage())
