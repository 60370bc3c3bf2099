"""The animators' directory: who is animator or above at an open portal, and what each
chose to show (``network_directory.DirectoryEntry``, in ``public``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core.abuse import PlainTextField
from core.routable import render_route
from network_space.access import animators_among, space_visitor
from network_space.directory.models import DirectoryEntry
from tenants.accounts import NetworkAccount, NetworkMembership
from tenants.models import Neighbourhood

_render = partial(render_route, "network_space")


@dataclass
class Colleague:
    """A card of the directory: a name, the portals, and the contact chosen to be shown."""

    account_id: int
    name: str
    portals: list[Neighbourhood] = field(default_factory=list)
    email: str = ""
    phone: str = ""
    skills: str = ""
    named: bool = True

    @property
    def initials(self) -> str:
        """Up to two initials, for the card's badge."""
        return "".join(word[0] for word in self.name.split()[:2]).upper() if self.named else ""


def colleagues() -> list[Colleague]:
    """Every open network account that is animator or above at an open portal, by name.

    One query per portal that has members (in its schema), whatever the number of people:
    the roles are each portal's own (``core.roles``), not copied into ``public``.
    """
    memberships = NetworkMembership.objects.filter(
        account__is_active=True, portal__status=Neighbourhood.Status.ACTIVE
    ).select_related("portal")
    by_portal: dict[Neighbourhood, list[NetworkMembership]] = defaultdict(list)
    for membership in memberships:
        by_portal[membership.portal].append(membership)
    found: dict[int, Colleague] = {}
    for portal in sorted(by_portal, key=lambda portal: portal.name):
        members = by_portal[portal]
        names = animators_among(portal, [membership.user_id for membership in members])
        for membership in members:
            if membership.user_id not in names:
                continue
            colleague = found.setdefault(
                membership.account_id,
                Colleague(membership.account_id, names[membership.user_id]),
            )
            colleague.name = colleague.name or names[membership.user_id]
            colleague.portals.append(portal)
    for entry in DirectoryEntry.objects.filter(account_id__in=found):
        colleague = found[entry.account_id]
        colleague.name = entry.name or colleague.name
        colleague.email, colleague.phone, colleague.skills = entry.email, entry.phone, entry.skills
    for colleague in found.values():
        colleague.named = bool(colleague.name)
        colleague.name = colleague.name or gettext("Équipe d'animation")
    # People with a name first: a card without one says less.
    return sorted(found.values(), key=lambda person: (not person.named, person.name.casefold()))


class CardForm(forms.ModelForm):
    """What a person shows their colleagues; every field may stay empty."""

    name = PlainTextField(label=_("Nom affiché"), max_length=120, required=False)
    phone = PlainTextField(label=_("Téléphone à montrer"), max_length=30, required=False)
    skills = PlainTextField(label=_("Ce que je sais faire"), max_length=200, required=False)

    class Meta:
        model = DirectoryEntry
        fields = ["name", "email", "phone", "skills"]


def entry_of(account: NetworkAccount) -> DirectoryEntry:
    """``account``'s card, unsaved and empty if they never wrote one."""
    return DirectoryEntry.objects.filter(account=account).first() or DirectoryEntry(account=account)


def edit_card(page: Page, request: HttpRequest) -> HttpResponse:
    """Show and save the visitor's own card (never anyone else's: the account is the
    session's, no id is read from the form)."""
    visitor = space_visitor(request)
    if visitor is None or visitor.account is None:
        return _render(page, request, "no_card", status=403)
    entry = entry_of(visitor.account)
    form = CardForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Votre fiche est à jour."))
        return HttpResponseRedirect(page.url + "annuaire/")
    status = 400 if form.errors else 200
    return _render(page, request, "my_card", status=status, form=form)
