"""The federation admin's "Parcours de formation": each portal's animators and the modules
of the methodology they have followed or have left (``training``).

Federation staff only, checked before anything is read, like every screen of the
network's admin: an animator, whatever portal they are at, gets a 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_tenants.utils import get_public_schema_name, schema_context

from portal.methodology.curation_views import FederationStaffOnly
from portal.methodology.training import animators_paths, record_step, training_modules
from tenants.admin_views import neighbourhoods
from tenants.models import Neighbourhood


class StepForm(forms.Form):
    """A module followed by one of the portal's animators."""

    person = forms.ChoiceField(label=gettext_lazy("Animateur ou animatrice"))
    module = forms.ChoiceField(label=gettext_lazy("Module"))
    followed_on = forms.DateField(
        label=gettext_lazy("Suivi le"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Écrivez une date, par exemple 2026-11-30.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Ce qui est acquis, ce qui reste à accompagner."),
    )

    def __init__(self, *args: object, people: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people
        self.fields["module"].choices = training_modules()
        self.fields["followed_on"].initial = timezone.localdate()


class TrainingIndexView(FederationStaffOnly, TemplateView):
    """Every neighbourhood, to open its animators' paths."""

    template_name = "portal/methodology/admin/training_index.html"
    page_title = gettext_lazy("Parcours de formation")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["portals"] = neighbourhoods()
        context["modules"] = training_modules()
        return context


class PortalTrainingView(FederationStaffOnly, TemplateView):
    """One portal's animators: modules followed (with dates and notes) and modules left."""

    template_name = "portal/methodology/admin/training_portal.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.portal = None
        return super().dispatch(request, *args, **kwargs)

    def setup_portal(self, slug: str) -> None:
        with schema_context(get_public_schema_name()):
            self.portal = Neighbourhood.objects.filter(
                kind=Neighbourhood.Kind.NEIGHBOURHOOD, schema_name=slug
            ).first()
        if self.portal is None:
            raise Http404
        self.paths = animators_paths(self.portal)

    def get_page_title(self) -> str:
        return _("Parcours de formation : %(name)s") % {"name": self.portal.name}

    def people(self) -> list[tuple[str, str]]:
        return [(path.email, path.name) for path in self.paths if path.account is not None]

    def get(self, request, *args, **kwargs):
        self.setup_portal(kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", StepForm(people=self.people()))
        context["portal"] = self.portal
        context["paths"] = self.paths
        context["module_count"] = len(training_modules())
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        self.setup_portal(kwargs["slug"])
        form = StepForm(request.POST, people=self.people())
        if form.is_valid():
            data = form.cleaned_data
            path = next(p for p in self.paths if p.email == data["person"])
            try:
                record_step(path, data["module"], data["followed_on"], data["note"], request.user)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Le parcours de %s est à jour.") % path.name)
                return redirect("portal_training_portal", self.portal.schema_name)
        return self.render_to_response(self.get_context_data(form=form))
