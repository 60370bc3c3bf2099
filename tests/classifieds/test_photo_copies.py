"""Classified photos on a phone: cards and the ad's page show light WebP copies, not the
photos of up to 1600 px a resident sent; nothing of an ad not yet published shows."""

import datetime
import io
import re

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image

from classifieds import lifecycle
from classifieds.maintenance import run_maintenance
from classifieds.models import Classified
from tests.classifieds.conftest import SECTION, ad_form

pytestmark = pytest.mark.django_db


def _big_photo() -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (2400, 1800), (40, 120, 90)).save(output, format="JPEG")
    return SimpleUploadedFile("velo.jpg", output.getvalue(), content_type="image/jpeg")


def _post_ad(portal, client_for, title: str) -> Classified:
    response = client_for(portal).post(
        f"{SECTION}deposer/", {**ad_form(portal, title=title), "photos": _big_photo()}
    )
    assert response.status_code == 302
    with schema_context(portal.schema_name):
        return Classified.objects.get(title=title)


def _publish(portal, classified: Classified) -> None:
    with schema_context(portal.schema_name):
        classified.status = Classified.Status.AWAITING_MODERATION
        classified.save()
        lifecycle.approve(classified, None)


def test_the_listing_shows_a_light_thumbnail_not_the_photo_sent(alpha, client_for):
    classified = _post_ad(alpha, client_for, "Donne vélo enfant")
    _publish(alpha, classified)
    with schema_context(alpha.schema_name):
        photo = classified.photos.get()
        original, thumbnail = photo.image.url, photo.thumbnail.url
    browser = client_for(alpha)

    listing = browser.get(SECTION).text
    served = browser.get(thumbnail)
    sent = browser.get(original)

    assert thumbnail in listing and original not in listing
    assert re.search(rf'<img src="{re.escape(thumbnail)}"[^>]* width="480" height="360"', listing)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    thumbnail_bytes = b"".join(served.streaming_content)
    assert len(thumbnail_bytes) * 5 < len(b"".join(sent.streaming_content))
    assert Image.open(io.BytesIO(thumbnail_bytes)).size == (480, 360)


def test_the_ad_page_offers_copies_by_width_and_links_to_the_full_photo(alpha, client_for):
    classified = _post_ad(alpha, client_for, "Donne lampe")
    _publish(alpha, classified)
    with schema_context(alpha.schema_name):
        photo = classified.photos.get()
        original, thumbnail, medium = photo.image.url, photo.thumbnail.url, photo.medium.url

    page = client_for(alpha).get(f"{SECTION}annonce/{classified.pk}/").text

    assert f'srcset="{thumbnail} 480w, {medium} 960w"' in page
    assert f'<a href="{original}">' in page
    assert f'src="{original}"' not in page
    assert 'width="1600" height="1200"' in page  # the room it takes is known before it loads


def test_an_ad_awaiting_moderation_shows_none_of_its_photos_anywhere(alpha, client_for):
    classified = _post_ad(alpha, client_for, "Donne poussette")
    with schema_context(alpha.schema_name):
        classified.status = Classified.Status.AWAITING_MODERATION
        classified.save()
        photo = classified.photos.get()
        names = [photo.image.name, photo.thumbnail.name, photo.medium.name]
    browser = client_for(alpha)

    pages = [browser.get(path).text for path in ("/", SECTION, f"{SECTION}rss/")]
    detail = browser.get(f"{SECTION}annonce/{classified.pk}/")

    assert detail.status_code == 404
    for name in names:
        file_name = name.rsplit("/", 1)[-1]
        assert all(file_name not in page for page in pages)
    # Copies get names of their own: the thumbnail does not give away the original's.
    assert len({name.rsplit("/", 1)[-1].split("-")[0].split(".")[0] for name in names}) == 3


def test_an_ad_never_confirmed_goes_with_its_photo_and_copies(alpha, client_for):
    classified = _post_ad(alpha, client_for, "Donne table")
    with schema_context(alpha.schema_name):
        photo = classified.photos.get()
        storage = photo.image.storage
        names = [photo.image.name, photo.thumbnail.name, photo.medium.name]
        lifecycle.purge_unconfirmed(timezone.now() + datetime.timedelta(days=3))

        assert not any(storage.exists(name) for name in names)


def _as_before_copies(photo) -> None:
    """``photo`` as one sent before the copies existed (classifieds/0003): the original alone."""
    for copy in (photo.thumbnail, photo.medium):
        copy.delete(save=False)
    photo.thumbnail_width = photo.thumbnail_height = 0
    photo.save()


def test_photos_sent_before_copies_existed_get_them_at_the_next_maintenance(alpha, client_for):
    classified = _post_ad(alpha, client_for, "Donne poussette")
    _publish(alpha, classified)
    with schema_context(alpha.schema_name):
        photo = classified.photos.get()
        _as_before_copies(photo)
        original = photo.image.url
    browser = client_for(alpha)
    assert f'<img src="{original}"' in browser.get(SECTION).text

    with schema_context(alpha.schema_name):
        report = run_maintenance()
        photo.refresh_from_db()
        thumbnail = photo.thumbnail.url
        assert report.photos_copied == 1 and "1 photo(s) allégée(s)" in str(report)
        assert photo.medium and (photo.thumbnail_width, photo.thumbnail_height) == (480, 360)
        # Done once: the next night finds nothing to copy.
        assert run_maintenance().photos_copied == 0

    caches["pages"].clear()  # as the ad's next change or the cache's expiry would
    listing = browser.get(SECTION).text
    assert f'<img src="{thumbnail}"' in listing and original not in listing


def test_a_photo_whose_file_is_lost_is_skipped_and_the_others_copied(alpha, client_for):
    lost = _post_ad(alpha, client_for, "Donne chaise")
    kept = _post_ad(alpha, client_for, "Donne fauteuil")
    with schema_context(alpha.schema_name):
        photos = [lost.photos.get(), kept.photos.get()]
        for photo in photos:
            _as_before_copies(photo)
        photos[0].image.storage.delete(photos[0].image.name)

        copies = lifecycle.copy_older_photos()
        photos[1].refresh_from_db()
        assert photos[1].thumbnail

        assert copies.copied == 1
        assert copies.skipped == [f"annonce {lost.pk}, photo {photos[0].pk} (fichier introuvable)"]


def test_the_nightly_command_gives_an_older_ad_its_copies_and_its_card_the_small_one(
    alpha, client_for
):
    classified = _post_ad(alpha, client_for, "Donne landau")
    _publish(alpha, classified)
    with schema_context(alpha.schema_name):
        photo = classified.photos.get()
        _as_before_copies(photo)
        original = photo.image.url
    browser = client_for(alpha)
    assert f'<img src="{original}"' in browser.get(SECTION).text

    first, second = io.StringIO(), io.StringIO()
    call_command("classifieds_maintenance", portal=alpha.schema_name, stdout=first)
    call_command("classifieds_maintenance", portal=alpha.schema_name, stdout=second)

    with schema_context(alpha.schema_name):
        photo.refresh_from_db()
        thumbnail = photo.thumbnail.url
    assert "portail 1/1 : alpha … " in first.getvalue()
    assert "1 photo(s) allégée(s)" in first.getvalue()
    assert "0 photo(s) allégée(s)" in second.getvalue()  # done once
    # The photo's new copies changed the portal's pages: no cache to wait for.
    listing = browser.get(SECTION).text
    assert f'<img src="{thumbnail}"' in listing and original not in listing
    assert browser.get(thumbnail)["Content-Type"] == "image/webp"


def test_a_damaged_photo_is_named_and_skipped_and_the_run_goes_on(alpha, client_for):
    damaged = _post_ad(alpha, client_for, "Donne lampe")
    kept = _post_ad(alpha, client_for, "Donne table basse")
    with schema_context(alpha.schema_name):
        photos = [damaged.photos.get(), kept.photos.get()]
        for photo in photos:
            _as_before_copies(photo)
        storage = photos[0].image.storage
        # Half a JPEG, as a disk or a copy cut short would leave it.
        with storage.open(photos[0].image.name, "rb") as whole:
            start = whole.read(600)
        storage.delete(photos[0].image.name)
        storage.save(photos[0].image.name, io.BytesIO(start))
    out = io.StringIO()

    call_command("classifieds_maintenance", portal=alpha.schema_name, stdout=out)

    with schema_context(alpha.schema_name):
        for photo in photos:
            photo.refresh_from_db()
    assert not photos[0].thumbnail and photos[1].thumbnail
    assert f"annonce {damaged.pk}, photo {photos[0].pk} (fichier illisible)" in out.getvalue()
    assert "1 photo(s) allégée(s), 1 photo(s) illisible(s) ou introuvable(s)." in out.getvalue()


def test_broken_photos_do_not_hold_back_the_others(alpha, client_for):
    ads = [_post_ad(alpha, client_for, f"Donne objet {number}") for number in range(3)]
    with schema_context(alpha.schema_name):
        photos = [ad.photos.get() for ad in ads]
        for photo in photos:
            _as_before_copies(photo)
        photos[0].image.storage.delete(photos[0].image.name)

        copies = lifecycle.copy_older_photos(limit=1)

        assert (copies.copied, len(copies.skipped)) == (1, 1)
        photos[1].refresh_from_db()
        assert photos[1].thumbnail
