"""Activities sent to remote inboxes: signed (draft-cavage) and posted by the task queue,
retried with its backoff, recorded for the animators when they fail for good."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _
from django_tasks import task
from django_tenants.utils import schema_context

from core import outbound
from core.task_queue import BACKGROUND, retry_later
from fediverse.documents import ACTIVITY_JSON
from fediverse.keys import private_key
from fediverse.local_actors import BY_NAME, PORTAL
from fediverse.models import DeliveryFailure
from fediverse.remote import is_our_host
from fediverse.signatures import sign_cavage

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A remote inbox that did not take the activity."""


def _post(inbox: str, activity: dict[str, Any], sender: str = PORTAL.name) -> int:
    if is_our_host(inbox):
        # Refused rather than handed over in-process: none of our portals acts on what
        # another sends (they follow nobody), and a follower row naming one is forged.
        raise outbound.AddressRefused(
            _("Cette boîte de réception est celle d'un portail du réseau : rien n'y est envoyé.")
        )
    body = json.dumps(activity).encode()
    actor = BY_NAME[sender]
    headers = sign_cavage(private_key(actor.key()), actor.key_id(), inbox, body)
    headers["Content-Type"] = ACTIVITY_JSON
    headers["Accept"] = ACTIVITY_JSON
    del headers["Host"]  # http.client sends the same one, from the address
    response = outbound.post(inbox, body, headers=headers)
    if not 200 <= response.status < 300:
        raise DeliveryError(f"{inbox} a répondu {response.status}")
    return response.status


@task(backend=BACKGROUND)
def deliver(
    schema_name: str,
    inbox: str,
    activity: dict[str, Any],
    attempt: int = 1,
    sender: str = PORTAL.name,
) -> str:
    """Post ``activity`` of the portal ``schema_name`` to ``inbox``, signed by its actor
    ``sender`` (``fediverse.local_actors``); retry what may pass."""
    with schema_context(schema_name):
        try:
            status = _post(inbox, activity, sender)
        except (outbound.OutboundError, DeliveryError) as error:
            permanent = isinstance(error, outbound.AddressRefused)
            if permanent or not retry_later(
                deliver,
                error,
                attempt,
                schema_name=schema_name,
                inbox=inbox,
                activity=activity,
                sender=sender,
            ):
                DeliveryFailure.objects.create(
                    inbox=inbox,
                    activity_type=str(activity.get("type", ""))[:40],
                    error=str(error)[:500],
                    attempts=attempt,
                )
                logger.warning(
                    "ActivityPub delivery failed after %d attempt(s): %s", attempt, error
                )
                return f"échec ({error})"
            return f"nouvel essai programmé ({attempt + 1})"
    return f"remis ({status})"


def send(inbox: str, activity: dict[str, Any], sender: str = PORTAL.name) -> None:
    """Queue ``activity`` of the current portal's actor ``sender`` for ``inbox`` (in the
    caller's transaction)."""
    deliver.enqueue(
        schema_name=connection.schema_name, inbox=inbox, activity=activity, sender=sender
    )
