"""AVIF, the lightest format, without a slow page: the first view of a picture serves WebP
and asks the worker for AVIF copies; once the worker has written them, pages list an AVIF
source first. Each portal's copies are made in that portal."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache, caches
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.images import get_image_model
from wagtail_factories import ImageFactory

from core.avif import _asked_key
from core.images import SHAPES
from portal.factories import ArticlePageFactory
from tests.task_worker import DATABASE_QUEUE, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def avif_by_the_worker(settings) -> None:
    """AVIF copies on (the tests' settings turn them off), queued as in production."""
    settings.PICTURES_AVIF = True
    settings.TASKS = DATABASE_QUEUE


def _article(portal, slug: str = "marche") -> int:
    with schema_context(portal.schema_name):
        cover = ImageFactory(title="Le marché", file__width=1600, file__height=900)
        ArticlePageFactory(slug=slug, title="Le marché du samedi", cover=cover, cover_alt="Étals")
        return cover.pk


def _queued_avif(image_id: int) -> list[DBTaskResult]:
    """The AVIF tasks queued for one image (other pages of the portal have theirs)."""
    with schema_context(get_public_schema_name()):
        return list(
            DBTaskResult.objects.filter(
                task_path="core.avif.make_avif", args_kwargs__kwargs__image_id=image_id
            )
        )


def _avif_sources(html: str) -> list[str]:
    return re.findall(r'<source [^>]*type="image/avif"[^>]*>', html)


def test_the_first_view_serves_webp_at_once_and_the_next_ones_avif(
    alpha, client_for, avif_by_the_worker
):
    image_id = _article(alpha)
    visitor = client_for(alpha)

    first = visitor.get("/actualites/marche/").text
    assert "image/webp" in first and not _avif_sources(first)
    # The page came without waiting for any AVIF: the copies wait for the worker.
    assert len(_queued_avif(image_id)) == 1

    run_worker()
    caches["pages"].clear()  # as the page cache's expiry would
    later = visitor.get("/actualites/marche/").text

    sources = _avif_sources(later)
    assert len(sources) == 1
    # Every width of the cover's shape, before the WebP source the browser would take next.
    assert re.search(r" 480w, .* 960w, .* 1440w", sources[0])
    assert later.index('type="image/avif"') < later.index('type="image/webp"')
    address = re.search(r'srcset="([^ ]+) ', sources[0]).group(1)
    with open(_media_path(alpha, address), "rb") as copy:
        assert copy.read(12)[4:12] == b"ftypavif"
    # Nothing more to make: no new task.
    assert run_worker() == 0


def test_a_listing_offers_the_copies_as_soon_as_the_worker_has_written_them(
    alpha, client_for, avif_by_the_worker
):
    image_id = _article(alpha, slug="en-liste")
    visitor = client_for(alpha)
    assert not _avif_sources(visitor.get("/actualites/").text)
    run_worker()
    # A web process without Redis keeps its own mark of the copies asked for its hour
    # (the worker's ``cache.delete`` reaches only its own memory).
    with schema_context(alpha.schema_name):
        cache.set(_asked_key(image_id, "card"), True)
    caches["pages"].clear()

    listing = visitor.get("/actualites/").text

    assert len(_avif_sources(listing)) == 1
    assert not run_worker()


def test_a_picture_seen_twice_before_the_worker_runs_is_queued_once(
    alpha, client_for, avif_by_the_worker
):
    image_id = _article(alpha, slug="deux-fois")
    visitor = client_for(alpha)
    visitor.get("/actualites/deux-fois/")
    caches["pages"].clear()
    visitor.get("/actualites/deux-fois/")

    assert len(_queued_avif(image_id)) == 1


def test_without_avif_copies_pages_list_webp_and_jpeg_and_queue_nothing(
    alpha, client_for, settings
):
    settings.TASKS = DATABASE_QUEUE  # PICTURES_AVIF stays off, as PICTURES_AVIF=0 sets it
    image_id = _article(alpha, slug="sans-avif")

    page = client_for(alpha).get("/actualites/sans-avif/").text

    assert "image/webp" in page and re.search(r'<img [^>]*src="[^"]+\.jpg"', page)
    assert not _avif_sources(page) and not _queued_avif(image_id)


def test_each_portal_gets_its_copies_in_its_own_schema(alpha, beta, client_for, avif_by_the_worker):
    """Image ids repeat from one portal to the next: the task carries its portal."""
    image_at_alpha = _article(alpha, slug="chez-alpha")
    with schema_context(beta.schema_name):
        ImageFactory.create_batch(3, title="Une autre image")

    client_for(alpha).get("/actualites/chez-alpha/")
    run_worker()

    later = SHAPES["figure"].later_specs()
    with schema_context(alpha.schema_name):
        made = get_image_model().objects.get(pk=image_at_alpha).renditions
        assert made.filter(filter_spec__in=later).count() == len(later)
    with schema_context(beta.schema_name):
        renditions = get_image_model().get_rendition_model().objects
        assert not renditions.filter(filter_spec__endswith="format-avif").exists()


def test_an_image_deleted_before_the_worker_runs_ends_its_task_quietly(
    alpha, client_for, avif_by_the_worker
):
    image_id = _article(alpha, slug="effacee")
    client_for(alpha).get("/actualites/effacee/")
    with schema_context(alpha.schema_name):
        get_image_model().objects.filter(pk=image_id).delete()

    run_worker()
    (task,) = _queued_avif(image_id)
    assert task.status == "SUCCESSFUL"


def _media_path(portal, address: str) -> str:
    """The file behind a rendition's address."""
    with schema_context(portal.schema_name):
        rendition = (
            get_image_model()
            .get_rendition_model()
            .objects.get(file__endswith=address.rsplit("/", 1)[-1])
        )
        return rendition.file.path
