"""The observatory's screens in the Wagtail admin.

A portal's animators read their own portal's figures: the portal is always the request's
(``request.tenant``), whatever the query string says. Federation staff, on the federation's
host only (``tenants.admin_views.can_run_network``), read every neighbourhood side by side,
and each one's dashboard, exports and bilan. Everything is read from the folded daily
indicators of the public schema, never from another portal's schema.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.roles import Role, role_of
from observatory import exports
from observatory.charts import chart, network_map
from observatory.figures import (
    Period,
    compare_portals,
    indicators,
    indicators_by_portal,
    period_from,
)
from tenants.admin_views import can_run_network, neighbourhoods
from tenants.extension_points import top_pages
from tenants.models import Neighbourhood
from tenants.rollup import indicator_catalogue

EXPORT_FORMATS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


def can_read_dashboard(request: HttpRequest) -> bool:
    """The portal's animators (and its superusers) read its figures."""
    return getattr(request, "tenant", None) is not None and role_of(request.user) >= Role.ANIMATOR


class PortalFigures:
    """Which portal a view reads: the request's own, for its animators; or, under
    ``reseau/<slug>/``, the one federation staff chose (404 when unknown)."""

    def portal_of(self, request: HttpRequest, slug: str | None) -> Neighbourhood:
        if slug is None:
            if not can_read_dashboard(request):
                raise PermissionDenied
            return request.tenant
        if not can_run_network(request):
            raise PermissionDenied
        with schema_context(get_public_schema_name()):
            portal = Neighbourhood.objects.filter(
                schema_name=slug, kind=Neighbourhood.Kind.NEIGHBOURHOOD
            ).first()
        if portal is None:
            raise Http404
        return portal

    def urls_for(self, slug: str | None) -> dict[str, str]:
        if slug is None:
            return {
                "dashboard": reverse("observatory_dashboard"),
                "csv": reverse("observatory_export", args=["csv"]),
                "xlsx": reverse("observatory_export", args=["xlsx"]),
                "bilan": reverse("observatory_bilan"),
            }
        return {
            "dashboard": reverse("observatory_network_portal", args=[slug]),
            "csv": reverse("observatory_network_portal_export", args=[slug, "csv"]),
            "xlsx": reverse("observatory_network_portal_export", args=[slug, "xlsx"]),
            "bilan": reverse("observatory_network_portal_bilan", args=[slug]),
        }


def portal_figures(portal: Neighbourhood, period: Period) -> list:
    """The portal's indicators over the period, read knowingly from the public schema."""
    with schema_context(get_public_schema_name()):
        return indicators([portal.pk], period)


class PortalDashboardView(PortalFigures, WagtailAdminTemplateMixin, TemplateView):
    """A portal's figures over a period: a summary table, the top pages and a chart for
    each indicator with its data table."""

    template_name = "observatory/dashboard.html"
    page_title = gettext_lazy("Observatoire")
    header_icon = "table"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.slug = kwargs.get("slug")
        self.portal = self.portal_of(request, self.slug)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.portal.name

    def get_breadcrumbs_items(self) -> list[dict]:
        here = {"url": "", "label": f"{self.page_title} · {self.portal.name}"}
        if self.slug is None:
            return [*self.breadcrumbs_items, here]
        network = {"url": reverse("observatory_network"), "label": _("Observatoire du réseau")}
        return [*self.breadcrumbs_items, network, here]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        period, form = period_from(self.request.GET)
        figures = portal_figures(self.portal, period)
        with schema_context(get_public_schema_name()):
            context["top_pages"] = top_pages(self.portal, period.first, period.last)
        context.update(
            portal=self.portal,
            period=period,
            form=form,
            figures=figures,
            panels=[(indicator, chart(indicator, str(period))) for indicator in figures],
            urls=self.urls_for(self.slug),
            query=period.query(),
        )
        return context


class ExportView(PortalFigures, View):
    """A portal's figures over the period as a CSV or XLSX file."""

    def get(self, request: HttpRequest, fmt: str, slug: str | None = None) -> HttpResponse:
        portal = self.portal_of(request, slug)
        if fmt not in EXPORT_FORMATS:
            raise Http404
        period, _form = period_from(request.GET)
        figures = [(portal.name, portal_figures(portal, period))]
        filename = f"observatoire-{portal.schema_name}-{period.first}-{period.last}"
        return EXPORT_FORMATS[fmt](figures, period, filename)


class BilanView(PortalFigures, View):
    """The printable one-page bilan of a portal over a period (a browser makes the PDF)."""

    def get(self, request: HttpRequest, slug: str | None = None) -> HttpResponse:
        portal = self.portal_of(request, slug)
        period, _form = period_from(request.GET)
        figures = portal_figures(portal, period)
        shown = [indicator for indicator in figures if indicator.value or indicator.previous]
        return render(
            request,
            "observatory/bilan.html",
            {
                "portal": portal,
                "period": period,
                "figures": shown,
                "panels": [(indicator, chart(indicator, str(period))) for indicator in shown[:4]],
                "made_on": timezone.localdate(),
                "back": self.urls_for(slug)["dashboard"] + "?" + period.query(),
            },
        )


class NetworkStaffOnly:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_run_network(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


SORT_FIXED = ("nom", "activite", "evolution")


def sorted_rows(rows: list, key: str, descending: bool) -> list:
    """The network's rows sorted by a column (a name, the activity, its change, or an
    indicator's key); an unknown column sorts by activity."""
    if key == "nom":
        value = lambda row: slugify(row.portal.name)  # noqa: E731
    elif key == "evolution":
        value = lambda row: (row.change is not None, row.change or 0)  # noqa: E731
    elif key == "activite" or not rows or key not in rows[0].values:
        value = lambda row: row.activity  # noqa: E731
    else:
        value = lambda row: row.values[key]  # noqa: E731
    return sorted(rows, key=value, reverse=descending)


class NetworkDashboardView(NetworkStaffOnly, WagtailAdminTemplateMixin, TemplateView):
    """Every neighbourhood side by side over a period (a table sortable without script,
    each one's trend), the network's map sized by activity, and the network's totals."""

    template_name = "observatory/network.html"
    page_title = gettext_lazy("Observatoire du réseau")
    header_icon = "site"

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        period, form = period_from(self.request.GET)
        portals = neighbourhoods()
        catalogue = indicator_catalogue()
        requested = self.request.GET.get("tri", "activite")
        known = set(SORT_FIXED) | {counter.key for counter in catalogue}
        sort = requested if requested in known else "activite"
        descending = self.request.GET.get("ordre", "desc" if sort != "nom" else "asc") != "asc"
        with schema_context(get_public_schema_name()):
            rows = compare_portals(portals, period)
            totals = indicators([portal.pk for portal in portals], period)
        context.update(
            period=period,
            form=form,
            rows=sorted_rows(rows, sort, descending),
            totals=totals,
            columns=[(counter.key, str(counter.label)) for counter in catalogue],
            sort=sort,
            descending=descending,
            map=network_map(rows),
            query=period.query(),
            panels=[(indicator, chart(indicator, str(period))) for indicator in totals],
        )
        return context


class NetworkExportView(NetworkStaffOnly, View):
    """Every neighbourhood's figures over the period, one file."""

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        period, _form = period_from(request.GET)
        portals = neighbourhoods()
        with schema_context(get_public_schema_name()):
            by_portal = indicators_by_portal([portal.pk for portal in portals], period)
        figures = [(portal.name, by_portal[portal.pk]) for portal in portals]
        filename = f"observatoire-reseau-{period.first}-{period.last}"
        return EXPORT_FORMATS[fmt](figures, period, filename)
