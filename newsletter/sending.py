"""Sending an issue so that nothing is lost and nothing repeats.

    schedule ──> Dispatch(scheduled) ──start──> sending ──batches──> sent
                      │ cancel                   (one Delivery row per recipient)
                      ▼
                  cancelled

``start`` renders the issue once and records one pending ``Delivery`` per recipient
(unique per issue and subscriber). Each batch then locks up to ``batch_size`` pending rows
(``SKIP LOCKED``: two runs at once share the work instead of doubling it), sends them over
one SMTP connection and marks each row sent or failed before committing. A run cut off by
``max_batches``, a server that stops answering or a crash leaves the rest pending, and the
next run sends exactly those. (Only a crash between the server's "OK" and the batch's
commit could resend that one batch: the window is one batch, never the issue.)

This is the "Django mail" backend wagtail-newsletter's campaign interface has no room for:
see docs/operators.md.
"""

from __future__ import annotations

import contextlib
import datetime
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import tag_with_portal
from core.mail_queue import delivery_connection
from newsletter import addresses
from newsletter.models import Delivery, Dispatch, NewsletterPage, Subscriber
from newsletter.rendering import RenderedIssue, render_issue
from tenants.addresses import current_portal, portal_base_url

DispatchStatus = Dispatch.Status
DeliveryStatus = Delivery.Status


class SendingError(ValidationError):
    """A sending the issue's state does not allow (message in French)."""


@dataclass
class SendReport:
    """What one run did for one issue."""

    sent: int = 0
    failed: int = 0
    batches: int = 0
    remaining: int = 0
    interrupted: str = ""
    failures: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        text = _("%(sent)d envoyé(s), %(failed)d échec(s), %(remaining)d restant(s)") % {
            "sent": self.sent,
            "failed": self.failed,
            "remaining": self.remaining,
        }
        if self.interrupted:
            text += " · " + _("interrompu : %(reason)s") % {"reason": self.interrupted}
        return text


def recipients(page: NewsletterPage):
    """The active subscribers an issue goes to (those of its topics; all when it has none),
    but for the addresses a bounce or a complaint stopped (``bounces``)."""
    return Subscriber.objects.active().reachable().interested_in(list(page.topics))


def schedule(
    page: NewsletterPage,
    user: AbstractBaseUser | None,
    when: datetime.datetime | None = None,
) -> Dispatch:
    """Plan the sending of a published issue, now or later (``send_newsletters`` sends it)."""
    if not page.live:
        raise SendingError(_("Publiez ce numéro avant de l'envoyer : la lettre renvoie à sa page."))
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().filter(page=page).first()
        if dispatch and dispatch.status in {DispatchStatus.SENDING, DispatchStatus.SENT}:
            raise SendingError(_("Ce numéro a déjà été envoyé."))
        dispatch = dispatch or Dispatch(page=page)
        dispatch.status = DispatchStatus.SCHEDULED
        dispatch.scheduled_for = when or timezone.now()
        dispatch.requested_by = user if user and user.is_authenticated else None
        dispatch.save()
    return dispatch


def cancel(dispatch: Dispatch) -> Dispatch:
    """Call off a scheduled sending that has not started."""
    with transaction.atomic():
        locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if locked.status != DispatchStatus.SCHEDULED:
            raise SendingError(_("L'envoi a déjà commencé : il ne peut plus être annulé."))
        locked.status = DispatchStatus.CANCELLED
        locked.save(update_fields=["status"])
    return locked


def due(now: datetime.datetime | None = None):
    """The sendings to work on now: scheduled ones whose time has come, and unfinished ones."""
    now = now or timezone.now()
    return Dispatch.objects.filter(
        Q(status=DispatchStatus.SCHEDULED, scheduled_for__lte=now)
        | Q(status=DispatchStatus.SENDING)
    ).order_by("scheduled_for", "pk")


def start(dispatch: Dispatch) -> Dispatch:
    """Render the issue once and record a pending delivery for each recipient."""
    with transaction.atomic():
        locked = Dispatch.objects.select_for_update().select_related("page").get(pk=dispatch.pk)
        if locked.status != DispatchStatus.SCHEDULED:
            return locked  # started by another run, or already sending: resume as it is
        page = locked.page.specific
        rendered = render_issue(page)
        locked.subject, locked.html, locked.text = rendered.subject, rendered.html, rendered.text
        locked.status = DispatchStatus.SENDING
        locked.started_at = timezone.now()
        locked.save()
        Delivery.objects.bulk_create(
            (
                Delivery(dispatch=locked, subscriber_id=pk)
                for pk in recipients(page).values_list("pk", flat=True).iterator()
            ),
            batch_size=1000,
            ignore_conflicts=True,
        )
    return locked


@dataclass(frozen=True)
class Sender:
    """What every message of a portal shares, looked up once per batch, not per message."""

    name: str
    base_url: str
    from_email: str
    reply_to: tuple[str, ...]

    @classmethod
    def current(cls) -> Sender:
        portal = current_portal()
        base_url = portal_base_url(portal)
        return cls(
            name=portal.name,
            base_url=base_url,
            from_email=formataddr((portal.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
            reply_to=(portal.contact_email,) if portal.contact_email else (),
        )

    @property
    def host(self) -> str:
        return self.base_url.split("://", 1)[-1].split(":")[0]


def build_message(
    rendered: RenderedIssue, subscriber: Subscriber, connection=None, sender: Sender | None = None
) -> EmailMultiAlternatives:
    """The issue for one subscriber: text and HTML parts, their own links, RFC 8058 headers."""
    sender = sender or Sender.current()
    manage = addresses.manage_url(subscriber.pk, sender.base_url)
    unsubscribe = addresses.unsubscribe_url(subscriber.pk, sender.base_url)
    html_body, text_body = rendered.personalised(manage, unsubscribe)
    list_unsubscribe = f"<{unsubscribe}>"
    if settings.NEWSLETTER_UNSUBSCRIBE_MAILTO:
        list_unsubscribe += (
            f", <mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe>"
        )
    headers = {
        "List-Unsubscribe": list_unsubscribe,
        # RFC 8058: a mail client may POST "List-Unsubscribe=One-Click" to the https link.
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{sender.name} <infolettre.{sender.host}>",
    }
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text_body,
        from_email=sender.from_email,
        to=[subscriber.email],
        reply_to=list(sender.reply_to),
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html_body, "text/html")
    # The provider's bounce or complaint will name the portal (core/mail.py).
    return tag_with_portal(message)


# Errors that concern one address (refused, unknown mailbox): recorded, and the run goes on.
def _address_error(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def _deliver(batch: list[Delivery], rendered: RenderedIssue, report: SendReport):
    """Send one batch over one connection. Returns (sent ids, {failed id: reason}, error
    that stopped the batch or None)."""
    sent: list[int] = []
    failed: dict[int, str] = {}
    # Straight to the real backend, not the e-mail queue: this already runs outside
    # requests, batches its connections and records each delivery (core/mail_queue.py).
    connection = delivery_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        return sent, failed, error
    stopped = None
    sender = Sender.current()
    try:
        for delivery in batch:
            message = build_message(rendered, delivery.subscriber, connection, sender)
            try:
                connection.send_messages([message])
            except (OSError, smtplib.SMTPException) as error:
                if not _address_error(error):
                    stopped = error
                    break
                failed[delivery.pk] = str(error)[:500]
                report.failures.append((delivery.subscriber.email, str(error)[:200]))
            else:
                sent.append(delivery.pk)
    finally:
        # A server that already hung up leaves nothing to close.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    return sent, failed, stopped


def send_batches(
    dispatch: Dispatch,
    batch_size: int | None = None,
    max_batches: int | None = None,
    progress: Callable[[SendReport], None] | None = None,
) -> SendReport:
    """Send the pending deliveries of a started issue, batch by batch."""
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    rendered = RenderedIssue(dispatch.subject, dispatch.html, dispatch.text)
    report = SendReport()
    while max_batches is None or report.batches < max_batches:
        with transaction.atomic():
            batch = list(
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(dispatch=dispatch, status=DeliveryStatus.PENDING)
                .select_related("subscriber")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            # Who left since the issue started, or whose address bounced or complained,
            # gets nothing: their row goes.
            gone = [
                d.pk
                for d in batch
                if d.subscriber.status != Subscriber.Status.ACTIVE or d.subscriber.delivery_problem
            ]
            batch = [d for d in batch if d.pk not in gone]
            sent, failed, stopped = _deliver(batch, rendered, report)
            now = timezone.now()
            Delivery.objects.filter(pk__in=gone).delete()
            Delivery.objects.filter(pk__in=sent).update(status=DeliveryStatus.SENT, sent_at=now)
            for pk, reason in failed.items():
                Delivery.objects.filter(pk=pk).update(status=DeliveryStatus.FAILED, error=reason)
        report.batches += 1
        report.sent += len(sent)
        report.failed += len(failed)
        if progress:
            progress(report)
        if stopped is not None:
            report.interrupted = f"{type(stopped).__name__}: {stopped}"[:300]
            break
    report.remaining = dispatch.deliveries.filter(status=DeliveryStatus.PENDING).count()
    if not report.remaining:
        Dispatch.objects.filter(pk=dispatch.pk, status=DispatchStatus.SENDING).update(
            status=DispatchStatus.SENT, finished_at=timezone.now()
        )
    return report


def send_now(
    dispatch: Dispatch, batch_size: int | None = None, max_batches: int | None = None, progress=None
) -> SendReport:
    """Start (if need be) and send a due issue."""
    dispatch = start(dispatch)
    if dispatch.status != DispatchStatus.SENDING:
        return SendReport()
    return send_batches(dispatch, batch_size, max_batches, progress)


def send_test(page: NewsletterPage, email: str) -> None:
    """The issue as it stands (draft included) to one address, marked as a test; no record."""
    rendered = render_issue(page, addresses.absolute_url("/"), addresses.absolute_url("/"))
    test = RenderedIssue(
        _("[TEST] %(subject)s") % {"subject": rendered.subject}, rendered.html, rendered.text
    )
    message = build_message(test, Subscriber(pk=0, email=email))
    message.send()
