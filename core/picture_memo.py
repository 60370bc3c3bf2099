"""Pictures' HTML written once per process for the renditions it is written from.

A listing's images come with their renditions (``core.images``: Wagtail's
``prefetched_renditions``). Writing each ``<picture>`` from them (Wagtail matching each
filter's focal-point key, the storage's address of each file, every attribute escaped)
was profiled at about a twelfth of a cold home page (issue 25 §2), for HTML that comes out
the same at every request.

``written_once`` keeps a picture's HTML under everything it is written from: the portal
(its storage's addresses), the image (its id, size and focal point, which choose among
renditions), each rendition read with it (id, filter, focal-point key, file, size), and
what the template asks (shape, attributes). A rendition made, changed or deleted, a focal
point moved, another portal: another key. Only HTML written from renditions that were all
found is kept: one that had to be made while writing is written again next time, from
the rows read then. An image without its renditions read ahead is written at each call.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection

from core.images import RENDITIONS_ATTRIBUTE
from core.process_memo import MISSING, ProcessMemo

# Pictures kept, the least recently used dropped first: a portal's pages show a few
# hundred.
_kept: ProcessMemo[Any] = ProcessMemo(4096)

Written = TypeVar("Written")


def _file_name(rendition: Any) -> str:
    """The rendition's file name, without making Django's ``FieldFile`` for it."""
    value = rendition.__dict__.get("file")
    return value if isinstance(value, str) else getattr(value, "name", "")


def image_identity(image: Any) -> tuple | None:
    """What chooses and addresses ``image``'s renditions, or None when its renditions were
    not read with it (then a rendition may come from elsewhere: nothing is kept)."""
    renditions = getattr(image, RENDITIONS_ATTRIBUTE, None)
    if renditions is None:
        return None
    return (
        image.pk,
        image.width,
        image.height,
        image.focal_point_x,
        image.focal_point_y,
        image.focal_point_width,
        image.focal_point_height,
        tuple(
            (
                rendition.pk,
                rendition.filter_spec,
                rendition.focal_point_key,
                _file_name(rendition),
                rendition.width,
                rendition.height,
            )
            for rendition in renditions
        ),
    )


def written_once(image: Any, parts: Hashable, write: Callable[[], tuple[Written, bool]]) -> Written:
    """What ``write()`` gives for ``image`` and ``parts`` (what the template asks), written
    once a process for the same portal, image and renditions. ``write`` answers (what it
    wrote, whether it may be kept)."""
    identity = image_identity(image)
    if identity is None:
        return write()[0]
    key = (connection.schema_name, identity, parts)
    written = _kept.found(key)
    if written is MISSING:
        written, keep = write()
        if keep:
            _kept.keep(key, written)
    return written
