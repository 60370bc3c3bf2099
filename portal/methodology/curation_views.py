"""The federation admin's "Boîte à outils": staff mark shared sheets and make collections.

Only on the federation's host, only for its staff (``tenants.admin_views.can_run_network``),
checked before anything is read: an animator of a portal, or anyone on another host, gets
a 403 whatever they post.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.posted_ids import posted_id
from portal.listing import paginate, query_param
from portal.methodology.toolkit import (
    annotate_marks,
    collection_entries,
    collections_shown,
    mark_sheet,
    public,
    set_collection_sheets,
    shared_sheets,
)
from tenants.admin_views import can_run_network
from tenants.toolkit import ToolkitCollection


class FederationStaffOnly(WagtailAdminTemplateMixin):
    header_icon = "clipboard-list"

    def get_breadcrumbs_items(self) -> list[dict]:
        """Home, then this screen: its title in the header, not "Accueil"."""
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not can_run_network(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CollectionForm(forms.ModelForm):
    """A collection's title, address, presentation and sheets (checked in the list)."""

    sheets = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Fiches de la collection"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Les fiches que les portails ouverts partagent aujourd'hui."),
    )

    class Meta:
        model = ToolkitCollection
        fields = ["title", "slug", "description", "position"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        with public():
            self.entries = {
                entry.pk: entry for entry in shared_sheets().order_by("tenant__name", "title")
            }
        self.fields["sheets"].choices = [
            (pk, f"{entry.title} ({entry.tenant.name})") for pk, entry in self.entries.items()
        ]
        if self.instance.pk and not self.is_bound:
            self.initial["sheets"] = [entry.pk for entry in collection_entries(self.instance)]

    def chosen_entries(self) -> list:
        return [self.entries[pk] for pk in self.cleaned_data["sheets"] if pk in self.entries]

    @transaction.atomic
    def save(self, commit: bool = True) -> ToolkitCollection:
        with public():
            collection = super().save(commit=True)
        set_collection_sheets(collection, self.chosen_entries())
        return collection


class ToolkitCurationView(FederationStaffOnly, TemplateView):
    """The shared sheets with their marks, and the collections, for federation staff."""

    template_name = "portal/methodology/admin/toolkit_curation.html"
    page_title = gettext_lazy("Boîte à outils du réseau")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        with public():
            entries = shared_sheets()
            if query := query_param(self.request, "q"):
                entries = entries.search(query)
            else:
                entries = entries.order_by("tenant__name", "title")
            page = paginate(self.request, entries, per_page=40)
            annotate_marks(page)
        context["entries"] = page
        context["query"] = query
        context["collections"] = collections_shown()
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        entry_id = request.POST.get("entry", "")
        with public():
            entry = shared_sheets().filter(pk=pk).first() if (pk := posted_id(entry_id)) else None
        if entry is None:
            messages.error(request, _("Cette fiche n'est plus partagée."))
        else:
            mark_sheet(
                entry,
                validated=request.POST.get("validated") == "on",
                featured=request.POST.get("featured") == "on",
                by=request.user,
            )
            messages.success(request, _("Marques de « %s » enregistrées.") % entry.title)
        return redirect("portal_toolkit_curation")


class CollectionEditView(FederationStaffOnly, TemplateView):
    """Make a collection, or change one (``slug`` given), or delete it."""

    template_name = "portal/methodology/admin/toolkit_collection_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_run_network(request):  # before the lookup: no probing of slugs
            raise PermissionDenied
        self.collection = None
        if slug := kwargs.get("slug"):
            with public():
                self.collection = ToolkitCollection.objects.filter(slug=slug).first()
            if self.collection is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return self.collection.title if self.collection else _("Nouvelle collection")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CollectionForm(instance=self.collection))
        context["collection"] = self.collection
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if self.collection and request.POST.get("action") == "delete":
            title = self.collection.title
            with public():
                self.collection.delete()
            messages.success(request, _("La collection « %s » est supprimée.") % title)
            return redirect("portal_toolkit_curation")
        form = CollectionForm(request.POST, instance=self.collection)
        with public():  # the unique address is checked in the network's table
            valid = form.is_valid()
        if not valid:
            return self.render_to_response(self.get_context_data(form=form))
        collection = form.save()
        messages.success(request, _("La collection « %s » est enregistrée.") % collection.title)
        return redirect("portal_toolkit_curation")
