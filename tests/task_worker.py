"""The background worker's loop, run by a test when it wants: what ``db_worker`` does."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import get_public_schema_name, schema_context

# The background queue in the database, as production has it: a test enqueues, then runs
# the worker's loop (``run_worker``) when it chooses.
DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "email", "images"],
    },
}


def run_worker() -> int:
    """Run every task ready now, as ``db_worker`` does; the number run."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="background",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with schema_context(get_public_schema_name()):
            row = DBTaskResult.objects.ready().filter(backend_name="background").get_locked()
            if row is None:
                return ran
            row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
