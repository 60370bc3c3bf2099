"""The form of the admin's invitation screen: a resident invited to write in a blog."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.roles import Account, can_edit_account
from portal.blogs.models import BlogIndexPage, BlogPage


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

    def __init__(self, *args, actor: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["blog"].queryset = BlogPage.objects.order_by("title")

    def clean_email(self) -> str:
        """Inviting an existing account adds it to groups: never one's own account, nor
        one above the inviter's reach (see ``core.roles``)."""
        email = self.cleaned_data["email"].strip().lower()
        account = get_user_model().objects.filter(username=email).first()
        if account is not None and account.pk == self.actor.pk:
            raise forms.ValidationError(_("Vous ne pouvez pas vous inviter vous-même."))
        if account is not None and not can_edit_account(self.actor, account):
            raise forms.ValidationError(
                _("Ce compte a plus de droits que le vôtre : vous ne pouvez pas l'inviter.")
            )
        return email

    def clean(self) -> dict:
        data = super().clean()
        # Errors go on the field, where Wagtail's form template shows them.
        if not data.get("blog") and not data.get("new_blog_title", "").strip():
            self.add_error(
                "new_blog_title",
                _("Choisissez un blog existant ou donnez un titre au nouveau blog."),
            )
        if (
            not data.get("blog")
            and data.get("new_blog_title", "").strip()
            and not BlogIndexPage.objects.filter(locale__language_code="fr").exists()
        ):
            # The federation, or a portal whose animators deleted the section.
            self.add_error(
                "new_blog_title",
                _(
                    "Ce portail n'a pas de rubrique « Blogs des habitants » où ouvrir un "
                    "blog : créez-la d'abord dans l'arborescence des pages."
                ),
            )
        if data.get("blog") and data.get("new_blog_title", "").strip():
            self.add_error(
                "new_blog_title",
                _("Choisissez un blog existant ou un nouveau titre, pas les deux."),
            )
        return data
