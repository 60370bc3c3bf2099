"""The footer's subscribe form kept in the fragment cache (newsletter_tags): the same
parts in every portal, so only the schema in the cache's key keeps one portal's form, and
the consent it records, out of another's. Read from each portal's host in turn."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _footer_form(text: str) -> str:
    return text.split('class="footer-newsletter"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("first", ["alpha", "beta"])
def test_each_portals_footer_asks_consent_for_its_own_newsletter(
    alpha, beta, client_for, settings, first
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    portals = [alpha, beta] if first == "alpha" else [beta, alpha]

    forms = {portal.name: _footer_form(client_for(portal).get("/").text) for portal in portals}

    for name, form in forms.items():
        assert f"l&#x27;infolettre de {name}" in form or f"l'infolettre de {name}" in form
        (other,) = set(forms) - {name}
        assert other not in form
