"""The journeys of ``docs/guides/``, step by step, as the guides tell them.

Each journey asserts what its reader sees at every step. With ``GUIDE_SCREENSHOTS`` set
to a folder (``make guides`` sets ``docs/guides/images``), the key steps are also saved
there under the names the guides show, at a fixed viewport (1280 x 800, 390 x 844 for a
resident's phone), at a fixed date and port, so that pictures change only when the
screens do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import expect

from portal.factories import BlogPageFactory
from tenants.default_portal import FEDERATION_STAFF
from tenants.models import Neighbourhood
from tests.browser.conftest import (
    animator_login,
    confirm_by_button,
    link_in_last_mail,
    log_into_admin,
)
from tests.browser.guide_shots import GUIDE_SHOTS, save_guide_shot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# A fixed clock for the pictures (the admin shows dates and "il y a …"), later than any
# real run so that the browser never finds its cookies expired.
GUIDES_DATE = dt.datetime(2030, 3, 12, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(scope="module", autouse=True)
def fixed_clock() -> Iterator[None]:
    """The guides' date while pictures are taken (portals' opening included: the network's
    log shows it); the real one otherwise. The clock runs (a frozen one fails the forms'
    fill-time check), from the same minute at each journey's start."""
    if not GUIDE_SHOTS:
        yield
        return
    import time_machine

    with time_machine.travel(GUIDES_DATE, tick=True):
        yield


@pytest.fixture(autouse=True)
def journey_clock(fixed_clock) -> Iterator[None]:
    """Each journey starts at the guides' date again (under the module's clock)."""
    if not GUIDE_SHOTS:
        yield
        return
    import time_machine

    with time_machine.travel(GUIDES_DATE, tick=True):
        yield


@pytest.fixture
def guide_shot(shoot) -> Callable[[object, str], None]:
    """Save a step as a test artefact and, with ``GUIDE_SCREENSHOTS``, as a guide's image."""

    def take(page, name: str) -> None:
        shoot(page, name)
        save_guide_shot(page, name)

    return take


@pytest.fixture(scope="module")
def portal(make_portal) -> Neighbourhood:
    return make_portal("belleville", name="Belleville en direct", city="Paris")


@pytest.fixture(scope="module")
def people(portal, django_db_blocker) -> dict[str, str]:
    """The animator and a contributor of « Carnet de Mireille », known passwords."""
    from portal.blogs.contributors import invite_contributor

    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        blog = BlogPageFactory(title="Carnet de Mireille", slug="carnet-de-mireille")
        writer = invite_contributor(portal, "mireille@example.org", blog, first_name="Mireille")
        writer.set_password(PASSWORD)
        writer.save(update_fields=["password"])
        return {
            "animator": animator_login(portal, PASSWORD),
            "writer": writer.username,
            "blog": str(blog.pk),
        }


def admin_window(new_window, base: str, username: str) -> object:
    page = new_window(viewport=DESKTOP)
    log_into_admin(page, base, username, PASSWORD)
    return page


def type_in_draftail(page, field: str, text: str) -> None:
    """Type into a rich text field as a person would, and wait for its hidden input."""
    page.locator(f"[data-contentpath={field}] .public-DraftEditor-content").click()
    page.keyboard.type(text)
    expect(page.locator(f"input[name={field}]")).to_have_value(re.compile(re.escape(text[:12])))


def open_actions_menu(page) -> None:
    """The arrow beside the editor's main button opens the other actions."""
    page.locator("footer [data-w-dropdown-target=toggle]").click()


def test_publier_un_article(new_window, origin, portal, people, guide_shot) -> None:
    base = origin(portal)
    page = admin_window(new_window, base, people["animator"])
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    page.get_by_role("link", name="Pages").first.click()
    page.get_by_role("link", name="Actualités", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Actualités", timeout=15_000)
    # The section's page opens; its "…" menu, at the top, adds a page under it.
    page.locator("header [data-w-dropdown-target=toggle]").first.click()
    add_subpage = page.locator("header a[href$='/add_subpage/']").first
    expect(add_subpage).to_be_visible()
    guide_shot(page, "article-1-actualites")
    add_subpage.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Créer une page dans")
    guide_shot(page, "article-2-type")
    page.locator("a[href*='/add/portal/articlepage/']").click()
    page.locator("#id_title").fill("Le marché de la place des Fêtes rouvre")
    type_in_draftail(
        page, "intro", "Après trois mois de travaux, les étals reviennent samedi matin."
    )
    page.get_by_label("Auteurs").fill("L'équipe de Belleville en direct")
    guide_shot(page, "article-3-redaction")
    open_actions_menu(page)
    guide_shot(page, "article-4-publier")
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Le marché de la place des Fêtes rouvre")
    guide_shot(page, "article-5-publie")

    visitor = new_window(viewport=PHONE, is_mobile=True)
    visitor.goto(base + "/actualites/")
    visitor.get_by_role("link", name="Le marché de la place des Fêtes rouvre").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Le marché de la place des Fêtes rouvre"
    )
    guide_shot(visitor, "article-6-en-ligne-telephone")


def test_moderer_une_annonce(new_window, origin, portal, people, guide_shot, settings) -> None:
    # The form's minimal filling time is checked elsewhere (tests/classifieds/test_abuse.py).
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    base = origin(portal)
    resident = new_window(viewport=PHONE, is_mobile=True)
    resident.goto(base + "/petites-annonces/")
    resident.get_by_role("link", name="Déposer une annonce").click()
    resident.get_by_label("Je propose").check()
    resident.get_by_label("Catégorie").select_option(label="Objets à donner ou à vendre")
    resident.get_by_label("Titre").fill("Poussette en bon état")
    resident.get_by_label("Texte de l'annonce").fill("Poussette pliable, servie deux ans.")
    resident.get_by_label("Gratuit").check()
    resident.get_by_label("Par le formulaire de contact du site").check()
    resident.get_by_label("Votre nom ou pseudonyme").fill("Awa")
    resident.get_by_role("main").get_by_label("Votre adresse e-mail").fill("awa@example.org")
    resident.get_by_label("J'accepte que mon annonce").check()
    resident.get_by_role("button", name="Envoyer mon annonce").click()
    expect(resident.get_by_role("heading", level=1)).to_contain_text("Vérifiez votre boîte e-mail")
    confirm_by_button(resident, link_in_last_mail("/confirmer/"), "Confirmer mon annonce")
    expect(resident.get_by_role("heading", level=1)).to_have_text(
        "Merci, votre annonce est confirmée"
    )

    page = admin_window(new_window, base, people["animator"])
    expect(page.get_by_text("1 annonce attend votre relecture.")).to_be_visible()
    guide_shot(page, "annonce-1-tableau-de-bord")
    page.get_by_role("button", name="Petites annonces").click()
    page.get_by_role("link", name="Annonces", exact=True).click()
    expect(page.get_by_role("link", name="Modérer").first).to_be_visible()
    guide_shot(page, "annonce-2-liste")
    page.get_by_role("link", name="Modérer").first.click()
    expect(page.get_by_role("heading", name="Poussette en bon état", exact=True)).to_be_visible()
    guide_shot(page, "annonce-3-moderer")
    # Refusing without a reason is refused: the author must be told why.
    page.get_by_role("button", name="Refuser").click()
    expect(page.get_by_text("Indiquez le motif du refus")).to_be_visible()
    guide_shot(page, "annonce-4-motif-manquant")
    page.get_by_role("button", name="Publier").click()
    expect(page.locator(".messages")).to_contain_text("publiée")
    guide_shot(page, "annonce-5-publiee")

    resident.goto(base + "/petites-annonces/")
    resident.get_by_role("link", name="Poussette en bon état").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Poussette en bon état")
    expect(resident.get_by_text("awa@example.org")).to_have_count(0)
    guide_shot(resident, "annonce-6-en-ligne-telephone")


def test_inviter_un_contributeur(new_window, origin, portal, people, guide_shot) -> None:
    base = origin(portal)
    page = admin_window(new_window, base, people["animator"])
    page.get_by_role("link", name="Inviter un contributeur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inviter un contributeur")
    page.get_by_label("Adresse e-mail").fill("karim@example.org")
    page.get_by_label("Prénom").fill("Karim")
    page.get_by_label("Ou titre du nouveau blog").fill("Les jardins de Karim")
    guide_shot(page, "invitation-1-formulaire")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.locator(".messages")).to_contain_text(
        "Invitation envoyée à karim@example.org pour écrire dans « Les jardins de Karim »."
    )
    guide_shot(page, "invitation-2-envoyee")
    assert mail.outbox[-1].to == ["karim@example.org"]

    # The person invited chooses a password on this portal's own host, then writes.
    invited = new_window(viewport=DESKTOP)
    invited.goto(link_in_last_mail("/admin/password_reset/"))
    invited.locator("#id_new_password1").fill(PASSWORD)
    invited.locator("#id_new_password2").fill(PASSWORD)
    guide_shot(invited, "invitation-3-mot-de-passe")
    invited.get_by_role("button", name="Réinitialiser le mot de passe").click()
    expect(invited.get_by_role("heading", level=1)).to_have_text("Mot de passe modifié avec succès")


def test_proposer_un_billet(new_window, origin, portal, people, guide_shot) -> None:
    base = origin(portal)
    writer = admin_window(new_window, base, people["writer"])
    guide_shot(writer, "billet-1-accueil")
    writer.goto(f"{base}/admin/pages/{people['blog']}/")
    expect(writer.get_by_role("heading", level=1)).to_contain_text("Carnet de Mireille")
    guide_shot(writer, "billet-2-mon-blog")
    writer.locator(f"header a[href$='/pages/{people['blog']}/add_subpage/']").first.click()
    writer.locator("#id_title").fill("La fête de la rue Piat")
    type_in_draftail(writer, "intro", "Toute la rue a dansé jusqu'au soir.")
    guide_shot(writer, "billet-3-redaction")
    open_actions_menu(writer)
    guide_shot(writer, "billet-4-soumettre")
    writer.get_by_role("button", name=re.compile("Soumettre")).click()
    expect(writer.locator(".messages")).to_contain_text("soumise")
    guide_shot(writer, "billet-5-soumis")


@pytest.fixture(scope="module")
def federation(make_portal) -> Neighbourhood:
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


@pytest.fixture(scope="module")
def staff(federation, django_db_blocker) -> str:
    with django_db_blocker.unblock(), schema_context(federation.schema_name):
        user = get_user_model().objects.create_user(
            username="equipe@federation.example", email="equipe@federation.example"
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=FEDERATION_STAFF))
        return user.username


@pytest.fixture(scope="module")
def opened_by_the_guide(django_db_blocker) -> Iterator[str]:
    """Drop the portal the journey opens through the admin, once the module is done."""
    yield "menilmontant"
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        for opened in Neighbourhood.objects.filter(schema_name="menilmontant"):
            opened.delete(force_drop=True)


def test_ouvrir_un_portail(
    new_window, origin, federation, staff, opened_by_the_guide, guide_shot
) -> None:
    page = admin_window(new_window, origin(federation), staff)
    page.get_by_role("link", name="Réseau", exact=True).first.click()
    expect(page.get_by_role("link", name="Ouvrir un quartier")).to_be_visible()
    guide_shot(page, "portail-1-reseau")
    page.get_by_role("link", name="Ouvrir un quartier").click()
    page.get_by_label("Nom du portail").fill("Ménilmontant Média")
    page.get_by_label("Identifiant").fill(opened_by_the_guide)
    page.get_by_label("Ville").fill("Paris")
    page.get_by_label("E-mail du premier animateur").fill("animation@menilmontant.example")
    page.get_by_label("Structure porteuse").fill("Association Ménil'Ondes")
    # The admin scrolls inside its own frame: bring the form's top back into view.
    page.evaluate("document.activeElement.blur()")
    page.get_by_role("heading", level=1).evaluate("heading => heading.scrollIntoView()")
    guide_shot(page, "portail-2-formulaire")
    page.locator("main form button[type=submit]").click()
    opened = "Le portail « Ménilmontant Média » est ouvert"
    expect(page.locator(".messages")).to_contain_text(opened)
    guide_shot(page, "portail-3-ouvert")
    assert mail.outbox[-1].to == ["animation@menilmontant.example"]

    # A second portal of the same identifier is refused, in French, with the form kept.
    page.get_by_role("link", name="Réseau", exact=True).first.click()
    page.get_by_role("link", name="Ouvrir un quartier").click()
    page.get_by_label("Nom du portail").fill("Ménilmontant bis")
    page.get_by_label("Identifiant").fill(opened_by_the_guide)
    page.get_by_label("Ville").fill("Paris")
    page.get_by_label("E-mail du premier animateur").fill("autre@menilmontant.example")
    page.locator("main form button[type=submit]").click()
    refusal = page.get_by_text("est déjà utilisé").first
    expect(refusal).to_be_visible()
    refusal.scroll_into_view_if_needed()
    guide_shot(page, "portail-4-erreur")


def test_the_guides_in_the_admin(new_window, origin, portal, people, shoot) -> None:
    """The animator finds the guides in the menu and reads one, pictures included."""
    base = origin(portal)
    page = admin_window(new_window, base, people["animator"])
    page.get_by_role("link", name="Guides").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guides")
    expect(page.get_by_role("link", name="Publier un article")).to_be_visible()
    expect(page.get_by_role("link", name="Ouvrir un portail")).to_have_count(0)
    shoot(page, "index-1280")
    page.get_by_role("link", name="Modérer une annonce").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modérer une annonce")
    pictures = page.locator("article.guide img")
    expect(pictures.first).to_have_attribute("alt", re.compile(r"\w"))
    for index in range(pictures.count()):
        picture = pictures.nth(index)
        picture.scroll_into_view_if_needed()
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), index
    shoot(page, "guide-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    shoot(page, "guide-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
