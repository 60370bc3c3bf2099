"""A block of many writes (a portal's demo content) whose follow-up work is done once,
at its end, instead of after every row.

The search and reference indexes: every save of an indexed page or snippet runs two of
the framework's tasks, modelsearch's search index update and Wagtail's reference index
update (at once with the immediate backend, else queued). Seeding a portal saves each
page three times or more (created, its revision, published): the demo network's seeding
made about 5,000 index updates, a third of its time. Within ``bulk_writes()``, this
thread's saves are noted instead, and at the end each object noted is indexed once: the
search index one model at a time in bulk, the reference index one object at a time as
Wagtail's own task does.

Used by the demo's seeding, by the opening of a portal's sections
(``tenants.provisioning.fit_to_kind``) and by the page factories of the tests
(``core.factories``: a page added, revised and published, indexed once).

Saves made by other threads meanwhile (a test's live server) are indexed as usual: only
the thread inside the block is diverted.

The layers above defer their own follow-up work with ``defer_once`` (the cache's
generations, bumped at each row otherwise: core/caching.py): done once per key, at the
block's end, in the order first deferred.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

from asgiref.local import Local
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model, Q
from django.db.models.signals import post_delete, post_save
from modelcluster.fields import ParentalKey
from modelsearch import index as search_index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex

_noting = Local()
_diverted = False
_diverted_lock = threading.Lock()


def _auto_updated_models() -> list[type[Model]]:
    return [
        model
        for model in search_index.get_indexed_models()
        if getattr(model, "search_auto_update", True)
    ]


def _search_update_unless_noting(sender, instance: Model, **kwargs) -> None:
    # In place of modelsearch's handler while a block is open in any thread.
    if getattr(_noting, "block", None) is None:
        post_save_signal_handler(instance, **kwargs)


def _note_saved(sender, instance: Model, raw: bool = False, **kwargs) -> None:
    block = getattr(_noting, "block", None)
    if block is not None and not raw and instance.pk is not None:
        block.saved.setdefault(type(instance), set()).add(instance.pk)


def _note_deleted(sender, instance: Model, **kwargs) -> None:
    block = getattr(_noting, "block", None)
    if block is not None:
        block.deleted.append(instance)


def _divert() -> None:
    """Put the blocks' receivers in place of modelsearch's search index handler, once a
    process: outside a block they call it as it would have been called.

    They stay once the block ends. Swapping the receivers in and out at each block, as
    first done, emptied Django's cache of each signal's receivers twice a block, and every
    model's next save looked through all of them again: 2.7 ms a block, a block for each
    page a test's factory publishes (``core.factories``)."""
    global _diverted
    with _diverted_lock:
        if _diverted:
            return
        for model in _auto_updated_models():
            post_save.disconnect(post_save_signal_handler, sender=model)
            post_save.connect(_search_update_unless_noting, sender=model)
        post_save.connect(_note_saved, dispatch_uid="core.indexing.saved")
        post_delete.connect(_note_deleted, dispatch_uid="core.indexing.deleted")
        _diverted = True


class _Block:
    def __init__(self) -> None:
        self.saved: dict[type[Model], set[object]] = {}
        self.deleted: list[Model] = []
        self.deferred: dict[Hashable, Callable[[], None]] = {}


def defer_once(key: Hashable, work: Callable[[], None]) -> bool:
    """Within a ``bulk_writes()`` block of this thread, keep ``work`` for the block's end
    (once per ``key``) and say True; outside one, say False (do the work now)."""
    block = getattr(_noting, "block", None)
    if block is None:
        return False
    block.deferred.setdefault(key, work)
    return True


@contextmanager
def bulk_writes() -> Iterator[None]:
    """Within this block, this thread's saves update the search and reference indexes once
    each, and the work deferred with ``defer_once`` runs once, at the block's end (in the
    schema the block ran in: open it inside the schema)."""
    if getattr(_noting, "block", None) is not None:
        yield
        return
    # Imported here: core.caching imports this module while the apps' models load, and
    # Wagtail's signal handlers module loads the page model as it is imported.
    from wagtail.signal_handlers import disable_reference_index_auto_update

    block = _Block()
    _divert()
    _noting.block = block
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        del _noting.block
    _update_search_index(block.saved)
    _update_reference_index(block)
    for work in block.deferred.values():
        work()


def _update_search_index(saved: dict[type[Model], set[object]]) -> None:
    """Each saved object's indexed form (a page's specific page), added in bulk by type."""
    by_type: dict[type[Model], set[object]] = {}
    for model, pks in saved.items():
        if not search_index.class_is_indexed(model):
            continue
        for instance in model._default_manager.filter(pk__in=pks):
            indexed = instance.get_indexed_instance()
            if indexed is not None:
                by_type.setdefault(type(indexed), set()).add(indexed.pk)
    # A list: modelsearch gives a generator, which the first model would use up, and
    # every other model's objects went unindexed (the demo's pages were never found).
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in by_type.items():
        if not getattr(model, "search_auto_update", True):
            continue
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        for backend in backends:
            backend.add_bulk(model, objects)


def _update_reference_index(block: _Block) -> None:
    """What Wagtail's signal handlers would have done, once per object: its task's work
    (``wagtail.tasks.update_reference_index_task``: a child row, such as a show's time
    slot, indexes its parent instead), with each model's objects read in one query and
    the index rows of them all read, added and removed in one query each
    (``_write_references``), not three queries and a savepoint an object (a portal's demo
    saves some two hundred indexed objects)."""
    for instance in block.deleted:
        if ReferenceIndex.is_indexed(instance._meta.model):
            with transaction.atomic():
                ReferenceIndex.remove_for_object(instance)
                ReferenceIndex.remove_references_to(instance)
    tracked = set(ReferenceIndex.tracked_models)
    done: set[tuple[type[Model], object]] = set()
    owners: list[Model] = []
    for model, pks in block.saved.items():
        if model not in tracked and model._meta.concrete_model not in tracked:
            continue
        # Those deleted later in the block are not found, and not indexed.
        for instance in model._default_manager.filter(pk__in=pks).order_by("pk"):
            owner = _reference_owner(instance)
            if owner is None or not ReferenceIndex.is_indexed(owner._meta.model):
                continue
            key = (owner._meta.concrete_model, owner.pk)
            if key not in done:  # a parent of many saved children, indexed once
                done.add(key)
                owners.append(owner)
    with transaction.atomic():
        _write_references(owners)


def _write_references(owners: list[Model]) -> None:
    """``ReferenceIndex.create_or_update_for_object`` for each of ``owners``, the same rows
    added and removed, with one read of the existing rows, one insert and one delete for
    them all."""
    if not owners:
        return
    wanted: dict[tuple[int, str], tuple[int, set[tuple]]] = {}
    known_types: dict[tuple[int, str], set[int]] = {}
    for owner in owners:
        # This model's type and its ancestors', most specific first, as Wagtail's.
        types = [
            ContentType.objects.get_for_model(model_or_object, for_concrete_model=False)
            for model_or_object in [owner, *owner._meta.get_parent_list()]
        ]
        key = (types[-1].id, str(owner.pk))
        references = set(ReferenceIndex._extract_references_from_object(owner))
        wanted[key] = (types[0].id, references)
        known_types[key] = {content_type.id for content_type in types}
    by_base: dict[int, list[str]] = {}
    for base_type_id, object_id in wanted:
        by_base.setdefault(base_type_id, []).append(object_id)
    match = Q()
    for base_type_id, object_ids in by_base.items():
        match |= Q(base_content_type_id=base_type_id, object_id__in=object_ids)
    existing: dict[tuple[int, str], dict[tuple, tuple[int, int]]] = {}
    for row in ReferenceIndex.objects.filter(match).values_list(
        "id",
        "content_type_id",
        "base_content_type_id",
        "object_id",
        "to_content_type",
        "to_object_id",
        "model_path",
        "content_path",
    ):
        row_id, type_id, base_type_id, object_id, *reference = row
        existing.setdefault((base_type_id, object_id), {})[tuple(reference)] = (type_id, row_id)
    new_rows = []
    stale_ids = []
    for (base_type_id, object_id), (type_id, references) in wanted.items():
        present = existing.get((base_type_id, object_id), {})
        new_rows.extend(
            ReferenceIndex(
                content_type_id=type_id,
                base_content_type_id=base_type_id,
                object_id=object_id,
                to_content_type_id=to_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_type_id, to_object_id, model_path, content_path in references - set(present)
        )
        # A row recorded under a more specific type than this one (a page indexed as
        # its specific page) is not this object's to remove: Wagtail keeps it too.
        stale_ids.extend(
            row_id
            for reference, (row_type_id, row_id) in present.items()
            if reference not in references and row_type_id in known_types[(base_type_id, object_id)]
        )
    ReferenceIndex.objects.bulk_create(
        new_rows, ignore_conflicts=connection.features.supports_ignore_conflicts
    )
    if stale_ids:
        ReferenceIndex.objects.filter(id__in=stale_ids).delete()


def _reference_owner(instance: Model) -> Model | None:
    """The object whose references ``instance`` holds: itself, or the parent its
    ``ParentalKey`` points to (up to the top), as Wagtail's task finds it; None for a
    child without a parent."""
    while True:
        parental_keys = [
            field for field in instance._meta.get_fields() if isinstance(field, ParentalKey)
        ]
        if not parental_keys:
            return instance
        instance = getattr(instance, parental_keys[0].name)
        if instance is None:
            return None
