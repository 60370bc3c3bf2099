"""Activities sent to remote inboxes: signed (draft-cavage) and posted by the task queue,
retried with its backoff, recorded for the animators when they fail for good.

Every delivery first asks the remote server's health (``fediverse.servers.health``, shared
by all portals): while the server is paused, the delivery is deferred to the pause's end
(not counted as an attempt, never dropped), then reports how it went.

``deliver_signed`` posts an activity signed beforehand: what a portal sends as it is
deleted (``fediverse.farewell``) must go out after its schema, and its key, are gone.
"""

from __future__ import annotations

import datetime
import json
import logging
from email.utils import parsedate_to_datetime
from typing import Any

from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import Task
from django_tenants.utils import schema_context, schema_exists

from core import outbound
from core.task_queue import BACKGROUND, retry_later
from fediverse.documents import ACTIVITY_JSON
from fediverse.keys import private_key
from fediverse.local_actors import BY_NAME, PORTAL
from fediverse.models import DeliveryFailure
from fediverse.remote import is_our_host
from fediverse.servers import health
from fediverse.signatures import sign_cavage

logger = logging.getLogger(__name__)

# What the remote servers accept of a signature's age: Mastodon 12 hours. A delivery
# signed beforehand (``deliver_signed``) is not sent once its signature is this old.
SIGNATURE_LIFETIME = datetime.timedelta(hours=11)


class DeliveryError(Exception):
    """A remote inbox that did not take the activity."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def signed_request(
    inbox: str,
    activity: dict[str, Any],
    signing_key_id: str | None = None,
    sender: str = PORTAL.name,
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a POST of ``activity`` to ``inbox``, signed with the key of
    the current portal's actor ``sender`` (``fediverse.local_actors``) under
    ``signing_key_id`` (the actor's key id by default; a former address's for a ``Move``)."""
    actor = BY_NAME[sender]
    body = json.dumps(activity).encode()
    headers = sign_cavage(private_key(actor.key()), signing_key_id or actor.key_id(), inbox, body)
    headers["Content-Type"] = ACTIVITY_JSON
    headers["Accept"] = ACTIVITY_JSON
    del headers["Host"]  # http.client sends the same one, from the address
    return body, headers


def _post(inbox: str, body: bytes, headers: dict[str, str]) -> int:
    if is_our_host(inbox):
        # Refused rather than handed over in-process: none of our portals acts on what
        # another sends (they follow nobody), and a follower row naming one is forged.
        raise outbound.AddressRefused(
            _("Cette boîte de réception est celle d'un portail du réseau : rien n'y est envoyé.")
        )
    response = outbound.post(inbox, body, headers=headers)
    if not 200 <= response.status < 300:
        raise DeliveryError(f"{inbox} a répondu {response.status}", response.status)
    return response.status


def _is_server_failure(error: Exception) -> bool:
    """Whether ``error`` says the server is unwell (unreachable, too slow, 5xx, 429), as
    opposed to refusing one activity (4xx) or being an address we never deliver to."""
    if isinstance(error, DeliveryError):
        return error.status >= 500 or error.status == 429
    return not isinstance(error, (outbound.AddressRefused, outbound.TooLarge))


def _send_and_report(inbox: str, body: bytes, headers: dict[str, str]) -> int:
    """Post, and tell the server's health record how it went."""
    server = health.server_of(inbox)
    try:
        status = _post(inbox, body, headers)
    except (outbound.OutboundError, DeliveryError) as error:
        if _is_server_failure(error):
            health.record_failure(server, str(error))
        elif isinstance(error, DeliveryError):
            health.record_success(server)  # it answered: it is up
        raise
    health.record_success(server)
    return status


def _defer(delivery: Task, until: datetime.datetime, **kwargs: Any) -> bool:
    """Enqueue ``delivery`` again for ``until``, the same attempt; False when the backend
    cannot defer (immediate: no worker)."""
    if not delivery.get_backend().supports_defer:
        return False
    delivery.using(run_after=until).enqueue(**kwargs)
    return True


def carried_type(activity: dict[str, Any]) -> str:
    """The type of the object ``activity`` carries; for a ``Delete``, what it was."""
    carried = activity.get("object")
    if not isinstance(carried, dict):
        return ""
    return str(carried.get("formerType") or carried.get("type") or "")[:40]


def paused_message(server: str, until: datetime.datetime) -> str:
    """What the animators read of a server on pause."""
    return _("Le serveur %(server)s est en pause jusqu'au %(until)s.") % {
        "server": server,
        "until": formats.date_format(timezone.localtime(until), "DATETIME_FORMAT"),
    }


@task(backend=BACKGROUND)
def deliver(
    schema_name: str,
    inbox: str,
    activity: dict[str, Any],
    attempt: int = 1,
    signing_key_id: str | None = None,
    sender: str = PORTAL.name,
) -> str:
    """Post ``activity`` of the portal ``schema_name``'s actor ``sender`` to ``inbox``;
    retry what may pass; wait while the inbox's server is paused."""
    kwargs: dict[str, Any] = {"schema_name": schema_name, "inbox": inbox, "activity": activity}
    if signing_key_id:
        kwargs["signing_key_id"] = signing_key_id
    if sender != PORTAL.name:
        kwargs["sender"] = sender
    if not schema_exists(schema_name):
        # Deleted meanwhile: its key went with it (its actor's Delete left on its own).
        return "abandonné (portail supprimé)"
    server = health.server_of(inbox)
    with schema_context(schema_name):
        paused_until = health.paused_until(server)
        try:
            if paused_until is not None:
                if _defer(deliver, paused_until, **kwargs, attempt=attempt):
                    return f"différé ({server} en pause)"
                raise outbound.OutboundError(paused_message(server, paused_until))
            body, headers = signed_request(inbox, activity, signing_key_id, sender)
            status = _send_and_report(inbox, body, headers)
        except (outbound.OutboundError, DeliveryError) as error:
            permanent = isinstance(error, outbound.AddressRefused) or paused_until is not None
            if permanent or not retry_later(deliver, error, attempt, **kwargs):
                DeliveryFailure.objects.create(
                    inbox=inbox,
                    activity_type=str(activity.get("type", ""))[:40],
                    object_type=carried_type(activity),
                    error=str(error)[:500],
                    attempts=attempt,
                )
                logger.warning(
                    "ActivityPub delivery failed after %d attempt(s): %s", attempt, error
                )
                return f"échec ({error})"
            return f"nouvel essai programmé ({attempt + 1})"
    return f"remis ({status})"


def send(
    inbox: str,
    activity: dict[str, Any],
    signing_key_id: str | None = None,
    sender: str = PORTAL.name,
) -> None:
    """Queue ``activity`` of the current portal's actor ``sender`` for ``inbox`` (in the
    caller's transaction), signed with the actor's key id, or ``signing_key_id``."""
    extra: dict[str, Any] = {"signing_key_id": signing_key_id} if signing_key_id else {}
    if sender != PORTAL.name:
        extra["sender"] = sender
    deliver.enqueue(schema_name=connection.schema_name, inbox=inbox, activity=activity, **extra)


def _signed_at(headers: dict[str, str]) -> datetime.datetime | None:
    try:
        return parsedate_to_datetime(headers.get("Date", ""))
    except (TypeError, ValueError):
        return None


@task(backend=BACKGROUND)
def deliver_signed(
    portal: str, inbox: str, body: str, headers: dict[str, str], attempt: int = 1
) -> str:
    """Post ``body`` with the ``headers`` it was signed with to ``inbox``: a delivery that
    needs nothing of its portal's schema (gone by then). Retried and paused like the
    others while its signature is young enough to be believed (``SIGNATURE_LIFETIME``);
    a failure for good is only logged, there is no portal left to show it to."""
    kwargs = {"portal": portal, "inbox": inbox, "body": body, "headers": headers}
    server = health.server_of(inbox)
    signed_at = _signed_at(headers)
    stale = signed_at is None or timezone.now() - signed_at > SIGNATURE_LIFETIME
    paused_until = health.paused_until(server)
    if paused_until is not None and not stale and _defer(deliver_signed, paused_until, **kwargs):
        return f"différé ({server} en pause)"
    try:
        if stale or paused_until is not None:
            raise outbound.OutboundError(f"{server}: paused or signature too old")
        status = _send_and_report(inbox, body.encode(), headers)
    except (outbound.OutboundError, DeliveryError) as error:
        permanent = isinstance(error, outbound.AddressRefused) or stale or bool(paused_until)
        if permanent or not retry_later(deliver_signed, error, attempt, **kwargs):
            logger.warning(
                "ActivityPub delivery of deleted portal %s failed after %d attempt(s): %s",
                portal,
                attempt,
                error,
            )
            return f"échec ({error})"
        return f"nouvel essai programmé ({attempt + 1})"
    return f"remis ({status})"
