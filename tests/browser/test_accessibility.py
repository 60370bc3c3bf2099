"""Every public page type passes axe-core's WCAG 2.1 A/AA rules, and reflows on a phone.

axe-core comes from the npm registry (``tests/browser/vendor/axe-core``, MPL-2.0) and is
injected into each page as it is served. "Reflows" is WCAG 1.4.10: at 360 CSS pixels wide,
and at 200 % zoom of a 1280-pixel window (640 CSS pixels), nothing needs a sideways scroll.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.apps import apps
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Page

from classifieds.models import Classified
from newsletter.models import Subscriber
from newsletter.tokens import MANAGE, make_token
from portal.actors.tokens import actor_token
from portal.models import Actor, EventPage, ProjectSeed
from tenants.lifecycle import change_status
from tenants.models import Neighbourhood
from tests.browser.conftest import axe_source, seed_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Every page type a visitor meets, by model; routes and pages that are not models below.
PAGE_TYPES = [
    "home.HomePage",
    "portal.ArticleIndexPage",
    "portal.ArticlePage",
    "portal.EventIndexPage",
    "portal.EventPage",
    "portal.BlogIndexPage",
    "portal.BlogPage",
    "portal.BlogPostPage",
    "portal.JournalIssuePage",
    "portal.MethodologyIndexPage",
    "portal.MethodologyPage",
    "classifieds.ClassifiedsPage",
    "proposals.ProposalsPage",
    "radio.RadioPage",
    "radio.StationPage",
    "radio.ShowPage",
    "radio.EpisodePage",
    "portal.ActorDirectoryPage",
    "portal.MapStoryPage",
    "portal.ProjectSeedIndexPage",
    "portal.WorkshopPage",
    "portal.MediaEducationCyclePage",
    "portal.ResidencyIndexPage",
    "portal.ResidencyPage",
    "newsletter.NewsletterIndexPage",
    "newsletter.NewsletterPage",
    "consultations.ConsultationsPage",
    "consultations.ConsultationPage",
]
FEDERATION_PAGE_TYPES = ["portal.FederationHubPage", "frontdoor.LaunchPage"]


def _classified() -> str:
    return Classified.objects.published().first().get_absolute_url()


def _event_taking_registrations() -> str:
    return EventPage.objects.filter(registrations_open=True).live().first().url


def _actor() -> str:
    return f"/acteurs/acteur/{Actor.objects.order_by('name').first().pk}/"


def _actor_entry() -> str:
    """An actor's own link to its entry (the fixture gave it an address, committed)."""
    actor = Actor.objects.exclude(contact_email="").order_by("name").first()
    return f"/acteurs/fiche/{actor_token(actor)}/"


def _seed_to_join() -> str:
    return f"/graines-de-projet/graine/{ProjectSeed.objects.first().pk}/rejoindre/"


def _manage_subscription() -> str:
    subscriber = Subscriber.objects.active().first()
    return f"/abonnement/gerer/{make_token(MANAGE, subscriber.pk)}/"


# Routes and views that are not page models: label -> their path, read in the portal.
ROUTES: dict[str, Callable[[], str]] = {
    "agenda, événements passés": lambda: "/agenda/passes/",
    "recherche": lambda: "/recherche/?q=quartier",
    "recherche sans résultat": lambda: "/recherche/?q=introuvable",
    "déposer une annonce": lambda: "/petites-annonces/deposer/",
    "annonce": _classified,
    "contacter l'auteur d'une annonce": lambda: _classified() + "contacter/",
    "s'inscrire à un événement": lambda: _event_taking_registrations() + "inscription/",
    "annuaire filtré": lambda: "/acteurs/?type=association",
    "fiche d'un acteur": _actor,
    "proposer un acteur": lambda: "/acteurs/proposer/",
    "carte, récits des habitants seulement": lambda: "/acteurs/?montrer=recits",
    "raconter un lieu": lambda: "/acteurs/raconter/",
    "mettre à jour sa fiche d'acteur": _actor_entry,
    "demander le retrait de sa fiche": lambda: _actor_entry() + "retrait/",
    "proposer un sujet": lambda: "/participer/sujet/",
    "proposer un événement": lambda: "/participer/evenement/",
    "rejoindre une graine de projet": _seed_to_join,
    "s'abonner à l'infolettre": lambda: "/abonnement/",
    "gérer son abonnement": _manage_subscription,
    "résultats d'une consultation": lambda: "/consultations/place-du-marche/resultats/",
    "page introuvable": lambda: "/cette-page-n-existe-pas/",
}


@pytest.fixture(scope="module")
def network(make_portal, django_db_blocker) -> dict[str, Neighbourhood]:
    """A neighbourhood and the federation, both with the demo content, and a suspended one."""
    neighbourhood = make_portal("lisible", name="Quartier Lisible")
    federation = make_portal("federation", kind="federation", name="Fédération")
    suspended = make_portal("enpause", name="Quartier en pause")
    with django_db_blocker.unblock():
        seed_content(neighbourhood)
        seed_content(federation)
        with schema_context(neighbourhood.schema_name):
            # An actor with an address, so that its own link to its entry opens.
            actor = Actor.objects.order_by("name").first()
            actor.contact_email = "contact@acteur.example.org"
            actor.save(update_fields=["contact_email"])
        with schema_context(get_public_schema_name()):
            change_status(suspended, Neighbourhood.Status.SUSPENDED, reason="Travaux")
    return {"neighbourhood": neighbourhood, "federation": federation, "suspended": suspended}


@pytest.fixture(autouse=True)
def no_tiles(settings) -> None:
    """Tests have no Internet: maps without a tile layer."""
    settings.MAP_TILE_URL = ""


def path_of(portal: Neighbourhood, label: str) -> str:
    with schema_context(portal.schema_name):
        if "." in label:
            page = apps.get_model(label).objects.live().order_by("path").first()
            assert page is not None, f"pas de page {label} dans le contenu de démonstration"
            return Page.objects.get(pk=page.pk).url
        return ROUTES[label]()


# axe-core's run, giving back only what ``violations`` prints. Its whole result also lists
# every rule passed with every element it passed on (each text's contrast...): thousands
# of nodes a page, which took longer to hand from the browser to Python than the checks
# themselves (issue 23 §6). ``resultTypes`` spares axe the details of what passed; the
# violations keep all their nodes either way.
_AXE_RUN = """async (tags) => {
    const result = await axe.run(document, {
        runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 3).map((node) => node.target),
    }));
}"""


def violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one readable line each."""
    # A checks' window has it in every document already (``open_window``); elsewhere it
    # is handed in once a document: a second check of the same page (at another width)
    # reuses it. Evaluated rather than added as a <script> element (``add_script_tag``):
    # the same code in the page's window, at half the cost a page (issue 23 §6).
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(str(target) for target in v["targets"])
        for v in page.evaluate(_AXE_RUN, WCAG_21_AA)
    ]


def sideways_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: it reflows)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def widest(page) -> str:
    """The deepest elements that stick out of the window, to say what to fix."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth
                && ![...e.children].some(c => c.getBoundingClientRect().right
                    > document.documentElement.clientWidth))
            .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                + ' « ' + (e.textContent || '').trim().slice(0, 40) + ' »').join(' ; ')"""
    )


# Window sizes in CSS pixels. 200 % zoom of a 1280-pixel window lays the page out in 640.
SIZES = {"bureau": (1280, 900), "zoom-200": (640, 450), "telephone-360px": (360, 740)}
PHONE_WIDTH = 360


@pytest.fixture
def check(checks_window, shoot) -> Callable[..., None]:
    """Load a page, axe-check it, then narrow the window: no sideways scroll at any size.
    The module's checks share one window (``checks_window``), each page a first visit."""

    def run(url: str, name: str, status: int = 200) -> None:
        page = checks_window
        response = page.goto(url)
        assert response is not None and response.status == status, f"{url}: {response.status}"
        problems = violations(page)
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            if overflow := sideways_overflow(page):
                problems.append(f"{size} : {overflow} px de défilement horizontal, {widest(page)}")
            if width == PHONE_WIDTH:
                # What a phone lays out differently (the menu behind its button, a map
                # above its list) is checked as a phone shows it too.
                problems += [f"{size} : {line}" for line in violations(page)]
        shoot(page, name)  # as a phone shows it
        assert not problems, f"{url}\n" + "\n".join(problems)

    return run


@pytest.mark.parametrize("label", PAGE_TYPES + list(ROUTES))
def test_neighbourhood_pages_are_accessible(label, network, origin, check) -> None:
    portal = network["neighbourhood"]
    status = 404 if label == "page introuvable" else 200
    check(origin(portal) + path_of(portal, label), label, status=status)


@pytest.mark.parametrize("label", FEDERATION_PAGE_TYPES)
def test_federation_pages_are_accessible(label, network, origin, check) -> None:
    portal = network["federation"]
    check(origin(portal) + path_of(portal, label), label)


def test_the_network_directory_is_accessible(network, live_port, check) -> None:
    check(f"http://localhost:{live_port}/", "annuaire-du-reseau")


def test_a_suspended_portal_page_is_accessible(network, origin, check) -> None:
    check(origin(network["suspended"]) + "/", "portail-suspendu", status=503)


def test_the_checks_catch_what_they_look_for(new_window) -> None:
    """The harness itself: a missing alt text and a too-wide element are reported."""
    page = new_window(bypass_csp=True)
    page.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<div style="width: 500px">large</div></main></body></html>'
    )
    page.set_viewport_size({"width": 360, "height": 740})

    assert any(line.startswith("image-alt") for line in violations(page))
    assert sideways_overflow(page) > 100
