"""A residency shows its phases as a timeline, the sheets it runs, its partners and what it
produced, and never a draft, unpublished or private output, not even by its title."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Page, PageViewRestriction, Site

from carriers.factories import PartnerFactory
from portal.factories import (
    ArticlePageFactory,
    EventPageFactory,
    MethodologyPageFactory,
    ResidencyPageFactory,
    WorkshopPageFactory,
)
from portal.models import ArticleIndexPage, ArticlePage, ProjectSeed, ResidencyPage
from portal.residencies.blocks import PhaseBlock
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def phase(kind: str, start: int, end: int | None, title: str = "", outputs=()) -> tuple:
    return (
        "phase",
        {
            "kind": kind,
            "title": title,
            "starts_on": day(start),
            "ends_on": day(end) if end is not None else None,
            "text": f"<p>Ce qui se passe pendant « {title or kind} ».</p>",
            "outputs": list(outputs),
        },
    )


def draft_article(title: str, slug: str) -> ArticlePage:
    """An article saved as a draft, never published."""
    article = ArticlePage(title=title, slug=slug, date=TODAY, live=False)
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.save_revision()
    return article


def timeline_html(html: str) -> str:
    found = re.search(r'<ol class="frise">.*?</ol>\s*</section>', html, re.S)
    assert found, "pas de frise sur la page"
    return found.group(0)


def test_the_timeline_lists_the_phases_by_date_with_their_times(alpha, client_for):
    with schema_context(alpha.schema_name):
        ResidencyPageFactory(
            slug="frise-ordonnee",
            starts_on=day(-60),
            ends_on=day(150),
            phases=[
                phase("restitution", 30, None, "Soirée de restitution"),
                phase("prefiguration", -60, -40),
                phase("immersion", -2, 2, "Deuxième semaine sur place"),
                phase("follow_up", 31, 150, "Six mois de rendez-vous"),
            ],
        )

    html = client_for(alpha).get("/residences/frise-ordonnee/").text
    frise = timeline_html(html)

    kinds = re.findall(r'class="frise-phase frise-phase--(\w+)', frise)
    assert kinds == ["prefiguration", "immersion", "restitution", "follow_up"]
    assert f'<time datetime="{day(-60):%Y-%m-%d}">' in frise
    assert f'<time datetime="{day(30):%Y-%m-%d}">' in frise
    # The phase under way is marked, in words and for assistive technologies.
    assert frise.count('aria-current="step"') == 1
    assert "En ce moment" in frise
    # A phase without a title of its own is named after its kind.
    assert "<h3>Préfiguration</h3>" in frise
    assert "<h3>Soirée de restitution</h3>" in frise


def test_only_live_public_outputs_show_on_the_timeline(alpha, client_for):
    with schema_context(alpha.schema_name):
        shown = ArticlePageFactory(title="Les habitants cartographient leur quartier")
        draft = draft_article("Brouillon sur la résidence", "brouillon-residence")
        withdrawn = ArticlePageFactory(title="Article retiré de la résidence")
        withdrawn.unpublish()
        private = ArticlePageFactory(title="Compte rendu réservé aux membres")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        secret = ArticlePageFactory(title="Compte rendu protégé par mot de passe")
        PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")
        event = EventPageFactory(title="Soirée de restitution au centre social")
        ResidencyPageFactory(
            slug="productions",
            phases=[
                phase("immersion", -10, -6, outputs=[shown, draft, withdrawn, private, secret]),
                phase("restitution", 5, None, outputs=[event]),
            ],
        )

    html = client_for(alpha).get("/residences/productions/").text

    assert "Les habitants cartographient leur quartier" in html
    assert "Soirée de restitution au centre social" in html
    for hidden in (
        "Brouillon sur la résidence",
        "Article retiré de la résidence",
        "Compte rendu réservé aux membres",
        "Compte rendu protégé par mot de passe",
    ):
        assert hidden not in html


def test_an_output_unpublished_later_leaves_the_page_at_once(alpha, client_for):
    """The page may be cached: unpublishing the output must not leave its title there."""
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Reportage bientôt retiré")
        ResidencyPageFactory(slug="retrait", phases=[phase("immersion", -5, -1, outputs=[article])])
    client = client_for(alpha)
    assert "Reportage bientôt retiré" in client.get("/residences/retrait/").text

    with schema_context(alpha.schema_name):
        article.unpublish()

    assert "Reportage bientôt retiré" not in client.get("/residences/retrait/").text


def test_a_workshop_output_brings_its_project_seeds(alpha, client_for):
    with schema_context(alpha.schema_name):
        workshop = WorkshopPageFactory(
            title="Cartographie sensible du quartier",
            seeds=[ProjectSeed(title="Une carte des bancs où s'asseoir")],
        )
        seed = workshop.seeds.get()
        ResidencyPageFactory(
            slug="graines", phases=[phase("immersion", -8, -4, outputs=[workshop])]
        )

    html = client_for(alpha).get("/residences/graines/").text

    assert "Cartographie sensible du quartier" in html
    assert f'href="/graines-de-projet/graine/{seed.pk}/"' in html
    assert "Une carte des bancs où s&#x27;asseoir" in html


def test_a_private_output_title_does_not_make_the_residency_found(alpha, client_for):
    with schema_context(alpha.schema_name):
        private = ArticlePageFactory(title="Zorglubienne confidentielle")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        ResidencyPageFactory(
            title="Résidence cherchable",
            slug="cherchable",
            phases=[phase("immersion", -8, -4, outputs=[private])],
        )

    html = client_for(alpha).get("/recherche/?q=Zorglubienne").text

    assert "Résidence cherchable" not in html


def test_modules_link_only_the_published_public_sheets(alpha, client_for):
    with schema_context(alpha.schema_name):
        sheet = MethodologyPageFactory(title="Cartographie coopérative, pas à pas")
        hidden = MethodologyPageFactory(title="Fiche encore en chantier")
        hidden.unpublish()
        ResidencyPageFactory(
            slug="modules",
            modules=[
                ("module", {"sheet": sheet, "note": "Trois balades repérage."}),
                ("module", {"sheet": hidden, "note": ""}),
            ],
        )

    html = client_for(alpha).get("/residences/modules/").text

    assert f'href="{sheet.url}"' in html
    assert "Trois balades repérage." in html
    assert "Fiche encore en chantier" not in html


def test_partners_are_grouped_by_where_they_stand(alpha, client_for):
    with schema_context(alpha.schema_name):
        funder = PartnerFactory(name="Fonds pour la vie associative", url="https://fonds.example/")
        gone = PartnerFactory(name="Partenaire supprimé depuis")
        ResidencyPageFactory(
            slug="partenaires",
            partners=[
                ("partner", {"partner": funder, "scope": "external", "role": "Finance"}),
                ("partner", {"partner": gone, "scope": "local", "role": ""}),
                (
                    "organisation",
                    {"name": "Médiathèque", "scope": "local", "role": "Accueille", "url": ""},
                ),
            ],
        )
        gone.delete()

    html = client_for(alpha).get("/residences/partenaires/").text
    partners = html[html.index('id="partenaires"') :]

    assert partners.index("Sur le territoire") < partners.index("Médiathèque")
    assert partners.index("Autour de la résidence") < partners.index("Fonds pour la vie")
    assert 'href="https://fonds.example/"' in partners
    assert "Partenaire supprimé depuis" not in partners


def test_the_section_lists_current_upcoming_and_past_residencies_that_are_public(alpha, client_for):
    with schema_context(alpha.schema_name):
        ResidencyPageFactory(title="Résidence en cours", starts_on=day(-10), ends_on=day(60))
        ResidencyPageFactory(title="Résidence à venir", starts_on=day(30), ends_on=day(200))
        ResidencyPageFactory(title="Résidence passée", starts_on=day(-300), ends_on=day(-100))
        private = ResidencyPageFactory(title="Résidence en préparation discrète")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        draft = ResidencyPageFactory(title="Résidence pas encore annoncée")
        draft.unpublish()

    html = client_for(alpha).get("/residences/").text

    current, upcoming, past = (
        html.index(h) for h in ("<h2>En cours", "<h2>À venir", "<h2>Terminées")
    )
    assert current < html.index("Résidence en cours") < upcoming
    assert upcoming < html.index("Résidence à venir") < past
    assert past < html.index("Résidence passée")
    assert "Résidence en préparation discrète" not in html
    assert "Résidence pas encore annoncée" not in html


def test_status_follows_the_dates():
    residency = ResidencyPage(starts_on=day(-10), ends_on=day(10))

    assert residency.status() == ResidencyPage.Status.CURRENT
    assert residency.status(day(-11)) == ResidencyPage.Status.UPCOMING
    assert residency.status(day(11)) == ResidencyPage.Status.DONE
    assert ResidencyPage(starts_on=day(-10), ends_on=None).status(day(500)) == "current"


def test_a_residency_ending_before_it_begins_is_refused_in_french():
    residency = ResidencyPage(title="R", slug="r", territory="T", starts_on=day(0), ends_on=day(-1))

    with pytest.raises(ValidationError) as refused:
        residency.clean()

    assert refused.value.message_dict["ends_on"] == ["La fin de la résidence précède son début."]


def test_a_phase_ending_before_it_begins_is_refused_in_french():
    block = PhaseBlock()
    value = block.to_python(
        {"kind": "immersion", "title": "", "starts_on": "2026-03-10", "ends_on": "2026-03-02"}
    )

    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)

    assert refused.value.block_errors["ends_on"].messages == [
        "La fin de la phase précède son début."
    ]


def test_residencies_are_a_section_of_neighbourhoods_only(alpha, make_portal):
    federation = make_portal("federationresidences", kind="federation", name="Fédération")

    def section_slugs(portal) -> list[str]:
        with schema_context(portal.schema_name):
            home = Site.objects.get(is_default_site=True).root_page
            return list(Page.objects.child_of(home).values_list("slug", flat=True))

    assert "residences" in section_slugs(alpha)
    assert "residences" not in section_slugs(federation)


def queries_to_render(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_page_costs_as_many_queries_with_two_outputs_as_with_eight(alpha, client_for):
    with schema_context(alpha.schema_name):
        for slug, count in (("deux-productions", 2), ("huit-productions", 8)):
            outputs = [
                *(ArticlePageFactory() for _ in range(count // 2)),
                *(
                    WorkshopPageFactory(seeds=[ProjectSeed(title="Une graine")])
                    for _ in range(count // 2)
                ),
            ]
            ResidencyPageFactory(
                slug=slug,
                phases=[phase("immersion", -8, -4, outputs=outputs)],
                modules=[("module", {"sheet": MethodologyPageFactory(), "note": ""})],
            )
    client = client_for(alpha)
    client.get("/residences/")  # the portal's state, once

    assert queries_to_render(client, "/residences/deux-productions/") == queries_to_render(
        client, "/residences/huit-productions/"
    )


def test_an_animator_edits_a_residency_in_wagtail(alpha, client_for, animator_of):
    with schema_context(alpha.schema_name):
        residency = ResidencyPageFactory(
            slug="a-modifier",
            partners=[("partner", {"partner": PartnerFactory(), "scope": "local", "role": ""})],
        )
        section = residency.get_parent()
    client = logged_in(client_for(alpha), animator_of(alpha))

    edit = client.get(f"/admin/pages/{residency.pk}/edit/")
    add = client.get(f"/admin/pages/add/portal/residencypage/{section.pk}/")

    assert edit.status_code == 200
    assert "Partenaire du portail" in edit.text
    assert "Ce qui en est sorti" in edit.text
    assert add.status_code == 200


def test_the_section_says_what_each_residency_is_at(alpha, client_for):
    with schema_context(alpha.schema_name):
        ResidencyPageFactory(
            title="Résidence en pleine semaine",
            starts_on=day(-30),
            phases=[
                phase("prefiguration", -30, -20),
                phase("immersion", -1, 3, "Deuxième semaine"),
                phase("restitution", 20, None),
            ],
        )
        ResidencyPageFactory(
            title="Résidence entre deux semaines",
            starts_on=day(-30),
            phases=[phase("prefiguration", -30, -20), phase("restitution", 20, None)],
        )

    html = client_for(alpha).get("/residences/").text

    assert "<strong>En ce moment :</strong> Immersion : Deuxième semaine" in html
    assert (
        f'<strong>Prochaine étape :</strong> Restitution, <time datetime="{day(20):%Y-%m-%d}">'
        in html
    )
