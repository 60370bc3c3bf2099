"""Every e-mail leaves the request: an e-mail backend that queues, a task that delivers.

``EMAIL_BACKEND`` is ``QueuedEmailBackend``: whatever sends a message (a feature's
``EmailMessage.send()``, Wagtail's notifications, ``send_mail``) only writes one task per
message, in the request's transaction, carrying the portal's schema and the message as
JSON. The worker (``core.task_queue``) then delivers it in that schema through the real
backend, ``EMAIL_DELIVERY_BACKEND`` (SMTP in production). A mail server that hangs or
refuses no longer holds a visitor's request nor turns a saved ad into a 500 page; a
temporary refusal (4xx, a connection that fails) is retried after 1, 5 and 30 minutes; a
permanent one (5xx) fails at once and waits in the network's admin.

Bulk sending (the newsletter) does not go through here: it already runs outside requests
(``send_newsletters``), records each delivery and batches its SMTP connections, so it
talks to the delivery backend directly (``delivery_connection``).
"""

from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django_tasks import task
from django_tenants.utils import schema_context

from core.task_queue import BACKGROUND, retry_later

logger = logging.getLogger(__name__)

QUEUED_BACKEND = "core.mail_queue.QueuedEmailBackend"


def delivery_backend() -> str:
    """The backend that really sends: ``EMAIL_DELIVERY_BACKEND`` behind the queue, or
    ``EMAIL_BACKEND`` itself when something set a real one (a test, a bench)."""
    if settings.EMAIL_BACKEND == QUEUED_BACKEND:
        return settings.EMAIL_DELIVERY_BACKEND
    return settings.EMAIL_BACKEND


def delivery_connection(**options: Any) -> BaseEmailBackend:
    """A connection of the real backend, for senders that batch and record deliveries
    themselves outside requests (the newsletter)."""
    return get_connection(delivery_backend(), fail_silently=False, **options)


# --- The message as JSON, and back ------------------------------------------------------


def _content(value: str | bytes) -> dict[str, str]:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return {"text": value}


def _uncontent(value: dict[str, str]) -> str | bytes:
    if "base64" in value:
        return base64.b64decode(value["base64"])
    return value["text"]


def serialize(message: EmailMessage) -> dict[str, Any]:
    """What a task needs to rebuild ``message``: every field Django sends."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            # A ready-made MIME part: none of ours uses one; attach (name, content, type).
            raise TypeError("Les pièces jointes MIME toutes faites ne passent pas la file.")
        filename, content, mimetype = attachment
        attachments.append({"filename": filename, "mimetype": mimetype, **_content(content)})
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {name: str(value) for name, value in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "mixed_subtype": message.mixed_subtype,
        "encoding": message.encoding,
        "alternatives": [
            {"mimetype": mimetype, **_content(content)}
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def deserialize(data: dict[str, Any]) -> EmailMultiAlternatives:
    """The message ``serialize`` described, ready for the delivery backend."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["content_subtype"]
    message.mixed_subtype = data["mixed_subtype"]
    message.encoding = data["encoding"]
    for alternative in data["alternatives"]:
        message.attach_alternative(_uncontent(alternative), alternative["mimetype"])
    for attachment in data["attachments"]:
        message.attach(attachment["filename"], _uncontent(attachment), attachment["mimetype"])
    return message


# --- Queue and delivery -----------------------------------------------------------------


def _permanent(error: Exception) -> bool:
    """A refusal that waiting will not change: the server's 5xx, every recipient refused."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


@task(backend=BACKGROUND, queue_name="email")
def deliver_email(schema_name: str, message: dict[str, Any], attempt: int = 1) -> str:
    """Send one queued message from its portal's schema; retry a temporary failure."""
    with schema_context(schema_name):
        try:
            sent = delivery_connection().send_messages([deserialize(message)])
        except (OSError, smtplib.SMTPException) as error:
            if _permanent(error) or not retry_later(
                deliver_email, error, attempt, schema_name=schema_name, message=message
            ):
                # Logged as an error: the error reporting (Sentry) sees it with its portal.
                logger.error("E-mail not delivered after %d attempt(s): %s", attempt, error)
                raise
            return f"nouvel essai programmé ({attempt + 1})"
    return f"envoyé ({sent})"


class QueuedEmailBackend(BaseEmailBackend):
    """Queues each message as a ``deliver_email`` task of the current portal."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            # Written in the caller's transaction: a rolled-back action sends nothing.
            deliver_email.enqueue(schema_name=connection.schema_name, message=serialize(message))
            count += 1
        return count
