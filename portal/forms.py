"""Forms of the portal's admin screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import BlogPage


class InviteContributorForm(forms.Form):
    """Invite a resident to write in an existing blog, or in a new one."""

    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    blog = forms.ModelChoiceField(
        label=_("Blog existant"),
        queryset=BlogPage.objects.none(),
        required=False,
        empty_label=_("— Ouvrir un nouveau blog —"),
    )
    new_blog_title = forms.CharField(
        label=_("Ou titre du nouveau blog"),
        max_length=255,
        required=False,
        help_text=_("Par exemple « Le carnet de Mireille » ou « Les reporters du collège »."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["blog"].queryset = BlogPage.objects.order_by("title")

    def clean(self) -> dict:
        data = super().clean()
        # Errors go on the field, where Wagtail's form template shows them.
        if not data.get("blog") and not data.get("new_blog_title", "").strip():
            self.add_error(
                "new_blog_title",
                _("Choisissez un blog existant ou donnez un titre au nouveau blog."),
            )
        if data.get("blog") and data.get("new_blog_title", "").strip():
            self.add_error(
                "new_blog_title",
                _("Choisissez un blog existant ou un nouveau titre, pas les deux."),
            )
        return data
