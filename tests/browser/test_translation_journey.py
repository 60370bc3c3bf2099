"""An animator translates an article into Arabic; a visitor switches to it and reads it
right to left."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from portal.factories import ArticlePageFactory
from tests.browser.conftest import animator_login, log_into_admin
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ARABIC_TITLE = "عيد الجيران في الحي"


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("bilingue", name="Quartier bilingue", languages=["ar"])


@pytest.fixture(scope="module")
def article_and_animator(portal, django_db_blocker) -> dict:
    """A French article and the animator, with a known password (committed)."""
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        article = ArticlePageFactory(title="Fête des voisins", slug="fete-des-voisins")
        return {"article": article, "animator": animator_login(portal, PASSWORD)}


def test_animator_translates_an_article_into_arabic_and_visitors_switch_to_it(
    new_window, origin, portal, article_and_animator, shoot
) -> None:
    base, article = origin(portal), article_and_animator["article"]
    animator = new_window()
    log_into_admin(animator, base, article_and_animator["animator"], PASSWORD)
    animator.goto(f"{base}/admin/pages/{article.pk}/edit/")
    translate = animator.locator(f"a[href$='/translation/submit/page/{article.pk}/']").first
    if not translate.is_visible():  # Wagtail keeps the header's secondary actions in a menu
        animator.locator("header [data-w-dropdown-target=toggle]").first.click()
    shoot(animator, "article-francais")
    translate.click()

    animator.get_by_label("العربية").check()
    shoot(animator, "choix-de-la-langue")
    animator.locator("main form [type=submit]").first.click()
    animator.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    animator.locator("#id_title").fill(ARABIC_TITLE)
    shoot(animator, "traduction-redigee")
    animator.locator("footer [data-w-dropdown-target=toggle]").click()
    animator.get_by_role("button", name="Publier", exact=True).click()
    expect(animator.locator(".messages")).to_contain_text(ARABIC_TITLE)

    for width in (1280, 360):
        visitor = new_window(viewport={"width": width, "height": 800})
        visitor.goto(f"{base}/actualites/fete-des-voisins/")
        switcher = visitor.locator(".language-switcher")
        expect(switcher).to_be_visible()
        shoot(visitor, f"francais-{width}")
        switcher.get_by_role("link", name="العربية").click()
        visitor.wait_for_url(f"{base}/ar/actualites/fete-des-voisins/")
        expect(visitor.locator("html")).to_have_attribute("dir", "rtl")
        expect(visitor.locator("html")).to_have_attribute("lang", "ar")
        expect(visitor.get_by_role("heading", level=1)).to_have_text(ARABIC_TITLE)
        # Right to left, nothing hidden off-screen widens the page (its hidden links).
        assert visitor.evaluate("document.documentElement.scrollWidth") <= width
        shoot(visitor, f"arabe-{width}")
