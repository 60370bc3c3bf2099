"""The life of an ad, in one place: every change of state is a function here.

    awaiting_confirmation ──confirm──> awaiting_moderation ──approve──> published
            │ (48 h)                      ▲        │                    │  │
            ▼                             │        └──reject──> rejected │  │ (lifetime)
         deleted            edit / reports│                              │  ▼
                                          └──────────────────────────────┘ expired
    withdraw: by the author, from any state but rejected and withdrawn.
    extend: published or expired -> published for another lifetime.

Each function locks the ad, checks its current state, records who did it and why
(``ClassifiedStatusChange``), then sends the e-mail once the change is saved. Views,
the admin, the maintenance command and the demo seed all call these functions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classifieds import notifications
from classifieds.addresses import classifieds_section
from classifieds.models import (
    THUMBNAIL_WIDTHS,
    Classified,
    ClassifiedPhoto,
    ClassifiedReport,
    ClassifiedStatusChange,
)
from core.photos import UNREADABLE_PHOTO_ERRORS, scaled_copy

Status = Classified.Status
Actor = ClassifiedStatusChange.Actor

DEFAULT_LIFETIME_DAYS = 30
DEFAULT_REPORTS_BEFORE_REVIEW = 3
REMINDER_DAYS_BEFORE_EXPIRY = 3
UNCONFIRMED_HOURS = 48

EDITABLE = {Status.AWAITING_MODERATION, Status.PUBLISHED, Status.REJECTED, Status.EXPIRED}
WITHDRAWABLE = {
    Status.AWAITING_CONFIRMATION,
    Status.AWAITING_MODERATION,
    Status.PUBLISHED,
    Status.EXPIRED,
}
EXTENDABLE = {Status.PUBLISHED, Status.EXPIRED}
REJECTABLE = {Status.AWAITING_MODERATION, Status.PUBLISHED}


class TransitionError(ValidationError):
    """A change the ad's current state does not allow (message in French)."""


def lifetime_days() -> int:
    """How long an ad stays published on this portal (set on the classifieds page)."""
    page = classifieds_section()
    return page.ad_lifetime_days if page else DEFAULT_LIFETIME_DAYS


def reports_before_review() -> int:
    page = classifieds_section()
    return page.reports_before_review if page else DEFAULT_REPORTS_BEFORE_REVIEW


def _move(
    classified: Classified,
    to: str,
    allowed_from: Iterable[str],
    actor: str,
    user: AbstractBaseUser | None = None,
    reason: str = "",
    **fields: object,
) -> Classified:
    """Lock the ad, check its state, change it and record the change. Call in a transaction."""
    locked = Classified.objects.select_for_update().get(pk=classified.pk)
    if locked.status not in allowed_from:
        raise TransitionError(
            _("Cette annonce est %(status)s : cette action n'est plus possible."),
            params={"status": locked.get_status_display()},
            code="invalid_transition",
        )
    previous = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    ClassifiedStatusChange.objects.create(
        classified=locked,
        from_status=previous,
        to_status=to,
        actor=actor,
        user=user if user and user.is_authenticated else None,
        reason=reason,
    )
    return locked


def submit(classified: Classified, photos: Sequence[ContentFile] = ()) -> Classified:
    """Save a new ad from the public form and e-mail its author the confirmation link."""
    with transaction.atomic():
        classified.status = Status.AWAITING_CONFIRMATION
        classified.save()
        _attach_photos(classified, photos)
        ClassifiedStatusChange.objects.create(
            classified=classified,
            from_status="",
            to_status=Status.AWAITING_CONFIRMATION,
            actor=Actor.AUTHOR,
            reason=_("Annonce déposée"),
        )
    notifications.to_author(classified, "confirm", _("Confirmez votre petite annonce"))
    return classified


def confirm(classified: Classified) -> Classified:
    """The author opened the link: the ad waits for moderation; they get their private link."""
    with transaction.atomic():
        classified = _move(
            classified,
            Status.AWAITING_MODERATION,
            {Status.AWAITING_CONFIRMATION},
            Actor.AUTHOR,
            reason=_("Adresse e-mail confirmée"),
            confirmed_at=timezone.now(),
        )
    notifications.to_author(classified, "received", _("Votre annonce est confirmée"))
    return classified


def approve(classified: Classified, user: AbstractBaseUser, reason: str = "") -> Classified:
    """A moderator publishes the ad for one lifetime; the author is told."""
    now = timezone.now()
    with transaction.atomic():
        classified = _move(
            classified,
            Status.PUBLISHED,
            {Status.AWAITING_MODERATION},
            Actor.MODERATOR,
            user,
            reason,
            published_at=now,
            expires_at=now + datetime.timedelta(days=lifetime_days()),
            reminder_sent_at=None,
            report_count=0,
        )
    notifications.to_author(classified, "published", _("Votre annonce est publiée"))
    return classified


def reject(classified: Classified, user: AbstractBaseUser, reason: str) -> Classified:
    """A moderator refuses the ad, with a reason that is e-mailed to the author."""
    reason = reason.strip()
    if not reason:
        raise TransitionError(_("Indiquez le motif du refus : il est envoyé à l'auteur·rice."))
    with transaction.atomic():
        classified = _move(classified, Status.REJECTED, REJECTABLE, Actor.MODERATOR, user, reason)
    notifications.to_author(
        classified, "rejected", _("Votre annonce n'a pas été publiée"), reason=reason
    )
    return classified


def withdraw(classified: Classified) -> Classified:
    """The author takes their ad down, from their private link."""
    with transaction.atomic():
        return _move(
            classified,
            Status.WITHDRAWN,
            WITHDRAWABLE,
            Actor.AUTHOR,
            reason=_("Retirée par l'auteur·rice"),
        )


def extend(classified: Classified) -> Classified:
    """The author keeps their ad online for another lifetime, from today."""
    now = timezone.now()
    with transaction.atomic():
        return _move(
            classified,
            Status.PUBLISHED,
            EXTENDABLE,
            Actor.AUTHOR,
            reason=_("Prolongée par l'auteur·rice"),
            expires_at=now + datetime.timedelta(days=lifetime_days()),
            reminder_sent_at=None,
        )


def save_edit(classified: Classified, photos: Sequence[ContentFile] | None = None) -> Classified:
    """Save the author's changes; a published, refused or expired ad goes back to moderation.

    ``photos``, when given, replace the ad's photos.
    """
    with transaction.atomic():
        current = Classified.objects.select_for_update().get(pk=classified.pk)
        if current.status not in EDITABLE:
            raise TransitionError(_("Cette annonce ne peut plus être modifiée."))
        classified.status = current.status
        classified.save()
        if photos is not None:
            _delete_photos(classified.photos.all())
            _attach_photos(classified, photos)
        if current.status == Status.AWAITING_MODERATION:
            return classified
        return _move(
            classified,
            Status.AWAITING_MODERATION,
            EDITABLE,
            Actor.AUTHOR,
            reason=_("Modifiée par l'auteur·rice"),
        )


def report(classified: Classified, reason: str) -> Classified:
    """Record a visitor's report; past the portal's threshold the ad goes back to moderation."""
    with transaction.atomic():
        locked = Classified.objects.select_for_update().get(pk=classified.pk)
        ClassifiedReport.objects.create(classified=locked, reason=reason)
        locked.report_count += 1
        locked.save(update_fields=["report_count", "updated_at"])
        threshold = reports_before_review()
        if locked.status == Status.PUBLISHED and locked.report_count >= threshold:
            return _move(
                locked,
                Status.AWAITING_MODERATION,
                {Status.PUBLISHED},
                Actor.VISITORS,
                reason=_("%(count)d signalements") % {"count": locked.report_count},
            )
        return locked


def remind(classified: Classified, now: datetime.datetime | None = None) -> bool:
    """Send the one reminder before expiry, with the link to extend. True if sent now."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Classified.objects.filter(
            pk=classified.pk, status=Status.PUBLISHED, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
    if not updated:
        return False
    classified.refresh_from_db()
    notifications.to_author(
        classified,
        "reminder",
        _("Votre annonce expire bientôt"),
        lifetime_days=lifetime_days(),
        expired=False,
    )
    return True


def expire(classified: Classified, now: datetime.datetime | None = None) -> Classified:
    """Take a published ad down at the end of its lifetime.

    The author is told only if they never got the reminder (the maintenance did not run in
    time): they get one e-mail in all, with the link to extend.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Classified.objects.select_for_update().get(pk=classified.pk)
        if locked.expires_at is None or locked.expires_at > now:
            raise TransitionError(_("Cette annonce n'est pas arrivée à expiration."))
        was_reminded = locked.reminder_sent_at is not None
        classified = _move(
            locked,
            Status.EXPIRED,
            {Status.PUBLISHED},
            Actor.SYSTEM,
            reason=_("Durée de publication écoulée"),
            reminder_sent_at=locked.reminder_sent_at or now,
        )
    if not was_reminded:
        notifications.to_author(
            classified,
            "reminder",
            _("Votre annonce a expiré"),
            lifetime_days=lifetime_days(),
            expired=True,
        )
    return classified


def purge_unconfirmed(now: datetime.datetime | None = None) -> int:
    """Delete the ads never confirmed within 48 hours, with their photos. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(
            Classified.objects.select_for_update()
            .filter(
                status=Status.AWAITING_CONFIRMATION,
                created_at__lte=now - datetime.timedelta(hours=UNCONFIRMED_HOURS),
            )
            .values_list("pk", flat=True)
        )
        _delete_photos(ClassifiedPhoto.objects.filter(classified__in=stale))
        Classified.objects.filter(pk__in=stale).delete()
    return len(stale)


def _attach_photos(classified: Classified, photos: Sequence[ContentFile]) -> None:
    small, medium = THUMBNAIL_WIDTHS
    for position, photo in enumerate(photos):
        ClassifiedPhoto.objects.create(
            classified=classified,
            image=photo,
            thumbnail=scaled_copy(photo, small),
            medium=scaled_copy(photo, medium),
            position=position,
        )


# Photos given their copies by one maintenance run, at most: about 0.1 s each, so that a
# portal with years of ads catches up over a few nights without holding up the others.
COPIES_PER_RUN = 200


@dataclass
class OlderPhotoCopies:
    """What one pass over the photos sent before the copies existed did."""

    copied: int = 0
    # The photos left as they were, as an operator can find them: "annonce 12, photo 30
    # (fichier introuvable)". Looked at again next time: a restored file is then copied.
    skipped: list[str] = field(default_factory=list)


def copy_older_photos(limit: int = COPIES_PER_RUN) -> OlderPhotoCopies:
    """Give the photos sent before lighter copies existed their thumbnail and medium copy
    (cards then stop loading the original), ``limit`` photos at most. A photo whose file
    is lost or damaged is skipped and named in the result, never a crash; it does not
    count in ``limit``, so a few broken files never hold the others back."""
    small, medium = THUMBNAIL_WIDTHS
    result = OlderPhotoCopies()
    waiting = ClassifiedPhoto.objects.filter(thumbnail="").order_by("pk")
    for photo in waiting.iterator(chunk_size=100):
        if result.copied >= limit:
            break
        try:
            with photo.image.open("rb") as original:
                content = ContentFile(original.read(), name=photo.image.name)
            thumbnail, medium_copy = scaled_copy(content, small), scaled_copy(content, medium)
        except FileNotFoundError:
            result.skipped.append(_skipped(photo, _("fichier introuvable")))
            continue
        except UNREADABLE_PHOTO_ERRORS:
            result.skipped.append(_skipped(photo, _("fichier illisible")))
            continue
        photo.thumbnail, photo.medium = thumbnail, medium_copy
        photo.save(update_fields=["thumbnail", "thumbnail_width", "thumbnail_height", "medium"])
        result.copied += 1
    return result


def _skipped(photo: ClassifiedPhoto, why: str) -> str:
    return _("annonce %(ad)s, photo %(photo)s (%(why)s)") % {
        "ad": photo.classified_id,
        "photo": photo.pk,
        "why": why,
    }


def _delete_photos(photos: Iterable[ClassifiedPhoto]) -> None:
    for photo in list(photos):
        for copy in (photo.thumbnail, photo.medium):
            if copy:
                copy.delete(save=False)
        photo.image.delete(save=False)
        photo.delete()
