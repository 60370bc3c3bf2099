"""The admin's invitation screen: an animator invites a resident to write in a blog."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.blogs.contributors import invite_contributor, open_blog
from portal.blogs.forms import InviteContributorForm


class InviteContributorView(WagtailAdminTemplateMixin, FormView):
    """Animators only (the right to add users): one form, one e-mail sent."""

    form_class = InviteContributorForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = gettext_lazy("Inviter un contributeur")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("auth.add_user"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("portal_invite_contributor")
        context["submit_button_label"] = _("Envoyer l'invitation")
        context["submit_button_active_label"] = _("Envoi…")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        name = " ".join(part for part in (data["first_name"], data["last_name"]) if part)
        blog = data["blog"] or open_blog(data["new_blog_title"].strip(), writers=name)
        invite_contributor(
            self.request.tenant,
            data["email"],
            blog,
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        messages.success(
            self.request,
            _("Invitation envoyée à %(email)s pour écrire dans « %(blog)s ».")
            % {"email": data["email"], "blog": blog.title},
        )
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("portal_invite_contributor")
