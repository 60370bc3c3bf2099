"""Work that runs beside the requests: the network's queue of background tasks.

Django's tasks framework (the ``django-tasks`` backport Wagtail installs) with the
database backend of ``django-tasks-db``: one table in ``public``
(``django_tasks_db_dbtaskresult``) that every portal's requests write to and one worker
process (``manage.py db_worker --backend background``) reads. A row is written in the
transaction of the request that asked for it, so a task exists if and only if what it is
about was committed, and the worker never sees it before.

Each task carries the schema of its portal and runs in it (DESIGN.md, "Work outside the
request carries no tenant"). Wagtail's own tasks stay on the ``default`` alias, immediate,
inside the request's schema; ours use ``background`` (``BACKGROUND``).

A task that fails for a reason that may pass (a mail server saying "try later") is
enqueued again after ``TASK_RETRY_DELAYS`` (1, 5, then 30 minutes); past the last one it
fails for good and waits in the network's admin (*Réseau > Tâches en échec*) for a
person to read its error and relaunch it (``relaunch``).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tenants.utils import get_public_schema_name, schema_context

# The TASKS alias of our background work (Wagtail's stays "default", immediate).
BACKGROUND = "background"


def retry_delays() -> list[datetime.timedelta]:
    """The waits before the second, third... attempt (``TASK_RETRY_DELAYS``, seconds)."""
    return [datetime.timedelta(seconds=s) for s in settings.TASK_RETRY_DELAYS]


def max_attempts() -> int:
    """Attempts a task gets before it waits for a person: the first, then one per delay."""
    return len(settings.TASK_RETRY_DELAYS) + 1


def retry_later(task: Task, error: Exception, attempt: int, **kwargs: Any) -> bool:
    """Enqueue attempt ``attempt + 1`` of ``task`` after its delay; False when the attempts
    are spent or the backend cannot defer (the immediate one of the tests and of a
    worker-less setup): the caller then lets ``error`` fail the task."""
    delays = retry_delays()
    if attempt > len(delays) or not task.get_backend().supports_defer:
        return False
    task.using(run_after=timezone.now() + delays[attempt - 1]).enqueue(
        **kwargs, attempt=attempt + 1
    )
    return True


@dataclass(frozen=True)
class FailedTask:
    """A task that spent its attempts, as the network's admin shows it."""

    id: str
    label: str
    schema_name: str
    attempts: int
    error: str
    finished_at: datetime.datetime | None


# What staff read instead of a dotted path; a task not listed shows its path.
TASK_LABELS = {
    "core.mail_queue.deliver_email": "Envoi d'un e-mail",
    "core.avif.make_avif": "Copies AVIF d'une image",
}


def _error_summary(row: DBTaskResult) -> str:
    """The exception's class and message: the last line of its traceback."""
    lines = [line for line in row.traceback.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else row.exception_class_path)[:500]


def failed_tasks(limit: int = 200) -> list[FailedTask]:
    """The tasks that failed for good, newest first (read from ``public`` knowingly)."""
    with schema_context(get_public_schema_name()):
        rows = list(
            DBTaskResult.objects.failed()
            .filter(backend_name=BACKGROUND)
            .order_by("-finished_at")[:limit]
        )
    return [
        FailedTask(
            id=str(row.id),
            label=TASK_LABELS.get(row.task_path, row.task_path),
            schema_name=row.args_kwargs.get("kwargs", {}).get("schema_name", ""),
            attempts=row.args_kwargs.get("kwargs", {}).get("attempt", 1),
            error=_error_summary(row),
            finished_at=row.finished_at,
        )
        for row in rows
    ]


def relaunch(task_id: str) -> bool:
    """Enqueue a failed task again from its first attempt, and forget the failure.

    False when there is no such failed task (relaunched already by someone else, or an
    id that is not one)."""
    try:
        task_id = str(uuid.UUID(task_id))
    except ValueError:
        return False
    with schema_context(get_public_schema_name()), transaction.atomic():
        row = (
            DBTaskResult.objects.select_for_update()
            .filter(id=task_id, status=TaskResultStatus.FAILED, backend_name=BACKGROUND)
            .first()
        )
        if row is None:
            return False
        kwargs = {**row.args_kwargs.get("kwargs", {}), "attempt": 1}
        # The task as its code declares it (now, on its own backend), not ``row.task``,
        # which carries the failed attempt's run_after.
        task = import_string(row.task_path)
        if not isinstance(task, Task):
            return False
        task.enqueue(*row.args_kwargs.get("args", []), **kwargs)
        row.delete()
    return True


def queue_delay(now: datetime.datetime | None = None) -> datetime.timedelta:
    """How long the oldest task that could run has been waiting (zero when none waits).

    A task is due from its ``run_after`` when it was deferred, else from its enqueueing;
    a delay that grows means no worker is running, or too few."""
    now = now or timezone.now()
    if not isinstance(task_backends[BACKGROUND], DatabaseBackend):
        return datetime.timedelta(0)
    with schema_context(get_public_schema_name()):
        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY, backend_name=BACKGROUND)
        oldest_enqueued = ready.filter(run_after=get_date_max()).order_by("enqueued_at").first()
        oldest_deferred = ready.filter(run_after__lte=now).order_by("run_after").first()
    due = [
        moment
        for moment in (
            oldest_enqueued.enqueued_at if oldest_enqueued else None,
            oldest_deferred.run_after if oldest_deferred else None,
        )
        if moment is not None
    ]
    return max(now - min(due), datetime.timedelta(0)) if due else datetime.timedelta(0)
