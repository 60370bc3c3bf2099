"""The guides of docs/guides/ in the admin (/admin/guides/): each reader gets the guides of
their role, their pictures and nothing else; no address reaches another file."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context
from PIL import Image

from core import guides
from core.guides import GUIDES, GUIDES_DIR, IMAGES_DIR, Guide, render_guide
from core.roles import Role
from portal.blogs.contributors import invite_contributor
from portal.factories import BlogPageFactory
from tenants.default_portal import FEDERATION_STAFF
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

MENU_ITEM = '"url": "/admin/guides/"'
ANIMATORS_PICTURE = sorted(Guide("moderer-une-annonce", Role.ANIMATOR).images())[0]
FEDERATION_PICTURE = sorted(Guide("ouvrir-un-portail", Role.FEDERATION).images())[0]


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def _contributor(portal):
    with schema_context(portal.schema_name):
        blog = BlogPageFactory(title="Carnet de Mireille")
        user = invite_contributor(portal, "mireille@example.org", blog, first_name="Mireille")
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def _staff(federation):
    with schema_context(federation.schema_name):
        user, _ = get_user_model().objects.get_or_create(
            username="equipe@federation.example", defaults={"email": "equipe@federation.example"}
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=FEDERATION_STAFF))
    return user


def _superuser(portal):
    with schema_context(portal.schema_name):
        return get_user_model().objects.create_superuser(
            "operateur@example.org", "operateur@example.org", PASSWORD
        )


def _titles(response) -> list[str]:
    return re.findall(r'<a href="/admin/guides/[\w-]+/">([^<]+)</a>', response.text)


def test_an_animator_finds_the_guides_in_the_menu_and_reads_them(alpha, client_for, animator_of):
    browser = logged_in(client_for(alpha), animator_of(alpha))

    menu = browser.get("/admin/")
    index = browser.get("/admin/guides/")
    guide = browser.get("/admin/guides/moderer-une-annonce/")

    assert MENU_ITEM in menu.text
    assert index.status_code == 200
    assert _titles(index) == [
        "Proposer un billet",
        "Publier un article",
        "Modérer une annonce",
        "Inviter un contributeur",
    ]
    assert guide.status_code == 200
    assert "<h1" in guide.text and "Modérer une annonce" in guide.text
    assert "<ol>" in guide.text  # numbered steps
    assert f'src="/admin/guides/images/{ANIMATORS_PICTURE}"' in guide.text


def test_a_guides_pictures_are_served_to_its_readers(alpha, client_for, animator_of):
    browser = logged_in(client_for(alpha), animator_of(alpha))

    response = browser.get(f"/admin/guides/images/{ANIMATORS_PICTURE}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == (IMAGES_DIR / ANIMATORS_PICTURE).read_bytes()


def test_a_contributor_reads_only_the_contributors_guides(alpha, client_for):
    browser = logged_in(client_for(alpha), _contributor(alpha))

    index = browser.get("/admin/guides/")

    assert MENU_ITEM in browser.get("/admin/").text
    assert _titles(index) == ["Proposer un billet"]
    assert browser.get("/admin/guides/proposer-un-billet/").status_code == 200
    assert browser.get("/admin/guides/moderer-une-annonce/").status_code == 404
    assert browser.get(f"/admin/guides/images/{ANIMATORS_PICTURE}").status_code == 404


def test_the_federations_staff_also_read_the_federations_guides(federation, client_for):
    browser = logged_in(client_for(federation), _staff(federation))

    index = browser.get("/admin/guides/")

    assert "Ouvrir un portail" in _titles(index)
    assert "Publier un article" in _titles(index)
    assert browser.get("/admin/guides/ouvrir-un-portail/").status_code == 200
    assert browser.get(f"/admin/guides/images/{FEDERATION_PICTURE}").status_code == 200


def test_a_neighbourhoods_animator_or_superuser_gets_no_federation_guide(
    alpha, client_for, animator_of
):
    for user in (animator_of(alpha), _superuser(alpha)):
        browser = logged_in(client_for(alpha), user)

        assert "Ouvrir un portail" not in _titles(browser.get("/admin/guides/"))
        assert browser.get("/admin/guides/ouvrir-un-portail/").status_code == 404
        assert browser.get(f"/admin/guides/images/{FEDERATION_PICTURE}").status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "/admin/guides/",
        "/admin/guides/publier-un-article/",
        f"/admin/guides/images/{ANIMATORS_PICTURE}",
    ],
)
def test_a_visitor_is_sent_to_the_login_page(alpha, client_for, address):
    response = client_for(alpha).get(address)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "address",
    [
        "/admin/guides/../../core/settings.py",
        "/admin/guides/%2e%2e/%2e%2e/core/settings.py",
        "/admin/guides/%2e%2e%2f%2e%2e%2fcore%2fsettings/",
        "/admin/guides/..%2f..%2fcore%2fsettings/",
        "/admin/guides/README/",
        "/admin/guides/images/../../../core/settings.py",
        "/admin/guides/images/..%2f..%2f..%2fcore%2fsettings.py",
        "/admin/guides/images/%2e%2e%2fpublier-un-article.md",
        "/admin/guides/images/%2Fetc%2Fpasswd",
        "/admin/guides/images/absente.png",
        "/admin/guides/images/" + ANIMATORS_PICTURE.upper(),
        "/admin/guides/images/%00.png",
        "/admin/guides/n%C3%A9ant/",
    ],
)
def test_no_address_reaches_another_file(alpha, client_for, animator_of, address):
    """At most Django's redirect to the address with a final slash, then a 404."""
    browser = logged_in(client_for(alpha), animator_of(alpha))

    response = browser.get(address, follow=True)

    assert response.status_code == 404
    assert "SECRET_KEY" not in response.content.decode(errors="replace")
    assert response["Content-Type"].startswith("text/html")


def test_a_guides_markdown_cannot_run_a_script(tmp_path, monkeypatch):
    """Guides are project text, and still sanitised: the admin is the most powerful page."""
    monkeypatch.setattr(guides, "GUIDES_DIR", tmp_path)
    (tmp_path / "piege.md").write_text(
        "# Piège\n\n<script>alert(1)</script>\n\n"
        "[lien](javascript:alert(1)) [réglages](../../core/settings.py) "
        "[autre guide](publier-un-article.md#etapes)\n\n"
        "![capture](images/ok.png) ![ailleurs](../../secret.png) "
        '![x](images/ok.png "t" onerror="alert(1)")\n',
        encoding="utf-8",
    )

    html = render_guide(Guide("piege", Role.CONTRIBUTOR))

    assert "<script" not in html
    assert not re.search(r"<[^>]+(javascript:|onerror)", html)  # left as plain text at most
    assert not re.search(r'(href|src)="[^"]*(settings\.py|secret\.png)', html)
    assert 'href="/admin/guides/publier-un-article/#etapes"' in html
    assert 'src="/admin/guides/images/ok.png"' in html
    assert "<h1" not in html  # the admin's header shows the title


# --- The guides' folder stays whole ----------------------------------------------------------


def test_every_guide_file_is_listed_in_the_admin_and_in_the_index():
    files = {path.stem for path in GUIDES_DIR.glob("*.md")} - {"README"}
    readme = (GUIDES_DIR / "README.md").read_text(encoding="utf-8")

    assert files == {guide.slug for guide in GUIDES}
    for guide in GUIDES:
        assert f"({guide.slug}.md)" in readme, guide.slug


def test_every_picture_exists_has_alt_text_and_stays_small():
    shown: set[str] = set()
    for guide in GUIDES:
        text = guide.source()
        for alt, name in re.findall(r"!\[([^\]]*)\]\(images/([^)\s]+)\)", text):
            assert len(alt) >= 15, f"{guide.slug}: {name} sans texte de remplacement"
            shown.add(name)
        assert guide.images(), f"{guide.slug} n'a aucune capture"
    for name in shown:
        path = IMAGES_DIR / name
        assert path.exists(), name
        assert path.stat().st_size <= 200_000, name
        assert Image.open(path).width in (390, 1280), name
    assert {path.name for path in IMAGES_DIR.glob("*.png")} == shown  # none left behind
