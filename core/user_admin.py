"""Wagtail's user admin, holding each account to what ``core.roles`` lets it grant.

The screens, forms and bulk actions stay Wagtail's; each is narrowed where it hands out
power: the forms offer only the groups the editor may grant and take the superuser flag
(and one's own groups) out of reach, so a crafted POST changes nothing; the edit and
delete screens and the bulk actions refuse accounts above the editor's reach.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.users import forms as wagtail_forms
from wagtail.users.views import bulk_actions
from wagtail.users.views import groups as wagtail_groups
from wagtail.users.views import users as wagtail_users

from core.roles import (
    RESERVED_GROUP_NAMES,
    Account,
    can_edit_account,
    can_edit_group,
    can_grant_superuser,
    editable_accounts,
    grantable_groups,
    holds_every_permission_of,
)
from tenants.invitations import send_invitation
from tenants.network_login import resync_accounts

GROUP_BEYOND_REACH = _(
    "Le groupe n'a pas été enregistré : il donnerait des droits que vous n'avez pas vous-même."
)
ROLE_NAME_RESERVED = _(
    "Le groupe n'a pas été enregistré : les rôles (Animateurs, Contributeurs, Fédération) "
    "gardent leur nom, et aucun autre groupe ne peut le prendre."
)
OWN_GROUPS_HELP = _("Vos groupes ne peuvent être changés que par une autre personne habilitée.")
SUPERUSER_HELP = _("Seuls les super-utilisateurs peuvent donner ce droit.")


def limit_roles(form: forms.ModelForm, actor: Account, editing_self: bool) -> None:
    """Offer only the groups ``actor`` may grant; freeze one's own groups and, unless
    ``actor`` may grant it, the superuser flag.

    A disabled field keeps its initial value whatever is posted (Django ignores the
    POST for it), which is what turns a crafted POST into a no-op.
    """
    groups = form.fields["groups"]
    if editing_self:
        groups.disabled = True
        groups.help_text = OWN_GROUPS_HELP
    else:
        groups.queryset = grantable_groups(actor)
    superuser = form.fields.get("is_superuser")
    if superuser is not None and (editing_self or not can_grant_superuser(actor)):
        superuser.disabled = True
        superuser.help_text = SUPERUSER_HELP


class UserCreationForm(wagtail_forms.UserCreationForm):
    """Wagtail's form to add an account, offering only the roles the editor may grant."""

    def __init__(self, *args, actor: Account, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_roles(self, actor, editing_self=False)


class UserEditForm(wagtail_forms.UserEditForm):
    """Wagtail's form to edit an account, offering only the roles the editor may grant."""

    def __init__(self, *args, actor: Account, **kwargs) -> None:
        editing_self = kwargs.get("editing_self", False)
        super().__init__(*args, **kwargs)
        limit_roles(self, actor, editing_self=editing_self)


class ActorFormMixin:
    """Hands the signed-in account to the form, which narrows what it offers."""

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["actor"] = self.request.user
        return kwargs


class IndexView(wagtail_users.IndexView):
    """The users' list, linking to the edit and delete screens only where they open."""

    @cached_property
    def editable_ids(self) -> set[int]:
        return set(editable_accounts(self.request.user).values_list("pk", flat=True))

    def get_edit_url(self, instance: AbstractBaseUser) -> str | None:
        if instance.pk in self.editable_ids:
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance: AbstractBaseUser) -> str | None:
        if instance.pk in self.editable_ids:
            return super().get_delete_url(instance)
        return None


class CreateView(ActorFormMixin, wagtail_users.CreateView):
    """Adds the account without a password (nobody chooses another person's: it is their
    network password, the same at every portal) and e-mails the person the invitation:
    the link to choose it, or, if they already have one, to sign in with it."""

    def save_instance(self) -> AbstractBaseUser:
        user = super().save_instance()
        portal = self.request.tenant
        transaction.on_commit(lambda: send_invitation(portal, user, role="member"))
        return user


class EditView(ActorFormMixin, wagtail_users.EditView):
    """Refused for an account above the editor's reach: changing its e-mail or password
    would take it over through the password reset."""

    def dispatch(self, request, *args, **kwargs):
        if not can_edit_account(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DeleteView(wagtail_users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if not can_edit_account(request.user, self.get_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UserViewSet(wagtail_users.UserViewSet):
    """Wagtail's user viewset with the views and forms above, without its copy screen.

    Wagtail's generic copy screen binds its form to the copied account itself: saving
    the "copy" rewrote that account (its e-mail, password, superuser flag) with only the
    right to add users. Wagtail turns copying off for groups and API tokens; so do we.
    """

    copy_view_enabled = False

    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return UserEditForm if for_update else UserCreationForm


class GroupWithinReachMixin:
    """A group screen refused for a group the editor may not change (see
    ``core.roles.can_edit_group``): nobody adds permissions to their own group."""

    def dispatch(self, request, *args, **kwargs):
        if not can_edit_group(request.user, self.get_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class GroupBeyondReach(Exception):
    """The group, as saved, would give a permission its editor does not hold."""


class GroupPowersWithinReachMixin:
    """A group saved by anyone but a superuser gives no permission its editor lacks.

    The group's permissions come from its form and from every permission panel (pages,
    collections, settings, each registered by a hook); checking the group once saved,
    in a transaction rolled back on refusal, asks ``core.roles`` the same question as
    granting the group would, whatever panels exist.
    """

    def process_form(self):
        if self.request.user.is_superuser:
            return super().process_form()
        creating = self.object.pk is None
        if self._renames_a_role(creating):
            # Roles are known by their group's name (who may grant what, the network's
            # admin): a renamed "Contributeurs" or a new "Fédération" would change them.
            form = self.get_form()
            form.is_valid()
            form.add_error("name", ROLE_NAME_RESERVED)
            self.produced_error_message = ROLE_NAME_RESERVED
            return self.form_invalid(form)
        try:
            with transaction.atomic():
                response = super().process_form()
                saved = response.status_code == 302
                if saved and not holds_every_permission_of(self.request.user, self.object):
                    raise GroupBeyondReach
        except GroupBeyondReach:
            # Drop the "group saved" message: nothing was.
            for _message in messages.get_messages(self.request):
                pass
            if creating:
                self.object.pk = None
                self.object._state.adding = True
            self.form.add_error(None, GROUP_BEYOND_REACH)
            self.produced_error_message = GROUP_BEYOND_REACH
            return self.form_invalid(self.form)
        return response

    def _renames_a_role(self, creating: bool) -> bool:
        new_name = self.request.POST.get("name", "").strip()
        old_name = (
            None
            if creating
            else type(self.object)
            .objects.filter(pk=self.object.pk)
            .values_list("name", flat=True)[0]
        )
        return new_name != old_name and (
            new_name in RESERVED_GROUP_NAMES or old_name in RESERVED_GROUP_NAMES
        )


class GroupCreateView(GroupPowersWithinReachMixin, wagtail_groups.CreateView):
    pass


class GroupEditView(GroupWithinReachMixin, GroupPowersWithinReachMixin, wagtail_groups.EditView):
    pass


class GroupDeleteView(GroupWithinReachMixin, wagtail_groups.DeleteView):
    pass


class GroupViewSet(wagtail_groups.GroupViewSet):
    """Wagtail's group viewset with the screens above."""

    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView


class WithinReachMixin:
    """A users' bulk action that leaves out accounts above the editor's reach (Wagtail
    lists them as "no permission" on the confirmation screen)."""

    @cached_property
    def editable_ids(self) -> set[int]:
        return set(editable_accounts(self.request.user).values_list("pk", flat=True))

    def check_perm(self, obj: AbstractBaseUser) -> bool:
        return super().check_perm(obj) and obj.pk in self.editable_ids


class AssignRoleBulkAction(WithinReachMixin, bulk_actions.AssignRoleBulkAction):
    """Offers only the groups the editor may grant, and never to the editor themselves."""

    def check_perm(self, obj: AbstractBaseUser) -> bool:
        return obj.pk != self.request.user.pk and super().check_perm(obj)

    def get_form(self, form_class=None) -> forms.Form:
        form = super().get_form(form_class)
        form.fields["role"].queryset = grantable_groups(self.request.user)
        return form


class SetActiveStateBulkAction(WithinReachMixin, bulk_actions.SetActiveStateBulkAction):
    """Wagtail's, which updates the rows without the model's signals, then the network
    accounts brought up to date: deactivating someone's last role closes their access."""

    @classmethod
    def execute_action(cls, objects, **kwargs) -> tuple[int, int]:
        done = super().execute_action(objects, **kwargs)
        resync_accounts(list(objects))
        return done


class DeleteBulkAction(WithinReachMixin, bulk_actions.DeleteBulkAction):
    pass


def register_bulk_actions() -> None:
    """Put these bulk actions in place of Wagtail's: the registry keeps the last one
    registered for an action type, and hooks run in ``order`` (Wagtail's are 0)."""
    for action in (AssignRoleBulkAction, SetActiveStateBulkAction, DeleteBulkAction):
        hooks.register("register_bulk_action", action, order=1)
