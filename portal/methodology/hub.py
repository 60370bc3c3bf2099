"""The federation's hub: every sheet and article the portals share, from the index only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from core.pages import SectionPage
from portal.listing import paginate, query_param
from portal.methodology.feeds import SharedEntryFeed
from portal.methodology.models import MethodologyPage
from portal.methodology.network import shared_reading
from portal.methodology.toolkit import (
    adoptions_of,
    annotate_marks,
    collection_entries,
    collections_for_visitors,
    public,
    shared_sheets,
)
from tenants.models import Neighbourhood
from tenants.toolkit import ToolkitCollection

FILTERS = ("module", "quartier", "langue", "tag", "q")


class FederationHubPage(RoutablePageMixin, SectionPage):
    """The network's shared methodology and articles, filterable and searchable."""

    template = "portal/methodology/federation_hub_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("centre de ressources du réseau")

    def filtered_entries(self, request):
        entries = shared_reading()
        chosen = {name: query_param(request, name) for name in FILTERS}
        if chosen["module"] in MethodologyPage.Module.values:
            entries = entries.filter(module=chosen["module"])
        if chosen["quartier"]:
            entries = entries.filter(tenant__schema_name=chosen["quartier"])
        if chosen["langue"]:
            entries = entries.filter(locale=chosen["langue"])
        if chosen["tag"]:
            entries = entries.filter(tags__contains=[chosen["tag"]])
        entries = entries.search(chosen["q"]) if chosen["q"] else entries.newest_first()
        return entries, {name: value for name, value in chosen.items() if value}

    @path("")
    def listing(self, request):
        entries, chosen = self.filtered_entries(request)
        page_of_entries = paginate(request, entries)
        labels = dict(MethodologyPage.Module.choices)
        for entry in page_of_entries:
            entry.label = labels.get(entry.module, _("Article"))
        # The toolkit's rows, read in one visit to the shared schema (one search path).
        with public():
            annotate_marks(page_of_entries)
            collections = collections_for_visitors()
        return self.render(
            request,
            context_overrides={
                "collections": collections,
                "entries": page_of_entries,
                "chosen": chosen,
                "filter_query": urlencode(chosen),
                "modules": MethodologyPage.Module.choices,
                "portals": Neighbourhood.objects.active().portals(),
                "languages": settings.WAGTAIL_CONTENT_LANGUAGES,
            },
        )

    @path("collections/", name="collections")
    def collections(self, request):
        """The federation's collections of sheets, each with its sheets."""
        return self.render(
            request,
            template="portal/methodology/toolkit_collections.html",
            context_overrides={"collections": collections_for_visitors()},
        )

    @path("collections/<slug:slug>/", name="collection")
    def collection(self, request, slug: str):
        """One collection: its sheets with their marks and who adopted them."""
        with public():
            collection = ToolkitCollection.objects.filter(slug=slug).first()
        entries = collection_entries(collection) if collection else []
        if not entries:  # unknown, or none of its sheets is shared by an open portal
            raise Http404
        labels = dict(MethodologyPage.Module.choices)
        for entry in entries:
            entry.label = labels.get(entry.module, "")
        return self.render(
            request,
            template="portal/methodology/toolkit_collection.html",
            context_overrides={"collection": collection, "entries": entries},
        )

    @path("fiches/<slug:portal>/<int:page_id>/", name="sheet")
    def sheet(self, request, portal: str, page_id: int):
        """A shared sheet as the network sees it: its marks, the collections it is in,
        the portals that adopted it and what worked for them."""
        with public():
            entry = shared_sheets().filter(tenant__schema_name=portal, page_id=page_id).first()
        if entry is None:
            raise Http404
        annotate_marks([entry])
        entry.label = dict(MethodologyPage.Module.choices).get(entry.module, "")
        with public():
            in_collections = list(
                ToolkitCollection.objects.filter(
                    sheets__tenant_id=entry.tenant_id, sheets__page_id=entry.page_id
                )
            )
        return self.render(
            request,
            template="portal/methodology/toolkit_sheet.html",
            context_overrides={
                "entry": entry,
                "adoptions": adoptions_of(entry.tenant_id, entry.page_id),
                "in_collections": in_collections,
            },
        )

    @path("rss/")
    def rss(self, request):
        return SharedEntryFeed()(request, index_page=self)
