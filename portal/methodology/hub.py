"""The federation's hub: every sheet and article the portals share, from the index only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from core.pages import SectionPage
from portal.listing import paginate, query_param
from portal.methodology.feeds import SharedEntryFeed
from portal.methodology.models import MethodologyPage
from portal.methodology.network import shared_reading
from tenants.models import Neighbourhood

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
        return self.render(
            request,
            context_overrides={
                "entries": page_of_entries,
                "chosen": chosen,
                "filter_query": urlencode(chosen),
                "modules": MethodologyPage.Module.choices,
                "portals": Neighbourhood.objects.active().portals(),
                "languages": settings.WAGTAIL_CONTENT_LANGUAGES,
            },
        )

    @path("rss/")
    def rss(self, request):
        return SharedEntryFeed()(request, index_page=self)
