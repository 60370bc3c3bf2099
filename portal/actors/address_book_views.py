"""The shared address book in the admin: export a selection of actors, import a CSV file.

Both screens belong to whoever may change actors (the "Animateurs" group). The import
never writes on upload: it shows what would be created or updated and each bad line;
a second step, carrying the file signed (so that it cannot be altered between the two),
imports it, and a file with errors goes in only if the animator ticks "the good lines".
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.posted_ids import posted_id
from portal.actors.csv_import import apply_plan, decode, read_csv
from portal.actors.directory import actor_paths, select_actors
from portal.actors.exports import to_csv, to_geojson, to_vcard
from portal.actors.forms import DirectoryFilterForm
from portal.actors.section import directory_page
from tenants.addresses import current_portal, portal_base_url

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "vcard": ("text/vcard; charset=utf-8", "vcf"),
    "geojson": ("application/geo+json; charset=utf-8", "geojson"),
}
_IMPORT_SALT = "portal.actor-import"


def can_keep_address_book(user) -> bool:
    """Exporting and importing is keeping the actors: the right to change them."""
    return user.has_perm("portal.change_actor")


class AddressBookMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not can_keep_address_book(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ExportView(AddressBookMixin, TemplateView):
    """The selection (filters as on the public directory, or the actors ticked in the
    list) and its download as CSV, vCard or GeoJSON."""

    template_name = "portal/actors/admin/address_book_export.html"
    page_title = gettext_lazy("Exporter le carnet d'adresses")

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        filters = DirectoryFilterForm(request.GET)
        # The map's layers concern visitors: the address book holds actors only.
        for name in ("montrer", "recit"):
            filters.fields.pop(name)
        wanted = filters.filters()
        actors = select_actors(wanted["type"], wanted["theme"], wanted["q"])
        ids = [pk for value in request.GET.getlist("id") if (pk := posted_id(value)) is not None]
        if ids:
            actors = actors.filter(pk__in=ids)
        actors = actors.prefetch_related("themes")
        chosen = request.GET.get("format", "")
        if chosen in FORMATS:
            return self.download(actors, chosen)
        query = request.GET.copy()
        query.pop("format", None)
        return self.render_to_response(
            self.get_context_data(
                filters=filters,
                count=actors.count(),
                query=query.urlencode(),
                ids=ids,
                formats=[
                    ("csv", _("Tableur (CSV)")),
                    ("vcard", _("Carnet d'adresses (vCard)")),
                    ("geojson", _("Carte (GeoJSON)")),
                ],
            )
        )

    def download(self, actors, chosen: str) -> HttpResponse:
        portal = current_portal()
        base = portal_base_url(portal) if portal else ""
        path_of = actor_paths(directory_page())

        def url_of(actor) -> str:
            path = path_of(actor)
            return base + path if path else ""

        if chosen == "csv":
            body = to_csv(actors)
        elif chosen == "vcard":
            body = to_vcard(actors, url_of)
        else:
            body = to_geojson(actors, url_of)
        content_type, extension = FORMATS[chosen]
        stamp = timezone.localdate().isoformat()
        name = f"acteurs-{portal.schema_name if portal else 'portail'}-{stamp}.{extension}"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV"),
        help_text=gettext_lazy(
            "Les colonnes de l'export CSV (au moins « nom »), séparées par « ; » ou « , ». "
            "Une ligne avec un « id » existant, ou le nom d'un acteur existant, le met à jour."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ImportView(AddressBookMixin, TemplateView):
    """Upload, preview, then confirm: nothing is written before the confirmation."""

    template_name = "portal/actors/admin/address_book_import.html"
    page_title = gettext_lazy("Importer des acteurs")

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=ImportForm()))

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if "payload" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._invalid(form)
        try:
            text = decode(form.cleaned_data["file"].read())
        except ValidationError as error:
            form.add_error("file", error)
            return self._invalid(form)
        plan = read_csv(text)
        if plan.file_errors:
            for message in plan.file_errors:
                form.add_error("file", message)
            return self._invalid(form)
        payload = signing.dumps(text, salt=_IMPORT_SALT, compress=True)
        return self.render_to_response(
            self.get_context_data(form=ImportForm(), plan=plan, payload=payload)
        )

    def _invalid(self, form: ImportForm) -> TemplateResponse:
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response

    def confirm(self, request: HttpRequest) -> HttpResponse:
        try:
            # A preview older than a day is shown again rather than trusted.
            text = signing.loads(request.POST["payload"], salt=_IMPORT_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            messages.error(
                request, _("Ce fichier a expiré ou a été modifié : chargez-le à nouveau.")
            )
            return redirect("portal_actor_import")
        # Read again now: the actors may have changed since the preview.
        plan = read_csv(text)
        if plan.file_errors:
            messages.error(request, plan.file_errors[0])
            return redirect("portal_actor_import")
        if not plan.is_clean and not request.POST.get("good_lines_only"):
            messages.error(
                request,
                _(
                    "Le fichier contient des lignes en erreur : cochez « importer seulement les "
                    "lignes valides », ou corrigez le fichier."
                ),
            )
            response = self.render_to_response(
                self.get_context_data(form=ImportForm(), plan=plan, payload=request.POST["payload"])
            )
            response.status_code = 400
            return response
        result = apply_plan(plan)
        messages.success(
            request,
            _("Import terminé : %(created)d acteurs créés, %(updated)d mis à jour.")
            % {"created": result.created, "updated": result.updated},
        )
        return redirect(reverse("wagtailsnippets_portal_actor:list"))
