"""Running the network from the federation portal's admin: the "Fédération" group only.

Every screen checks two things: the request is for the federation's portal (a
neighbourhood's superuser is a superuser of that neighbourhood only), and the user is in
the federation's staff group (or a superuser of the federation). Every change goes
through the service that owns it, which writes it to the network's log with the staff
member as its author (a command's changes are logged the same way, by the shell's user).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from tenants import journal
from tenants.activity import portal_activity
from tenants.addresses import base_url_for_domain
from tenants.default_portal import FEDERATION_STAFF
from tenants.domains import add_domain, make_primary, remove_domain
from tenants.extension_points import ActivityCounter, activity_counters
from tenants.forms import CreatePortalForm, DeleteForm, DomainForm, StatusForm
from tenants.lifecycle import change_status, delete_archived
from tenants.models import Neighbourhood
from tenants.provisioning import provision_neighbourhood
from tenants.rollup import EDITORS, NOTHING_FOLDED, PAGES, PortalActivity, network_activity


def can_run_network(request: HttpRequest) -> bool:
    """Only on the federation's host, only for its staff group (or its superusers)."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.kind != Neighbourhood.Kind.FEDERATION:
        return False
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=FEDERATION_STAFF).exists()


class NetworkStaffMixin(WagtailAdminTemplateMixin):
    header_icon = "site"

    def get_breadcrumbs_items(self) -> list[dict]:
        """Accueil > Réseau > this screen: Wagtail's header names the screen by its last
        breadcrumb (without them, every screen of the network read "Accueil")."""
        items = [*self.breadcrumbs_items]
        if self.request.resolver_match.url_name != "network_index":
            items.append({"url": reverse("network_index"), "label": _("Réseau")})
        return [*items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not can_run_network(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PortalStaffMixin(NetworkStaffMixin):
    """A staff screen about one neighbourhood, named by the ``slug`` of its address."""

    portal: Neighbourhood

    def dispatch(self, request, *args, **kwargs):
        if not can_run_network(request):  # before the lookup: no probing which slugs exist
            raise PermissionDenied
        with schema_context(get_public_schema_name()):
            self.portal = (
                Neighbourhood.objects.filter(
                    kind=Neighbourhood.Kind.NEIGHBOURHOOD, schema_name=kwargs["slug"]
                )
                .prefetch_related("domains")
                .first()
            )
        if self.portal is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def neighbourhoods():
    """The portals the network's admin runs: every neighbourhood, not the federation."""
    with schema_context(get_public_schema_name()):
        return list(
            Neighbourhood.objects.filter(kind=Neighbourhood.Kind.NEIGHBOURHOOD)
            .prefetch_related("domains")
            .order_by("name")
        )


@dataclass(frozen=True)
class FoldedRow:
    """One line of the network's list: a portal and its folded activity, in the order of
    the counters' columns."""

    portal: Neighbourhood
    activity: PortalActivity
    counters: list[ActivityCounter]

    @property
    def pages(self) -> int:
        """Pages published over the window."""
        return self.activity.value(PAGES)

    @property
    def editors(self) -> int:
        """Accounts that can edit the portal, when last folded."""
        return self.activity.value(EDITORS)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """Each counter's key and its total over the window."""
        return [(counter.key, self.activity.value(counter.key)) for counter in self.counters]


class NetworkIndexView(NetworkStaffMixin, TemplateView):
    """Every neighbourhood with its state, host names and activity; the latest actions."""

    template_name = "tenants/admin/network_index.html"
    page_title = gettext_lazy("Réseau")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read from the folded indicators (``manage.py rollup_activity``): one query
        # whatever the number of portals, never a visit to each schema.
        counters = activity_counters()
        folded = network_activity()
        context["counters"] = counters
        context["rows"] = [
            FoldedRow(portal, folded.get(portal.pk, NOTHING_FOLDED), counters)
            for portal in neighbourhoods()
        ]
        context["folded_until"] = max(
            (activity.folded_until for activity in folded.values() if activity.folded_until),
            default=None,
        )
        context["actions"] = journal.latest()
        return context


class CreatePortalView(NetworkStaffMixin, FormView):
    """Open a neighbourhood: the provisioning service, its first animator invited."""

    form_class = CreatePortalForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = gettext_lazy("Ouvrir un quartier")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("network_create")
        context["submit_button_label"] = _("Ouvrir le portail")
        context["submit_button_active_label"] = _("Ouverture…")
        return context

    def form_valid(self, form: CreatePortalForm) -> HttpResponse:
        try:
            provisioning = provision_neighbourhood(form.spec(), by=self.request.user)
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
            return self.form_invalid(form)
        portal = provisioning.neighbourhood
        messages.success(
            self.request,
            _("Le portail « %(name)s » est ouvert ; une invitation part pour %(email)s.")
            % {"name": portal.name, "email": form.cleaned_data["animator_email"]},
        )
        return redirect("network_portal", portal.schema_name)


class PortalView(PortalStaffMixin, TemplateView):
    """One neighbourhood: its host names, its state, and its deletion once archived.

    Each form posts here with an ``action``; an invalid form comes back with its errors.
    """

    template_name = "tenants/admin/portal.html"
    # The posted ``action`` -> the method that handles it (not named after HTTP verbs).
    handlers = {
        "add_domain": "handle_add_domain",
        "remove_domain": "handle_remove_domain",
        "make_primary": "handle_make_primary",
        "status": "handle_status",
        "delete": "handle_delete",
    }

    def get_page_title(self) -> str:
        return self.portal.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("domain_form", DomainForm())
        context.setdefault("status_form", StatusForm(portal=self.portal))
        context.setdefault("delete_form", DeleteForm())
        context["portal"] = self.portal
        domains = sorted(self.portal.domains.all(), key=lambda d: not d.is_primary)
        context["domains"] = [(domain, base_url_for_domain(domain.domain)) for domain in domains]
        context["activity"] = portal_activity(self.portal)
        context["actions"] = journal.latest(portal=self.portal.schema_name)
        return context

    def post(self, request, *args, **kwargs):
        handler = self.handlers.get(request.POST.get("action", ""))
        if handler is None:
            return redirect("network_portal", self.portal.schema_name)
        return getattr(self, handler)(request)

    def handle_add_domain(self, request) -> HttpResponse:
        form = DomainForm(request.POST)
        if form.is_valid():
            try:
                domain = add_domain(self.portal, form.cleaned_data["domain"], by=request.user)
            except ValidationError as error:
                form.add_error("domain", error.message_dict.get("domain") or error.messages)
            else:
                messages.success(request, _("« %s » sert désormais ce portail.") % domain.domain)
                return redirect("network_portal", self.portal.schema_name)
        return self.render_to_response(self.get_context_data(domain_form=form))

    def handle_remove_domain(self, request) -> HttpResponse:
        posted = request.POST.get("domain", "")
        domain = next((d for d in self.portal.domains.all() if str(d.pk) == posted), None)
        if domain is None:
            messages.error(request, _("Ce nom d'hôte ne sert pas ce portail."))
            return redirect("network_portal", self.portal.schema_name)
        try:
            remove_domain(domain, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("« %s » ne sert plus ce portail.") % domain.domain)
        return redirect("network_portal", self.portal.schema_name)

    def handle_make_primary(self, request) -> HttpResponse:
        posted = request.POST.get("domain", "")
        domain = next((d for d in self.portal.domains.all() if str(d.pk) == posted), None)
        if domain is None:
            messages.error(request, _("Ce nom d'hôte ne sert pas ce portail."))
        else:
            make_primary(domain, by=request.user)
            messages.success(
                request, _("« %s » est désormais le nom principal du portail.") % domain.domain
            )
        return redirect("network_portal", self.portal.schema_name)

    def handle_status(self, request) -> HttpResponse:
        form = StatusForm(request.POST, portal=self.portal)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change_status(
                    self.portal,
                    data["status"],
                    data["reason"],
                    by=request.user,
                    unarchive=data.get("unarchive", False),
                )
            except ValidationError as error:
                field = "unarchive" if getattr(error, "code", None) == "archived" else "status"
                form.add_error(field if field in form.fields else None, error.messages)
            else:
                messages.success(
                    request,
                    _("« %(name)s » est désormais « %(status)s ».")
                    % {"name": self.portal.name, "status": self.portal.get_status_display()},
                )
                return redirect("network_portal", self.portal.schema_name)
        return self.render_to_response(self.get_context_data(status_form=form))

    def handle_delete(self, request) -> HttpResponse:
        form = DeleteForm(request.POST)
        if form.is_valid():
            name = self.portal.name
            try:
                delete_archived(self.portal, form.cleaned_data["name"], by=request.user)
            except ValidationError as error:
                form.add_error("name", error.messages)
            else:
                messages.success(request, _("Le portail « %s » est supprimé.") % name)
                return redirect("network_index")
        return self.render_to_response(self.get_context_data(delete_form=form))
