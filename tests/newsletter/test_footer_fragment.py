"""The footer's subscribe form written once per process (newsletter_tags): the same
parts in every portal, so only the portal in the memo's key keeps one portal's form, and
the consent it records, out of another's. Read from each portal's host in turn, with the
fragment cache on and off."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _footer_form(text: str) -> str:
    return text.split('class="footer-newsletter"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("fragments", [True, False])
@pytest.mark.parametrize("first", ["alpha", "beta"])
def test_each_portals_footer_asks_consent_for_its_own_newsletter(
    alpha, beta, client_for, settings, first, fragments
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = fragments
    portals = [alpha, beta] if first == "alpha" else [beta, alpha]

    forms = {portal.name: _footer_form(client_for(portal).get("/").text) for portal in portals}

    for name, form in forms.items():
        assert f"l&#x27;infolettre de {name}" in form or f"l'infolettre de {name}" in form
        (other,) = set(forms) - {name}
        assert other not in form


def test_a_renamed_portals_footer_asks_consent_in_its_new_name(alpha, client_for, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    former = alpha.name
    before = _footer_form(client_for(alpha).get("/").text)
    try:
        alpha.name = "Alpha-sur-Seine"
        alpha.save()
        after = _footer_form(client_for(alpha).get("/").text)
    finally:
        alpha.name = former
        alpha.save()

    assert former in before
    assert "Alpha-sur-Seine" in after and former not in after.replace("Alpha-sur-Seine", "")
