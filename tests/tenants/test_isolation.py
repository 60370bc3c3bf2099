"""Nothing of one portal may be seen, edited or cached through another's host."""

import pytest
from django.core.cache import cache
from django.template import engines
from django_tenants.utils import schema_context
from wagtail.models import Site

from portal.factories import ArticlePageFactory
from tests.conftest import PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db


def test_page_published_in_one_portal_is_not_served_at_another(alpha, beta, client_for):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Fête de la rue Ramponeau", slug="fete-ramponeau")

    at_alpha = client_for(alpha).get("/actualites/fete-ramponeau/")
    at_beta = client_for(beta).get("/actualites/fete-ramponeau/")
    beta_news = client_for(beta).get("/actualites/")

    assert at_alpha.status_code == 200
    assert "Fête de la rue Ramponeau" in at_alpha.text
    assert at_beta.status_code == 404
    assert "Ramponeau" not in beta_news.text


def test_animator_of_one_portal_cannot_log_into_another(alpha, beta, animator_of, client_for):
    animator = animator_of(alpha)
    credentials = {"username": animator.username, "password": PASSWORD}

    at_beta = client_for(beta).post("/admin/login/", credentials)
    alpha_browser = client_for(alpha)
    at_alpha = alpha_browser.post("/admin/login/", credentials)

    assert at_beta.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client_for(beta).session
    assert at_alpha.status_code == 302
    # At alpha the password is right: then the second factor (set up here), then the admin.
    assert at_alpha["Location"].startswith("/admin/login/code/")
    pass_second_factor(alpha_browser)
    assert alpha_browser.get("/admin/").status_code == 200


def test_session_cookie_of_one_portal_opens_nothing_at_another(
    alpha, beta, animator_of, client_for
):
    animator = animator_of(alpha)
    browser = client_for(alpha)
    browser.post("/admin/login/", {"username": animator.username, "password": PASSWORD})
    pass_second_factor(browser)
    assert browser.get("/admin/").status_code == 200

    # The same cookie jar, sent to the other portal's host.
    browser.defaults["HTTP_HOST"] = "beta.localhost"
    response = browser.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_cache_entries_written_for_one_portal_are_not_read_for_another(alpha, beta):
    with schema_context(alpha.schema_name):
        cache.set("agenda-de-la-semaine", "programme d'alpha")

    with schema_context(beta.schema_name):
        seen_by_beta = cache.get("agenda-de-la-semaine")
    with schema_context(alpha.schema_name):
        seen_by_alpha = cache.get("agenda-de-la-semaine")

    assert seen_by_beta is None
    assert seen_by_alpha == "programme d'alpha"


def test_links_of_a_portal_use_its_own_host_after_another_portal_was_served(
    alpha, beta, client_for
):
    # Both portals' Site rows have the same id: a shared cache key would mix them.
    client_for(alpha).get("/")
    client_for(beta).get("/")

    with schema_context(beta.schema_name):
        root_paths = Site.get_site_root_paths()
        article = ArticlePageFactory(title="Brocante", slug="brocante")
        url = article.get_full_url()

    assert [path.root_url for path in root_paths] == ["http://beta.localhost:8000"]
    assert url == "http://beta.localhost:8000/actualites/brocante/"


def test_wagtail_emails_built_outside_a_request_link_to_the_portal_they_are_about(alpha, beta):
    # Wagtail's notification templates take their links' base from this tag.
    tag = engines["django"].from_string("{% load wagtailadmin_tags %}{% base_url_setting %}")

    with schema_context(beta.schema_name):
        beta_url = tag.render({})
    with schema_context(alpha.schema_name):
        alpha_url = tag.render({})

    assert (alpha_url, beta_url) == ("http://alpha.localhost:8000", "http://beta.localhost:8000")
