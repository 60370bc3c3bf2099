"""An action group's contact gets the link to its group's page, posts news of the project
from a phone; an animator approves it; the news reaches the seed's page. The new public
pages (seed page, workshops page, group page, address book, join form) pass axe-core at
360 and 1280 px."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.browser.conftest import animator_login, link_in_last_mail, log_into_admin
from tests.browser.test_accessibility import sideways_overflow, violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SEEDS = "/graines-de-projet/"


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("ateliers", name="Quartier des Ateliers")


@pytest.fixture(scope="module")
def animator(portal, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return animator_login(portal, PASSWORD)


@pytest.fixture(scope="module")
def workshop(portal, django_db_blocker) -> dict:
    """A held workshop on "mobilité" with one seed carried by a group with an address,
    an actor of the theme and a listed participant."""
    from portal.factories import WorkshopPageFactory
    from portal.models import Actor, ProjectSeed, SeedMember, WorkshopAttendee
    from portal.workshops.tokens import (
        address_book_token,
        group_token,
        member_confirm_token,
        member_leave_token,
    )

    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        actor = Actor.objects.create(name="Atelier vélo solidaire", public_email="velo@example.org")
        actor.themes.add("mobilité")
        actor.save()
        page = WorkshopPageFactory(
            title="Se déplacer dans le quartier",
            slug="se-deplacer",
            theme="mobilité",
            diagnosis=[
                ("brakes", ["Des trottoirs encombrés"]),
                ("levers", ["Une association de cyclistes"]),
                ("wishes", ["Des bancs pour se reposer"]),
            ],
            seeds=[
                ProjectSeed(
                    title="Un atelier vélo au pied des tours",
                    description="Réparer ensemble les vélos du quartier.",
                    contact_email="groupe-velo@example.org",
                    next_steps="Trouver un local",
                )
            ],
        )
        page.attendees = [
            WorkshopAttendee(
                name="Nadia Benali", structure="Amicale", email="nadia@example.net", listed=True
            )
        ]
        page.save_revision().publish()
        seed = ProjectSeed.objects.get(workshop=page)
        samia = SeedMember.objects.create(
            seed=seed,
            name="Samia",
            email="samia@example.net",
            consent=True,
            confirmed_at=timezone.now(),
        )
        newcomer = SeedMember.objects.create(
            seed=seed, name="Yanis", email="yanis@example.net", consent=True
        )
        attendee = WorkshopAttendee.objects.get(workshop=page)
        return {
            "page": page,
            "seed": seed,
            "group_path": f"{SEEDS}groupe/{group_token(seed.pk, seed.contact_email)}/",
            "book_path": f"{SEEDS}carnet/{address_book_token(attendee.pk, attendee.email)}/",
            "confirm_path": (
                f"{SEEDS}membre/confirmer/{member_confirm_token(newcomer.pk, newcomer.email)}/"
            ),
            "leave_path": f"{SEEDS}membre/quitter/{member_leave_token(samia.pk, samia.email)}/",
        }


def test_a_group_posts_news_from_its_link_that_reaches_the_seed_page_after_approval(
    new_window, origin, portal, animator, workshop, shoot
) -> None:
    mail.outbox = []
    base = origin(portal)
    seed = workshop["seed"]

    desk = new_window()
    log_into_admin(desk, base, animator, PASSWORD)
    desk.goto(f"{base}/admin/ateliers/{workshop['page'].pk}/suivi/")
    shoot(desk, "suivi-atelier")
    desk.get_by_role("button", name="Envoyer au groupe le lien de sa page").click()
    expect(desk.get_by_text("Lien envoyé au groupe")).to_be_visible()
    assert mail.outbox[-1].to == ["groupe-velo@example.org"]

    contact = new_window(**PHONE)
    contact.goto(link_in_last_mail("/groupe/"))
    expect(contact.get_by_role("heading", level=1)).to_contain_text("Un atelier vélo")
    expect(contact.get_by_text("Samia")).to_be_visible()
    contact.get_by_label("Nouvelle du projet").fill(
        "Le bailleur nous prête une cave : on démarre !"
    )
    assert sideways_overflow(contact) == 0
    shoot(contact, "telephone-page-du-groupe")
    contact.get_by_role("button", name="Publier la nouvelle").click()
    expect(contact.get_by_text("sera publiée après validation")).to_be_visible()
    shoot(contact, "telephone-nouvelle-en-attente")

    visitor = new_window(**PHONE)
    visitor.goto(f"{base}{SEEDS}graine/{seed.pk}/")
    expect(visitor.get_by_text("Pas encore de nouvelles de ce projet.")).to_be_visible()

    desk.goto(f"{base}/admin/")
    desk.get_by_role("link", name="Nouvelles des groupes").first.click()
    expect(desk.get_by_text("Le bailleur nous prête une cave")).to_be_visible()
    shoot(desk, "file-des-nouvelles")
    desk.get_by_role("button", name="Publier", exact=True).click()
    expect(desk.get_by_text("Nouvelle publiée.")).to_be_visible()

    visitor.goto(f"{base}{SEEDS}graine/{seed.pk}/")
    expect(visitor.get_by_text("Le bailleur nous prête une cave : on démarre !")).to_be_visible()
    shoot(visitor, "telephone-page-de-la-graine")


@pytest.mark.parametrize(
    "which",
    ["seed", "workshops", "listing", "join", "group", "address_book", "confirm", "leave"],
)
def test_the_new_pages_pass_axe_at_360_and_1280(
    which, checks_window, origin, portal, workshop, shoot
):
    seed_id = workshop["seed"].pk
    path = {
        "seed": f"{SEEDS}graine/{seed_id}/",
        "workshops": f"{SEEDS}ateliers/",
        "listing": SEEDS,
        "join": f"{SEEDS}graine/{seed_id}/rejoindre/",
        "group": workshop["group_path"],
        "address_book": workshop["book_path"],
        "confirm": workshop["confirm_path"],
        "leave": workshop["leave_path"],
    }[which]
    page = checks_window
    problems = []
    for width, height in ((1280, 900), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(origin(portal) + path)
        assert response is not None and response.status == 200
        problems += [f"{width} px : {line}" for line in violations(page)]
        if overflow := sideways_overflow(page):
            problems.append(f"{width} px : {overflow} px de défilement horizontal")
        shoot(page, f"{which}-{width}")
    assert not problems, "\n".join(problems)
