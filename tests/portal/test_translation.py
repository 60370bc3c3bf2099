"""An animator translates an article into one of the portal's languages, in the admin.

Wagtail's simple_translation copies the page into Arabic; the animator rewrites the copy
in the ordinary editor and publishes it; visitors of the French article then see Arabic
in its language switcher, and the Arabic article reads right to left.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import GroupPagePermission, Locale, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.factories import ArticlePageFactory
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "عيد الجيران في الحي"


@pytest.fixture(scope="module")
def bilingual(make_portal):
    """A portal that offers Arabic beside French (asked for when it was opened)."""
    return make_portal("bilingue", languages=["ar"])


@pytest.fixture
def article(bilingual) -> Page:
    with schema_context(bilingual.schema_name):
        return ArticlePageFactory(title="Fête des voisins", slug="fete-des-voisins")


@pytest.fixture
def animator(bilingual, animator_of, client_for):
    return logged_in(client_for(bilingual), animator_of(bilingual))


def translate_url(page: Page) -> str:
    """The address simple_translation's "Traduire" buttons lead to."""
    return reverse("simple_translation:submit_page_translation", args=[page.pk])


def edit_form(title: str, slug: str) -> dict:
    """The article's edit form as the animator sends it, "Publier" pressed."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-11-20",
            "authors": "",
            "intro": rich_text("<p>جيران يلتقون في الساحة.</p>"),
            "cover_alt": "",
            "body": streamfield([]),
            "tags": "",
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )


def arabic_of(portal) -> Locale:
    with schema_context(portal.schema_name):
        return Locale.objects.get(language_code="ar")


def test_animator_translates_an_article_into_arabic_and_publishes_it(
    bilingual, article, animator, client_for
):
    edit_page = animator.get(f"/admin/pages/{article.pk}/edit/")
    assert translate_url(article) in edit_page.text  # the "Traduire" button

    # Arabic can be chosen although the news section has no Arabic version yet.
    form = animator.get(translate_url(article))
    arabic = arabic_of(bilingual)
    assert form.status_code == 200
    option = re.search(rf'<input[^>]*value="{arabic.pk}"[^>]*>', form.text).group(0)
    assert "disabled" not in option

    created = animator.post(translate_url(article), {"locales": [arabic.pk]})
    with schema_context(bilingual.schema_name):
        translation = article.get_translation(arabic)
    # The copy opens in Wagtail's ordinary editor, as a draft.
    assert created.status_code == 302
    assert created["Location"] == f"/admin/pages/{translation.pk}/edit/"
    assert not translation.live

    published = animator.post(
        f"/admin/pages/{translation.pk}/edit/", edit_form(ARABIC_TITLE, "fete-des-voisins")
    )
    assert published.status_code == 302

    visitor = client_for(bilingual)
    french = visitor.get("/actualites/fete-des-voisins/")
    assert 'hreflang="ar"' in french.text
    assert 'href="/ar/actualites/fete-des-voisins/"' in french.text
    page = visitor.get("/ar/actualites/fete-des-voisins/")
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert ARABIC_TITLE in page.text
    assert "جيران يلتقون في الساحة" in page.text
    # Its switcher leads back to the French article.
    assert 'href="/actualites/fete-des-voisins/"' in page.text


def test_parents_made_for_a_translation_are_not_offered_as_translations(
    bilingual, article, animator, client_for
):
    animator.post(translate_url(article), {"locales": [arabic_of(bilingual).pk]})

    with schema_context(bilingual.schema_name):
        news = article.get_parent()
        arabic_news = news.get_translation(arabic_of(bilingual))
    # The news section exists in Arabic as an alias of the French one...
    assert arabic_news.alias_of_id == news.pk
    # ...which the French section's switcher does not present as an Arabic version.
    assert "language-switcher" not in client_for(bilingual).get("/actualites/").text


def test_a_contributor_cannot_translate(bilingual, article, client_for):
    with schema_context(bilingual.schema_name):
        writer = get_user_model().objects.create_user(
            username="ecrivain@example.org", email="ecrivain@example.org", password=PASSWORD
        )
        writer.groups.add(Group.objects.get(name="Contributeurs"))
    browser = logged_in(client_for(bilingual), writer)

    shown = browser.get(translate_url(article))
    sent = browser.post(translate_url(article), {"locales": [arabic_of(bilingual).pk]})

    # Wagtail's admin answers a refusal by sending them back to the dashboard.
    assert (shown.status_code, shown["Location"]) == (302, "/admin/")
    assert (sent.status_code, sent["Location"]) == (302, "/admin/")
    with schema_context(bilingual.schema_name):
        assert not article.has_translation(arabic_of(bilingual))


def test_a_translation_stays_in_its_portal(bilingual, article, animator, make_portal, client_for):
    """Portals are copies of one template: page ids repeat. Translating portal A's article
    creates nothing in portal B, whose page of the same id stays untranslated."""
    other = make_portal("autrelangue", languages=["ar"])
    with schema_context(other.schema_name):
        ArticlePageFactory(title="Fête des voisins", slug="fete-des-voisins")

    animator.post(translate_url(article), {"locales": [arabic_of(bilingual).pk]})

    with schema_context(other.schema_name):
        assert not Page.objects.filter(locale__language_code="ar").exists()
    assert "language-switcher" not in client_for(other).get("/actualites/fete-des-voisins/").text


def test_the_translated_home_page_can_be_edited_by_the_animator(bilingual, animator):
    """A home page has no parent to take rights from: its translation gets the French
    home page's, or the animator would be sent to an editor that refuses them."""
    with schema_context(bilingual.schema_name):
        home = Page.objects.get(depth=2, locale__language_code="fr")

    created = animator.post(translate_url(home), {"locales": [arabic_of(bilingual).pk]})
    editor = animator.get(created["Location"])

    assert created.status_code == 302
    assert editor.status_code == 200
    assert 'name="title"' in editor.text


def test_translating_never_gives_back_rights_taken_away_on_a_translation(
    bilingual, article, animator
):
    """An administrator took the animators' rights off the Arabic home page; translating
    another article under it does not put them back (only pages made now get rights)."""
    with schema_context(bilingual.schema_name):
        animators = Group.objects.get(name="Animateurs")
        french_home = Page.objects.get(depth=2, locale__language_code="fr")
    animator.post(translate_url(article), {"locales": [arabic_of(bilingual).pk]})
    with schema_context(bilingual.schema_name):
        arabic_home = french_home.get_translation(Locale.objects.get(language_code="ar"))
        assert GroupPagePermission.objects.filter(group=animators, page=arabic_home).exists()
        GroupPagePermission.objects.filter(group=animators, page=arabic_home).delete()
        second = ArticlePageFactory(title="Vide-grenier", slug="vide-grenier")

    animator.post(translate_url(second), {"locales": [arabic_of(bilingual).pk]})

    with schema_context(bilingual.schema_name):
        assert second.get_translation_or_none(Locale.objects.get(language_code="ar"))
        assert not GroupPagePermission.objects.filter(group=animators, page=arabic_home).exists()
