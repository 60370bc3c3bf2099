"""A parent's authorisation decides whether a minor's name shows on a published article:
the visitor reads « Un·e jeune du quartier » until the animator records that the parent
allows the name, and again once the parent withdraws it."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from portal.factories import ArticlePageFactory, LearnerFactory, MediaEducationCyclePageFactory
from portal.models import ProductionCredit
from tests.browser.conftest import animator_login, log_into_admin
from tests.browser.test_accessibility import sideways_overflow, violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def portal(make_portal):
    return make_portal("reporters", name="Les Reporters")


@pytest.fixture(scope="module")
def newsroom(portal, django_db_blocker) -> dict:
    """A cycle, Inès (a minor: her parent allowed the image, not the name), an article she
    wrote, published; the animator with a known password (committed)."""
    with django_db_blocker.unblock(), schema_context(portal.schema_name):
        cycle = MediaEducationCyclePageFactory(
            title="Jeunes reporters du quartier",
            slug="jeunes-reporters",
            partner="le collège Jean-Moulin",
        )
        ines = LearnerFactory(
            cycle=cycle,
            name="Inès Benali",
            parent_name="Nadia Benali",
            authorised_on="2026-10-02",
            may_show_image=True,
        )
        LearnerFactory(cycle=cycle, name="Théo Marchal", is_minor=False)
        article = ArticlePageFactory(
            title="Le marché du dimanche raconté par les jeunes reporters",
            slug="marche-du-dimanche",
            intro="<p>Trois interviews et un constat : le marché est le cœur du quartier.</p>",
            body=[("paragraph", "<p>À 8 heures, les premiers étals s'installent.</p>")],
        )
        ProductionCredit.objects.create(learner=ines, page=article)
        return {
            "ines": ines.pk,
            "article": "/actualites/marche-du-dimanche/",
            "cycle": "/agenda/jeunes-reporters/",
            "animator": animator_login(portal, PASSWORD),
        }


def _readable(window, url: str, shoot, name: str) -> None:
    """axe-core finds nothing, and the page reflows at 1280 and 360 px (screenshots)."""
    problems = []
    for width, height in ((1280, 900), (360, 740)):
        window.set_viewport_size({"width": width, "height": height})
        window.goto(url)
        problems += [f"{width} px : {line}" for line in violations(window)]
        if overflow := sideways_overflow(window):
            problems.append(f"{width} px : {overflow} px de défilement horizontal")
        shoot(window, f"{name}-{width}px")
    assert not problems, "\n".join(problems)


def test_a_parents_authorisation_hides_a_minors_name_on_a_published_article(
    new_window, origin, portal, newsroom, shoot
) -> None:
    base = origin(portal)
    visitor = new_window(bypass_csp=True)  # axe is injected as an inline script
    _readable(visitor, base + newsroom["article"], shoot, "article-sans-nom")
    credits = visitor.locator(".education-credits")
    expect(credits).to_contain_text("Un·e jeune du quartier")
    expect(visitor.locator("body")).not_to_contain_text("Inès")
    _readable(visitor, base + newsroom["cycle"], shoot, "cycle")
    expect(visitor.locator("body")).to_contain_text("1 jeune du quartier et 1 adulte")
    expect(visitor.locator("body")).not_to_contain_text("Théo")

    animator = new_window()
    log_into_admin(animator, base, newsroom["animator"], PASSWORD)
    record = f"{base}/admin/education/participants/edit/{newsroom['ines']}/"
    animator.goto(record)
    shoot(animator, "autorisation-sans-nom")
    animator.get_by_label("autorise le nom").check()
    animator.get_by_role("button", name="Enregistrer").click()
    expect(animator.locator(".messages")).to_contain_text(re.compile("modifié|enregistr", re.I))

    visitor.goto(base + newsroom["article"])
    expect(visitor.locator(".education-credits")).to_contain_text("Inès Benali")
    shoot(visitor, "article-avec-nom")

    # The parent withdraws the name: the next visitor reads no name again.
    animator.goto(record)
    animator.get_by_label("autorise le nom").uncheck()
    animator.get_by_role("button", name="Enregistrer").click()
    expect(animator.locator(".messages")).to_be_visible()

    visitor.goto(base + newsroom["article"])
    expect(visitor.locator(".education-credits")).to_contain_text("Un·e jeune du quartier")
    expect(visitor.locator("body")).not_to_contain_text("Inès")
