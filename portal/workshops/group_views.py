"""The seeds' own pages and the workshop cycle's private pages (routes in
``portal/workshops/section.py``).

Public: a seed's page with its group's approved news, its RSS feed, the held workshops
with their diagnosis and seeds. Private, reached by a signed link and never cached: the
group's page (members, relay, news, progress), a member's pages to confirm their address
and to leave, and a participant's address book.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from core.routable import render_route
from portal.workshops import cycle, seeds
from portal.workshops.feeds import SeedUpdatesFeed
from portal.workshops.forms import (
    GROUP_MESSAGES_PER_DAY,
    GroupMessageForm,
    GroupProgressForm,
    GroupUpdateForm,
)
from portal.workshops.models import WorkshopAttendee, WorkshopPage
from portal.workshops.tokens import address_book_claim, was_sent_to
from portal.workshops.views import public_seeds, public_workshops

if TYPE_CHECKING:
    from portal.workshops.group_models import SeedMember
    from portal.workshops.models import ProjectSeed
    from portal.workshops.section import ProjectSeedIndexPage

_render = partial(render_route, "portal/workshops")


def _private(response: HttpResponse) -> HttpResponse:
    """A page opened by a personal link: no cache may keep it, no link to another site may
    leak it. ("no-referrer" would also blank the ``Origin`` of the page's own forms, which
    Django's CSRF check then refuses.)"""
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "same-origin"
    return response


def _public_seed(page: ProjectSeedIndexPage, pk: int) -> ProjectSeed:
    seed = public_seeds(page).filter(pk=pk).first()
    if seed is None:
        raise Http404(_("Cette graine de projet n'existe pas ou n'est plus en ligne."))
    return seed


def seed_detail(page: ProjectSeedIndexPage, request: HttpRequest, pk: int) -> TemplateResponse:
    """A seed's page: the project, its group, and its approved news."""
    seed = _public_seed(page, pk)
    updates = seed.updates.approved().order_by("-published_at", "-pk")
    return _render(page, request, "seed_detail", seed=seed, updates=updates)


def seed_feed(page: ProjectSeedIndexPage, request: HttpRequest, pk: int) -> HttpResponse:
    """A seed's RSS feed (its approved news)."""
    seed = _public_seed(page, pk)
    seed_path = request.build_absolute_uri(page.url + page.reverse_subpage("seed", args=[seed.pk]))
    return SeedUpdatesFeed()(request, seed=seed, seed_path=seed_path)


def workshops(page: ProjectSeedIndexPage, request: HttpRequest) -> TemplateResponse:
    """The workshops held, with their diagnosis and seeds, the recurring brakes and levers
    across them, and the workshops to come."""
    held = list(public_workshops(page).held().prefetch_related("seeds"))
    return _render(
        page,
        request,
        "workshop_index",
        held=held,
        upcoming=public_workshops(page).upcoming()[:10],
        recurring_brakes=cycle.recurring(held, "brakes"),
        recurring_levers=cycle.recurring(held, "levers"),
    )


# --- The group's page ----------------------------------------------------------------------


def group(page: ProjectSeedIndexPage, request: HttpRequest, token: str) -> HttpResponse:
    """The group's page: its members (names only), and three forms (write to them, post
    news, change progress), each sent with its own ``action``."""
    seed = seeds.seed_for_group_token(token)
    if seed is None or seed.workshop.get_parent().pk != page.pk:
        return _private(_render(page, request, "invalid_link", status=404))
    forms = {
        "message": GroupMessageForm(),
        "update": GroupUpdateForm(),
        "progress": GroupProgressForm(
            initial={"status": seed.status, "next_steps": seed.next_steps}
        ),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        done = _act(seed, action, request, forms)
        if done:
            return _private(redirect(request.path))
        status = 400
    return _private(
        _render(
            page,
            request,
            "group",
            status=status,
            seed=seed,
            members=seed.members.confirmed().filter(consent=True),
            pending=seed.updates.pending().order_by("-created_at"),
            published=seed.updates.approved().order_by("-published_at")[:5],
            **{f"{name}_form": form for name, form in forms.items()},
        )
    )


def _act(seed: ProjectSeed, action: str, request: HttpRequest, forms: dict) -> bool:
    """Run the group's ``action`` with the posted form; False (the form keeps its errors)
    when it is invalid or unknown."""
    classes = {
        "message": GroupMessageForm,
        "update": GroupUpdateForm,
        "progress": GroupProgressForm,
    }
    if action not in classes:
        return False
    form = forms[action] = classes[action](request.POST)
    if not form.is_valid():
        return False
    data = form.cleaned_data
    if action == "message":
        if not GROUP_MESSAGES_PER_DAY.take(str(seed.pk)):
            form.add_error(
                None, _("Le groupe a déjà écrit plusieurs fois aujourd'hui : réessayez demain.")
            )
            return False
        sent = seeds.write_to_members(seed, data["subject"], data["message"])
        messages.success(request, _("Message transmis à %(count)s membre(s).") % {"count": sent})
    elif action == "update":
        update = seeds.post_update(seed, data["text"])
        if update.status == update.Status.APPROVED:
            messages.success(request, _("Votre nouvelle est publiée sur la page du projet."))
        else:
            messages.success(
                request,
                _("Merci ! Votre nouvelle sera publiée après validation par l'équipe d'animation."),
            )
    else:
        seeds.change_progress(seed, data["status"], data["next_steps"])
        messages.success(request, _("L'état du projet est mis à jour."))
    return True


# --- A member's links: confirm their address, leave the group ------------------------------


def _member_page(
    page: ProjectSeedIndexPage, request: HttpRequest, purpose: str, token: str
) -> tuple[SeedMember | None, HttpResponse | None]:
    """The member a link stands for, or the refusal to answer (forged, expired, another
    portal's or section's, member gone)."""
    member = seeds.member_for_token(purpose, token)
    if member is None or member.seed.workshop.get_parent().pk != page.pk:
        hint = (
            _(
                "Un lien de confirmation vaut sept jours. Pour rejoindre le groupe, remplissez "
                "de nouveau le formulaire « Je veux participer » : un nouveau lien vous sera "
                "envoyé."
            )
            if purpose == "confirm"
            else _("Si vous avez déjà quitté le groupe, vous ne recevrez plus ses messages.")
        )
        return None, _private(_render(page, request, "invalid_link", status=404, hint=hint))
    return member, None


def member_confirm(page: ProjectSeedIndexPage, request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed to whoever joins: a page with a button, and confirming on POST (mail
    scanners open links ahead of their reader; they must not confirm)."""
    member, refusal = _member_page(page, request, "confirm", token)
    if member is None:
        return refusal
    if request.method == "POST":
        member = seeds.confirm_member(member)
    return _private(
        _render(
            page,
            request,
            "member_confirm",
            seed=member.seed,
            member=member,
            confirmed=member.confirmed_at is not None,
        )
    )


def member_leave(page: ProjectSeedIndexPage, request: HttpRequest, token: str) -> HttpResponse:
    """The link of every relayed message: a page with a button, leaving on POST."""
    member, refusal = _member_page(page, request, "leave", token)
    if member is None:
        return refusal
    seed = member.seed
    left = False
    if request.method == "POST":
        seeds.leave_group(member)
        left = True
    return _private(_render(page, request, "member_leave", seed=seed, left=left))


# --- The thematic address book -------------------------------------------------------------


def _attendee(page: ProjectSeedIndexPage, token: str) -> WorkshopAttendee | None:
    """The listed participant a token stands for, if their workshop is in this section."""
    claim = address_book_claim(token)
    if claim is None:
        return None
    attendee_id, sent_to = claim
    workshops = WorkshopPage.objects.live().child_of(page)
    attendee = (
        WorkshopAttendee.objects.filter(pk=attendee_id, listed=True, workshop__in=workshops)
        .select_related("workshop")
        .first()
    )
    # A link sent to an address typed wrong, then corrected, kept opening the book (every
    # participant's name and address) for a stranger for 90 days.
    if attendee is None or not was_sent_to(sent_to, attendee.email):
        return None
    return attendee


def address_book(
    page: ProjectSeedIndexPage, request: HttpRequest, token: str, file: str = ""
) -> HttpResponse:
    """A participant's thematic address book: the page, or its vCard or CSV file."""
    attendee = _attendee(page, token)
    if attendee is None:
        return _private(_render(page, request, "invalid_link", status=404))
    workshop = attendee.workshop
    actors = list(cycle.theme_actors(workshop))
    attendees = cycle.listed_attendees(workshop)
    if file == "vcard":
        response = HttpResponse(
            cycle.address_book_vcard(actors, attendees), content_type="text/vcard; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="carnet-{workshop.slug}.vcf"'
        return _private(response)
    if file == "csv":
        response = HttpResponse(
            cycle.address_book_csv(actors, attendees), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="carnet-{workshop.slug}.csv"'
        return _private(response)
    return _private(
        _render(
            page,
            request,
            "address_book",
            workshop=workshop,
            actors=actors,
            attendees=attendees,
            token=token,
        )
    )
