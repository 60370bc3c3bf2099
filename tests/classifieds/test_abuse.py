"""Robots, floods, hostile text and hostile files are refused or made harmless, never a 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from classifieds import lifecycle
from classifieds.factories import ClassifiedFactory
from classifieds.forms import POSTS_PER_IP, ClassifiedPostForm, ReportForm
from classifieds.models import Classified
from core.abuse import STARTED_FIELD, started_stamp
from tests.classifieds.conftest import SECTION, ad_form, contact_form, form_opened_a_minute_ago

pytestmark = pytest.mark.django_db


def _ads(portal) -> int:
    with schema_context(portal.schema_name):
        return Classified.objects.count()


def test_honeypot_filled_by_a_robot_is_refused_with_a_message(alpha, client_for, outbox):
    before = _ads(alpha)

    response = client_for(alpha).post(
        f"{SECTION}deposer/", ad_form(alpha, site_web="http://spam.example")
    )

    assert response.status_code == 400
    assert "n&#x27;a pas pu être accepté" in response.text
    assert _ads(alpha) == before
    assert outbox == []


def test_a_form_sent_at_once_is_refused_but_keeps_what_was_typed(alpha, client_for):
    fresh = started_stamp(ClassifiedPostForm.stamp_name(), alpha.schema_name)

    response = client_for(alpha).post(
        f"{SECTION}deposer/", ad_form(alpha, **{STARTED_FIELD: fresh})
    )

    assert response.status_code == 400
    assert "très vite" in response.text
    assert 'value="Donne vélo enfant"' in response.text


def test_a_form_without_its_time_stamp_is_refused(alpha, client_for):
    response = client_for(alpha).post(f"{SECTION}deposer/", ad_form(alpha, **{STARTED_FIELD: ""}))

    assert response.status_code == 400
    assert "n&#x27;a pas pu être accepté" in response.text


def test_posting_too_often_from_one_address_is_refused_in_french(alpha, client_for, outbox):
    browser = client_for(alpha)
    for number in range(POSTS_PER_IP.limit):
        data = ad_form(alpha, author_email=f"voisin{number}@example.org")
        assert browser.post(f"{SECTION}deposer/", data).status_code == 302

    refused = browser.post(f"{SECTION}deposer/", ad_form(alpha, author_email="autre@example.org"))

    assert refused.status_code == 400
    assert "Trop d&#x27;envois" in refused.text
    assert len(outbox) == POSTS_PER_IP.limit


def test_contacting_too_often_with_one_address_is_refused(alpha, client_for, outbox):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory()
    url = f"{SECTION}annonce/{classified.pk}/contacter/"
    answers = []
    for number in range(25):
        browser = client_for(alpha)
        # A different network address each time: the limit on the e-mail address holds.
        browser.defaults["REMOTE_ADDR"] = f"10.0.0.{number + 1}"
        answers.append(browser.post(url, contact_form()).status_code)

    assert answers.count(302) == 20
    assert set(answers[20:]) == {400}
    assert len(outbox) == 20


HOSTILE_TITLE = "<script>alert('x')</script> Vélo ‮gnp.exe"
HOSTILE_TEXT = (
    "'); DROP TABLE classifieds_classified; --\n"
    '<img src=x onerror="alert(1)"> <a href="http://phish.example">ici</a>\n'
    "http://phish.example/login \u0000 zalgo: Z̷̢͓̈a̵l̶g̸o̵ 🚲 عربي"
)


def test_hostile_text_is_stored_and_shown_harmlessly(alpha, client_for, outbox):
    browser = client_for(alpha)
    response = browser.post(
        f"{SECTION}deposer/", ad_form(alpha, title=HOSTILE_TITLE, text=HOSTILE_TEXT)
    )
    with schema_context(alpha.schema_name):
        classified = Classified.objects.get(text__startswith="');")
        classified.status = Classified.Status.AWAITING_MODERATION
        classified.save()
        lifecycle.approve(classified, None)
        tables_still_there = Classified.objects.exists()

    detail = browser.get(f"{SECTION}annonce/{classified.pk}/").text
    listing = browser.get(SECTION).text
    feed = browser.get(f"{SECTION}rss/").content.decode()

    assert response.status_code == 302
    assert "\u0000" not in classified.text  # dropped, where PostgreSQL would have refused it
    assert tables_still_there
    assert classified.title == "<script>alert('x')</script> Vélo gnp.exe"  # no bidi override
    for page in (detail, listing):
        assert "<script>" not in page
        assert "&lt;script&gt;" in page
        assert "<img src=x" not in page
        assert 'href="http://phish.example' not in page
    assert "Z̷̢͓̈a̵l̶g̸o̵ 🚲 عربي" in detail
    assert "<script>" not in feed
    assert "<img" not in feed


def test_very_long_text_is_refused_with_its_limit_and_kept(alpha, client_for):
    response = client_for(alpha).post(
        f"{SECTION}deposer/", ad_form(alpha, text="Bla " * 2000, title="T" * 500)
    )

    assert response.status_code == 400
    assert "au plus 3000 caractères" in response.text.replace("\u202f", " ").replace(" ", " ")
    assert "au plus 120 caractères" in response.text.replace("\u202f", " ").replace(" ", " ")
    assert "Bla Bla Bla" in response.text


def _png_with_metadata() -> bytes:
    image = Image.new("RGBA", (40, 30), (200, 20, 20, 128))
    output = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "chez moi, 12 rue des Lilas")
    image.save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def test_photos_are_re_encoded_without_their_metadata(alpha, client_for):
    photo = SimpleUploadedFile("velo.png", _png_with_metadata(), content_type="image/png")

    response = client_for(alpha).post(f"{SECTION}deposer/", {**ad_form(alpha), "photos": photo})

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        stored = Classified.objects.get(title="Donne vélo enfant").photos.get()
        stored.image.open()
        content = stored.image.read()
        stored.image.close()
    assert content.startswith(b"\xff\xd8")  # a JPEG now
    assert b"rue des Lilas" not in content
    assert (stored.width, stored.height) == (40, 30)


def test_a_file_that_is_not_an_image_is_refused_in_french(alpha, client_for):
    fake = SimpleUploadedFile("velo.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")

    response = client_for(alpha).post(f"{SECTION}deposer/", {**ad_form(alpha), "photos": fake})

    assert response.status_code == 400
    assert "n&#x27;est pas une photo lisible" in response.text
    assert "JPEG, PNG ou WebP" in response.text
    assert 'value="Donne vélo enfant"' in response.text


def test_an_oversized_photo_is_refused_in_french(alpha, client_for):
    big = SimpleUploadedFile("grand.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 1))

    response = client_for(alpha).post(f"{SECTION}deposer/", {**ad_form(alpha), "photos": big})

    assert response.status_code == 400
    assert "dépasse 5 Mo" in response.text


def test_odd_query_strings_and_unknown_ads_never_give_a_500(alpha, client_for):
    browser = client_for(alpha)
    answers = [
        browser.get(SECTION, {"page": "-1", "kind": "nimportequoi", "category": "' OR 1=1"}),
        browser.get(SECTION, {"q": "\u0000", "page": "99999"}),
        browser.get(SECTION, {"q": "x" * 5000}),
        browser.get(f"{SECTION}annonce/999999/"),
        browser.get(f"{SECTION}annonce/999999/contacter/"),
        browser.post(f"{SECTION}annonce/999999/signaler/", {"reason": "x"}),
        browser.get(f"{SECTION}gerer/AAAA/"),
        browser.get(f"{SECTION}confirmer/{'A' * 300}/"),
        # The link's page confirms by its button: a forged token posted gets nothing.
        browser.post(f"{SECTION}confirmer/{'A' * 300}/"),
        browser.post(f"{SECTION}confirmer/%C3%A9%00/"),
        browser.post(f"{SECTION}deposer/", {"photos": "pas un fichier", "category": "abc"}),
    ]

    assert [response.status_code for response in answers] == [
        200,
        200,
        200,
        404,
        404,
        404,
        404,
        404,
        404,
        404,
        400,
    ]


def test_reports_put_an_ad_back_into_moderation_past_the_threshold(alpha, client_for):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory(title="Arnaque au loyer")
    url = f"{SECTION}annonce/{classified.pk}/signaler/"
    for number in range(3):
        browser = client_for(alpha)
        browser.defaults["REMOTE_ADDR"] = f"10.1.0.{number + 1}"
        data = {"reason": "Demande de virement avant visite", "site_web": ""}
        data[STARTED_FIELD] = form_opened_a_minute_ago(ReportForm, alpha)
        assert browser.post(url, data).status_code == 302

    assert "Arnaque au loyer" not in client_for(alpha).get(SECTION).text
    with schema_context(alpha.schema_name):
        classified.refresh_from_db()
        last_change = classified.status_changes.last()
    assert classified.status == Classified.Status.AWAITING_MODERATION
    assert last_change.actor == "visitors"
