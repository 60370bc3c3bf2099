"""Bringing a subscription's events into the agenda, idempotently.

For each event of the feed, known by (subscription, UID) through ``ImportedEvent``:

- new: an ``EventPage`` under the agenda, a draft, or published if the source is trusted;
- changed at the source: a new revision of its page, published only if the source is
  trusted and the page was live (an animator who unpublished it keeps it unpublished);
  an animator's own edits win: a page whose fields no longer match what the import
  wrote is left as it is, and counted as "kept";
- gone from the feed (or cancelled) while still to come: its page is unpublished, edited
  or not (a cancelled event must not stay announced); back in the feed, it is changed
  as above (and published again if the source is trusted);
- a page an animator deleted is never brought back.

One subscription is imported in one transaction: a feed that cannot be fetched or read
changes nothing, and its French error is recorded on the subscription; the others go on.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import logging
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale
from wagtail.rich_text import RichText

from portal.agenda.ical_feed import FeedError, FeedEvent, fetch_feed, read_feed
from portal.agenda.models import EventIndexPage, EventPage
from portal.agenda.subscriptions import AgendaSubscription, ImportedEvent

logger = logging.getLogger(__name__)

# New events one run brings in, per subscription: a feed of hundreds does not bury the
# animators' pages under drafts (nor hold the cron run for minutes); the next runs bring
# the rest.
NEW_EVENTS_PER_RUN = 50

RECURRING_NOTE = (
    "Cet événement se répète : seule sa première date figure ici, les suivantes sont "
    "sur l'agenda d'origine."
)


@dataclass
class ImportResult:
    """What one run did to one subscription's events."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    kept: int = 0  # changed at the source, but edited by an animator: left alone
    unreadable: int = 0
    postponed: int = 0  # new, left for the next run (``NEW_EVENTS_PER_RUN``)
    error: str = ""

    def summary(self) -> str:
        """One line for the command's output."""
        if self.error:
            return _("erreur : %(error)s") % {"error": self.error}
        line = _("%(added)d ajouté(s), %(changed)d modifié(s), %(removed)d retiré(s)") % {
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
        }
        if self.kept:
            line += _(", %(kept)d retouché(s) par l'équipe laissé(s) tel(s) quel(s)") % {
                "kept": self.kept
            }
        if self.unreadable:
            line += _(", %(count)d illisible(s) ignoré(s)") % {"count": self.unreadable}
        if self.postponed:
            line += _(", %(count)d au prochain import") % {"count": self.postponed}
        return line


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(value or ""))).strip()


def page_digest(page: EventPage) -> str:
    """What the import writes to a page, hashed as text: the rich text's markup (which
    the editor rewrites on save) does not count, its words do."""
    blocks = [
        f"{block.block_type}:{_text(getattr(block.value, 'source', str(block.value)))}"
        for block in page.body
    ]
    values = [
        page.title,
        page.start.astimezone(datetime.UTC).isoformat(),
        page.end.astimezone(datetime.UTC).isoformat(),
        page.place_name,
        page.address,
        _text(page.intro),
        blocks,
        page.source_name,
        page.source_url,
    ]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()


def _fill(page: EventPage, event: FeedEvent, subscription: AgendaSubscription) -> None:
    """Write the event onto the page, every outside text escaped into markup."""
    page.title = event.title
    page.start, page.end = event.start, event.end
    page.place_name, page.address = event.place_name, event.address
    # The first paragraph is the intro (listings show it); the body holds the rest, or
    # everything when that paragraph is too long for an intro.
    paragraphs = [p.strip() for p in event.description.split("\n\n") if p.strip()]
    first = paragraphs[0] if paragraphs else ""
    page.intro = f"<p>{escape(Truncator(first).chars(300))}</p>" if first else ""
    rest = paragraphs[1:] if len(first) <= 300 else paragraphs
    if event.recurring:
        rest = [*rest, RECURRING_NOTE]
    text = "\n\n".join(rest)
    page.body = [("paragraph", RichText(linebreaks(text, autoescape=True)))] if text else []
    page.source_name = subscription.name
    # Never the feed's own address: a private calendar's carries its key.
    page.source_url = event.url


def _slug(subscription: AgendaSubscription, event: FeedEvent) -> str:
    """Readable and unique under the agenda whatever the title: the title, then a short
    digest of (subscription, UID)."""
    key = hashlib.sha256(f"{subscription.pk}:{event.uid}".encode()).hexdigest()[:8]
    return f"{slugify(event.title)[:60].strip('-') or 'evenement'}-{key}"


def agenda_page() -> EventIndexPage:
    """The agenda imported events go under: the default language's."""
    agenda = EventIndexPage.objects.filter(locale=Locale.get_default()).first()
    if agenda is None:
        raise FeedError(_("Le portail n'a pas de rubrique Agenda où importer les événements."))
    return agenda


def _add(subscription: AgendaSubscription, event: FeedEvent, agenda: EventIndexPage) -> None:
    page = EventPage(live=False, slug=_slug(subscription, event))
    _fill(page, event, subscription)
    agenda.add_child(instance=page)
    revision = page.save_revision()
    if subscription.trusted:
        revision.publish()
    ImportedEvent.objects.create(
        subscription=subscription,
        uid=event.uid,
        page=page,
        source_digest=event.digest(),
        page_digest=page_digest(page),
        starts_at=event.start,
    )


def _change(imported: ImportedEvent, event: FeedEvent, result: ImportResult) -> None:
    subscription = imported.subscription
    page = imported.page.specific
    latest = page.get_latest_revision_as_object()
    imported.source_digest, imported.starts_at = event.digest(), event.start
    returning = imported.removed_at_source
    imported.removed_at_source = False
    if page_digest(latest) != imported.page_digest:
        result.kept += 1  # the animator's version stands, online or not as they left it
        imported.save(update_fields=["source_digest", "starts_at", "removed_at_source"])
        return
    _fill(latest, event, subscription)
    revision = latest.save_revision()
    if subscription.trusted and (page.live or returning):
        revision.publish()
    imported.page_digest = page_digest(latest)
    imported.save()
    result.changed += 1


def _remove(subscription: AgendaSubscription, present: set[str], now, result) -> None:
    gone = (
        ImportedEvent.objects.filter(
            subscription=subscription, removed_at_source=False, starts_at__gte=now
        )
        .exclude(uid__in=present)
        .select_related("page")
    )
    for imported in gone:
        if imported.page is not None and imported.page.live:
            imported.page.specific.unpublish()
        imported.removed_at_source = True
        imported.save(update_fields=["removed_at_source"])
        result.removed += 1


def _apply_feed(subscription: AgendaSubscription, body: bytes, now) -> ImportResult:
    feed = read_feed(body, now)
    result = ImportResult(unreadable=feed.unreadable)
    agenda = agenda_page()
    known = {
        imported.uid: imported
        for imported in subscription.imported_events.select_related("page", "subscription")
    }
    present = set(feed.passed_over)
    for event in feed.events:
        if event.uid in present:
            continue  # the same UID twice: the first one counts
        present.add(event.uid)
        imported = known.get(event.uid)
        if imported is None:
            if result.added >= NEW_EVENTS_PER_RUN:
                result.postponed += 1  # still in ``present``: nothing is removed for it
                continue
            _add(subscription, event, agenda)
            result.added += 1
        elif imported.page is None:
            continue  # deleted by an animator: never brought back
        elif imported.source_digest != event.digest() or imported.removed_at_source:
            _change(imported, event, result)
    _remove(subscription, present, now, result)
    return result


def import_subscription(
    subscription: AgendaSubscription, now: datetime.datetime | None = None
) -> ImportResult:
    """Fetch one subscription's feed and bring its events in (see the module's doc).

    Never raises for the feed's faults: the result (and the subscription's last run)
    carries the French error, and nothing was written.
    """
    now = now or timezone.now()
    try:
        body = fetch_feed(subscription.url)
        with transaction.atomic():
            # Two runs at once (cron overlapping a slow one) take turns on the
            # subscription, the second then finding everything done.
            locked = AgendaSubscription.objects.select_for_update().filter(pk=subscription.pk)
            if locked.first() is None:
                return ImportResult()  # deleted meanwhile
            result = _apply_feed(subscription, body, now)
    except FeedError as error:
        result = ImportResult(error=str(error))
    except Exception:  # one subscription's fault must not stop the others
        logger.exception("Import de l'agenda %s", subscription.pk)
        result = ImportResult(error=_("L'import a échoué sur une erreur interne ; réessayez."))
    AgendaSubscription.objects.filter(pk=subscription.pk).update(
        last_run_at=now,
        last_added=result.added,
        last_changed=result.changed,
        last_removed=result.removed,
        last_error=result.error,
    )
    return result


def import_active_subscriptions(report=None) -> int:
    """Import every active subscription of the current portal; ``report(subscription,
    result)`` is told of each. Returns how many events were added, changed or removed."""
    touched = 0
    for subscription in AgendaSubscription.objects.active():
        result = import_subscription(subscription)
        touched += result.added + result.changed + result.removed
        if report is not None:
            report(subscription, result)
    return touched
