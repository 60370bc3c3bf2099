"""AVIF copies of pictures, written by the background worker rather than by a view.

An AVIF rendition takes about 0.9 s to encode here, thirty times a WebP one (``core.images``):
a view that met a picture without its AVIF copies calls ``ask_for_avif``, which queues one
``make_avif`` task per image and shape; the worker writes the copies in the image's portal,
and the next views of that picture list them first. ``PICTURES_AVIF = False`` turns the
copies off (the tests do, as they use a fast password hasher: a suite making every picture's
AVIF inline would spend minutes encoding; tests/core/test_avif_pictures.py turns them on).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tasks import task
from django_tenants.utils import schema_context
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from core.images import SHAPES
from core.task_queue import BACKGROUND

# A picture asked for again within this time is not queued twice (the task takes seconds,
# a worker busy with e-mails may take longer to reach it).
ASKED_FOR_SECONDS = 3600


def _asked_key(image_id: int, shape: str) -> str:
    # The cache's keys already carry the portal (core.cache_keys): image 7 of A is not B's.
    return f"avif-asked:{image_id}:{shape}"


def avif_to_look_for(image_id: int, shape: str, renditions_at_hand: bool = False) -> bool:
    """Whether a view should look for an image's AVIF copies: they are on, and either the
    image's renditions were read with it (``core.images``: looking costs nothing, and the
    copies show as soon as the worker has written them), or they were not asked of the
    worker and are still waiting (looking would cost a query on every view meanwhile).

    Read ahead, the cache is not asked: a listing of forty pictures whose copies exist
    asked it forty times (forty round trips to Redis), and without Redis a web process's
    own mark hid the copies for its hour."""
    if not getattr(settings, "PICTURES_AVIF", True):
        return False
    return renditions_at_hand or cache.get(_asked_key(image_id, shape)) is None


def ask_for_avif(image_id: int, shape: str) -> None:
    """Queue the AVIF copies of one image at one shape, once, in the current portal."""
    if not getattr(settings, "PICTURES_AVIF", True):
        return
    if cache.add(_asked_key(image_id, shape), True, ASKED_FOR_SECONDS):
        make_avif.enqueue(schema_name=connection.schema_name, image_id=image_id, shape=shape)


@task(backend=BACKGROUND, queue_name="images")
def make_avif(schema_name: str, image_id: int, shape: str) -> str:
    """Write image ``image_id``'s AVIF renditions at ``shape`` in portal ``schema_name``."""
    layout = SHAPES.get(shape)
    if layout is None:
        return "forme inconnue"
    with schema_context(schema_name):
        image = get_image_model().objects.filter(pk=image_id).first()
        if image is None:
            return "image supprimée entre-temps"
        try:
            # Wagtail's own path: it writes the missing ones and fills the renditions cache.
            image.get_renditions(*layout.later_specs())
        except SourceImageIOError:
            return "fichier de l'image introuvable"
        # The next view looks for the copies again, and finds them in the renditions cache.
        # With a cache per process (no REDIS_URL) the web's copy of the key lasts its hour:
        # only pictures read with their renditions (listings, covers) show them before.
        cache.delete(_asked_key(image_id, shape))
    return f"{len(layout.later_specs())} copies AVIF"
