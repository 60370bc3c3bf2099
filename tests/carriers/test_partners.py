"""Partners and funders: each portal's own, in the footer of every page and in the home
block, with a logo whose alternative text says something."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from wagtail_factories import ImageFactory

from carriers.alt_text import visible
from carriers.factories import PartnerFactory
from carriers.models import Partner
from home.models import HomePage
from portal.factories import ArticlePageFactory
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def footer_of(text: str) -> str:
    return text.split('role="contentinfo"', 1)[1]


def test_the_footer_of_every_page_shows_the_partners_logos_with_their_alt_text(alpha, client_for):
    with schema_context(alpha.schema_name):
        PartnerFactory(name="Fondation des Lilas", logo_alt="Fondation des Lilas, logo")
        article = ArticlePageFactory(title="La fête du jardin", slug="fete-du-jardin")
        url = article.url
    at_alpha = client_for(alpha)

    for path in ("/", url, "/a-propos/"):
        footer = footer_of(text_of(at_alpha, path))
        assert 'alt="Fondation des Lilas, logo"' in footer, path
        assert "Avec le soutien de" in footer


def test_a_partner_kept_out_of_the_footer_is_not_in_it(alpha, client_for):
    with schema_context(alpha.schema_name):
        PartnerFactory(name="Mécène discret", in_footer=False)
        PartnerFactory(name="Fonds régional")

    footer = footer_of(text_of(client_for(alpha), "/"))

    assert "Fonds régional" in footer
    assert "Mécène discret" not in footer


def test_a_portal_without_partners_has_no_empty_strip(beta, client_for):
    footer = footer_of(text_of(client_for(beta), "/"))

    assert "Avec le soutien de" not in footer


def test_partners_of_a_are_never_shown_or_listed_at_b(alpha, beta, client_for, animator_of):
    with schema_context(alpha.schema_name):
        PartnerFactory(name="Partenaire propre à Alpha")
    with schema_context(beta.schema_name):
        PartnerFactory(name="Partenaire de Beta")
    at_beta = logged_in(client_for(beta), animator_of(beta))

    home = text_of(at_beta, "/")
    listing = text_of(at_beta, "/admin/snippets/carriers/partner/")

    assert "Partenaire de Beta" in home
    assert "Partenaire propre à Alpha" not in home
    assert "Partenaire de Beta" in listing
    assert "Partenaire propre à Alpha" not in listing


def test_the_footer_follows_a_partner_renamed_with_every_cache_on(alpha, client_for, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True
    with schema_context(alpha.schema_name):
        partner = PartnerFactory(name="Ancien nom du fonds", logo_alt="Ancien nom du fonds")
    at_alpha = client_for(alpha)
    before = text_of(at_alpha, "/")
    with schema_context(alpha.schema_name):
        partner.name = partner.logo_alt = "Nouveau nom du fonds"
        partner.save()

    after = text_of(at_alpha, "/")

    assert "Ancien nom du fonds" in before
    assert "Ancien nom du fonds" not in after
    assert "Nouveau nom du fonds" in after


def test_the_home_block_lists_the_chosen_kind_with_names(alpha, client_for):
    with schema_context(alpha.schema_name):
        PartnerFactory(name="Conseil départemental", kind=Partner.Kind.FUNDER)
        PartnerFactory(name="Centre social voisin", kind=Partner.Kind.PARTNER, in_footer=False)
        home = HomePage.objects.get()
        home.body = [("partners", {"title": "Nos financeurs", "kind": "funder"})]
        home.save_revision().publish()

    text = text_of(client_for(alpha), "/")
    main = text.split('id="contenu"', 1)[1].split('role="contentinfo"', 1)[0]

    assert "Nos financeurs" in main
    assert "Conseil départemental" in main
    assert "Centre social voisin" not in main


@pytest.mark.parametrize(
    "alt",
    ["", "   ", "\u200b\u200b", "\u2800", "\u3164", "\ufeff \u00a0", "\u0301"],
    ids=["vide", "espaces", "zero-width", "braille-blank", "hangul-filler", "bom-nbsp", "accent"],
)
def test_an_alt_text_with_nothing_visible_is_refused(alpha, alt):
    with schema_context(alpha.schema_name):
        partner = Partner(name="Fonds", logo=ImageFactory(), logo_alt=alt)

        with pytest.raises(ValidationError) as refused:
            partner.full_clean()

    assert "lecteurs d'écran" in str(refused.value.message_dict["logo_alt"])


def test_visible_text_accepts_real_words_in_any_script():
    assert visible("Fondation des Lilas")
    assert visible(" \u200bMairie ")
    assert visible("مؤسسة")


def test_the_animator_reads_a_french_error_for_an_invisible_alt_text(
    alpha, client_for, animator_of
):
    with schema_context(alpha.schema_name):
        logo = ImageFactory(title="Logo du fonds")
    at_alpha = logged_in(client_for(alpha), animator_of(alpha))

    response = at_alpha.post(
        "/admin/snippets/carriers/partner/add/",
        {
            "name": "Fonds invisible",
            "kind": "funder",
            "logo": logo.pk,
            "logo_alt": "\u200b\u200b",
            "url": "",
            "in_footer": "on",
            "sort_order": "0",
        },
    )

    assert response.status_code == 200
    assert "lecteurs d&#x27;écran" in response.content.decode()
    with schema_context(alpha.schema_name):
        assert not Partner.objects.filter(name="Fonds invisible").exists()


def test_the_animator_adds_a_partner_that_then_shows_in_the_footer(alpha, client_for, animator_of):
    with schema_context(alpha.schema_name):
        logo = ImageFactory(title="Logo de la régie")
    at_alpha = logged_in(client_for(alpha), animator_of(alpha))

    response = at_alpha.post(
        "/admin/snippets/carriers/partner/add/",
        {
            "name": "Régie de quartier",
            "kind": "partner",
            "logo": logo.pk,
            "logo_alt": "  Régie de quartier  ",
            "url": "https://example.org/regie",
            "in_footer": "on",
            "sort_order": "0",
        },
    )

    assert response.status_code == 302
    assert 'alt="Régie de quartier"' in footer_of(text_of(client_for(alpha), "/"))
