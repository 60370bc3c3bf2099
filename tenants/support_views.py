"""The screens of support across portals (``tenants.support_access``).

At the federation (its staff only, like every screen of ``/admin/reseau/``): open a visit
to a portal, go back in while it lasts, end it. At the visited portal: the single-use
link that signs the visitor in, and the history of visits, where the portal's animators
end one.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from tenants.admin_views import PortalStaffMixin
from tenants.group_names import ANIMATORS
from tenants.models import Neighbourhood
from tenants.support import SupportAccess
from tenants.support_access import (
    DEFAULT_HOURS,
    MAX_HOURS,
    SUPPORT_SESSION,
    can_end_at_portal,
    end_due,
    end_support,
    enter_with_link,
    history,
    issue_link,
    link_url,
    proven_network_account,
    start_support,
)

BACKEND = "tenants.network_login.NetworkAccountBackend"
# The single-use link just made, shown once on the next page of the federation's admin.
ENTRY_LINK = "quartiers_support_entry_link"


class SupportForm(forms.Form):
    """How long and why: the portal's animators read both on their banner."""

    hours = forms.TypedChoiceField(
        label=gettext_lazy("Durée"),
        coerce=int,
        initial=DEFAULT_HOURS,
        choices=[(h, gettext_lazy("%(h)d h") % {"h": h}) for h in range(1, MAX_HOURS + 1)],
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif"),
        max_length=500,
        help_text=gettext_lazy(
            "Lu par les animateurs du portail, par exemple « mise en page "
            "de l'agenda, à leur demande »."
        ),
    )


class PortalSupportView(PortalStaffMixin, TemplateView):
    """Federation side: one portal's visits; open one, go back in, end one."""

    template_name = "tenants/admin/support.html"
    handlers = {"start": "handle_start", "enter": "handle_enter", "end": "handle_end"}

    def get_page_title(self) -> str:
        return _("Support réseau : %(name)s") % {"name": self.portal.name}

    def get_breadcrumbs_items(self) -> list[dict]:
        """Home, then this screen: its title in the header, not "Accueil"."""
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        end_due(self.portal)
        context.setdefault("form", SupportForm())
        context["portal"] = self.portal
        context["accesses"] = history(self.portal, limit=30)
        context["own_email"] = (self.request.user.email or "").strip().lower()
        context["entry_link"] = self.request.session.pop(ENTRY_LINK, "")
        return context

    def post(self, request, *args, **kwargs):
        handler = self.handlers.get(request.POST.get("action", ""))
        if handler is None:
            return redirect("network_support", self.portal.schema_name)
        return getattr(self, handler)(request)

    def _posted_access(self, request) -> SupportAccess:
        access = posted_access(request, self.portal)
        if access is None:
            raise Http404
        return access

    def handle_start(self, request) -> HttpResponse:
        form = SupportForm(request.POST)
        if form.is_valid():
            try:
                access, token = start_support(
                    self.portal,
                    request.user,
                    form.cleaned_data["hours"],
                    form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(None if field == "__all__" else field, errors)
            else:
                return self.offer_link(access, token)
        return self.render_to_response(self.get_context_data(form=form))

    def offer_link(self, access: SupportAccess, token: str) -> HttpResponse:
        """Back to this screen, which offers the link as a button for its two minutes.

        Not a redirect to the portal: the admin's Content-Security-Policy (``form-action
        'self'``) rightly stops a form's answer from sending the browser to another host.
        """
        self.request.session[ENTRY_LINK] = link_url(access, token)
        return redirect("network_support", self.portal.schema_name)

    def handle_enter(self, request) -> HttpResponse:
        """Back into the portal during one's own visit: a new single-use link."""
        access = self._posted_access(request)
        account = proven_network_account(request.user)
        if not access.is_open() or account is None or access.account_id != account.pk:
            messages.error(request, _("Cet accès de support n'est pas le vôtre ou a pris fin."))
            return redirect("network_support", self.portal.schema_name)
        return self.offer_link(access, issue_link(access))

    def handle_end(self, request) -> HttpResponse:
        access = self._posted_access(request)
        if end_support(access, request.user):
            messages.success(request, _("L'accès de support de %s est fermé.") % access.staff_email)
        return redirect("network_support", self.portal.schema_name)


@never_cache
@require_GET
def enter(request: HttpRequest, token: str) -> HttpResponse:
    """Portal side: the single-use link signs the visitor in at this host, then the admin.

    Anything else (used, expired, of another portal, a visit ended) is a plain 404: the
    link tells nothing to whoever holds a stale or forged one.
    """
    tenant = getattr(request, "tenant", None)
    if not isinstance(tenant, Neighbourhood) or tenant.kind != Neighbourhood.Kind.NEIGHBOURHOOD:
        raise Http404
    user = enter_with_link(tenant, token)
    if user is None:
        raise Http404
    login(request, user, backend=BACKEND)
    access = SupportAccess.objects.open().filter(portal=tenant, user_id=user.pk).first()
    if access is not None:
        request.session[SUPPORT_SESSION] = access.pk
    return redirect("wagtailadmin_home")


class SupportHistoryView(WagtailAdminTemplateMixin, TemplateView):
    """Portal side: every visit of federation staff, and the button that ends one."""

    template_name = "tenants/admin/support_history.html"
    page_title = gettext_lazy("Support réseau")
    header_icon = "help"

    def get_breadcrumbs_items(self) -> list[dict]:
        """Home, then this screen: its title in the header, not "Accueil"."""
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        self.portal = getattr(request, "tenant", None)
        if not isinstance(self.portal, Neighbourhood) or (
            self.portal.kind != Neighbourhood.Kind.NEIGHBOURHOOD
        ):
            raise Http404
        if not can_see_support_history(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        end_due(self.portal)
        context["accesses"] = history(self.portal)
        return context

    def post(self, request, *args, **kwargs):
        access = posted_access(request, self.portal)
        if access is None:
            raise Http404
        if not can_end_at_portal(request.user, access):
            raise PermissionDenied
        if end_support(access, request.user):
            messages.success(request, _("L'accès de support de %s est fermé.") % access.staff_email)
        if request.user.pk == access.user_id:
            # The visitor ended their own visit: their session here ends with it.
            return redirect("wagtailadmin_home")
        return redirect("support_history")


def posted_access(request: HttpRequest, portal: Neighbourhood) -> SupportAccess | None:
    """The visit of ``portal`` named by the posted "access", if any (ASCII digits only:
    ``str.isdigit`` also takes "²", which ``int`` refuses)."""
    posted = request.POST.get("access", "")
    if not (posted.isascii() and posted.isdigit() and len(posted) <= 18):
        return None
    return (
        SupportAccess.objects.filter(portal=portal, pk=int(posted)).select_related("portal").first()
    )


def can_see_support_history(request: HttpRequest) -> bool:
    """The portal's animators and superusers, and a visitor during their visit."""
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.groups.filter(name=ANIMATORS).exists():
        return True
    return SupportAccess.objects.open().filter(portal=request.tenant, user_id=user.pk).exists()
