"""Opening a portal: one command gives a complete, working portal, or a clear refusal."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Locale, Page, Site

from tenants.models import Domain, Neighbourhood
from tests.conftest import pass_second_factor

# Lists or backs up every schema of the database: no spare portal schema (tests/portal_pool.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spare_schemas")]


def all_schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace ORDER BY nspname")
        return [row[0] for row in cursor.fetchall()]


COMMAND = [
    "create_neighbourhood",
    "--name=Bas Montreuil",
    "--slug=basmontreuil",
    "--domain=basmontreuil.localhost",
    "--city=Montreuil",
    "--animator-email=Animation@BasMontreuil.example.org",
    "--languages=en,ar",
]


@pytest.fixture
def created(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(*COMMAND)
    return Neighbourhood.objects.get(schema_name="basmontreuil"), capsys.readouterr().out


def test_command_prints_the_time_it_took_and_the_address(created):
    _, output = created

    assert re.search(r"ouvert en \d+\.\d\d s : http://basmontreuil\.localhost:8000/", output)


def test_new_portal_has_the_default_french_tree_and_serves_it(created):
    portal, _ = created
    with schema_context(portal.schema_name):
        home = Site.objects.get(is_default_site=True).root_page
        sections = [(p.title, p.slug) for p in home.get_children().live()]

    assert home.title == "Accueil"
    assert sections == [
        ("Actualités", "actualites"),
        ("Agenda", "agenda"),
        ("Participer", "participer"),
        ("Petites annonces", "petites-annonces"),
        ("Radio & TV", "radio-tv"),
        ("Blogs des habitants", "blogs"),
        ("Acteurs du quartier", "acteurs"),
        ("Graines de projet", "graines-de-projet"),
        ("Résidences", "residences"),
        ("Consultations", "consultations"),
        ("Méthodologie", "methodologie"),
        ("Infolettre", "infolettre"),
        ("À propos", "a-propos"),
        ("La coopérative", "cooperative"),
        # The tests' own feature (tests/pinboard), registered through the extension points.
        ("Tableau d'affichage", "tableau"),
    ]
    page = Client(HTTP_HOST="basmontreuil.localhost").get("/agenda/")
    assert page.status_code == 200
    assert "<h1>Agenda</h1>" in page.text


def test_new_portal_has_its_site_locales_and_groups(created):
    portal, _ = created
    with schema_context(portal.schema_name):
        site = Site.objects.get()
        locales = sorted(Locale.objects.values_list("language_code", flat=True))
        groups = sorted(Group.objects.values_list("name", flat=True))

    assert (site.hostname, site.port, site.is_default_site) == (
        "basmontreuil.localhost",
        8000,
        True,
    )
    assert locales == ["ar", "en", "fr"]
    assert groups == ["Animateurs", "Contributeurs"]
    assert portal.content_languages == ["fr", "en", "ar"]


def test_first_animator_is_invited_by_an_email_linking_to_their_own_portal(created):
    portal, _ = created
    with schema_context(portal.schema_name):
        animator = get_user_model().objects.get()

    assert animator.email == "animation@basmontreuil.example.org"
    assert not animator.has_usable_password()
    assert [m.to for m in mail.outbox] == [["animation@basmontreuil.example.org"]]
    assert "Bas Montreuil" in mail.outbox[0].subject
    assert "http://basmontreuil.localhost:8000/admin/password_reset/confirm/" in mail.outbox[0].body


def test_invited_animator_sets_a_password_then_edits_their_portal(created):
    link = re.search(r"http://basmontreuil\.localhost:8000(\S+)", mail.outbox[0].body).group(1)
    browser = Client(HTTP_HOST="basmontreuil.localhost")

    form = browser.get(link, follow=True)
    new_password = "Quartier-Libre-2026"
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    logged_in = browser.post(
        "/admin/login/",
        {"username": "animation@basmontreuil.example.org", "password": new_password},
    )
    pass_second_factor(browser)
    with schema_context("basmontreuil"):
        agenda = Page.objects.get(slug="agenda")
    edit = browser.get(f"/admin/pages/{agenda.pk}/edit/")

    assert done.status_code == 302
    assert logged_in.status_code == 302
    assert edit.status_code == 200


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("public", "est réservé"),
        ("tpl_neighbourhood", "est réservé"),
        ("pg_catalog", "préfixe réservé"),
        ("Belle Ville", "n'est pas valide"),
        ("9quartiers", "n'est pas valide"),
        ("a", "n'est pas valide"),
        ("quartier-libre", "n'est pas valide"),
    ],
)
def test_reserved_or_malformed_slug_is_refused_with_a_clear_message(slug, message):
    schemas_before = all_schemas()

    with pytest.raises(CommandError, match=message):
        call_command("create_neighbourhood", "--name=Essai", f"--slug={slug}", "--city=Paris")

    assert not Neighbourhood.objects.exists()
    assert all_schemas() == schemas_before


def test_a_taken_slug_or_domain_is_refused_and_the_first_portal_kept(created):
    with pytest.raises(CommandError, match="Ce nom de quartier est déjà utilisé"):
        call_command("create_neighbourhood", "--name=Autre", "--slug=basmontreuil", "--city=Paris")
    with pytest.raises(CommandError, match="Ce nom d'hôte sert déjà un autre portail"):
        call_command(
            "create_neighbourhood",
            "--name=Autre",
            "--slug=autre",
            "--domain=basmontreuil.localhost",
            "--city=Paris",
        )

    assert list(Neighbourhood.objects.values_list("schema_name", flat=True)) == ["basmontreuil"]
    assert Domain.objects.count() == 1
    assert not schema_exists("autre")


def test_bad_email_or_language_is_refused_in_french():
    with pytest.raises(CommandError, match="Saisissez une adresse de courriel valide"):
        call_command(
            "create_neighbourhood", "--name=X", "--slug=xx", "--city=P", "--animator-email=non"
        )
    with pytest.raises(CommandError, match="Langue inconnue : klingon"):
        call_command(
            "create_neighbourhood", "--name=X", "--slug=xx", "--city=P", "--languages=klingon"
        )
