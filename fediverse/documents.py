"""The JSON documents a portal serves to the fediverse: its actor, its articles (as
``Article``) and residents' blog posts (as ``Note``) in ``Create`` activities, its outbox
and followers collections, WebFinger and NodeInfo.

The objects are shaped as Mastodon reads them (``app/lib/activitypub/parser/
status_parser.rb`` and ``activity/create.rb``): ``summary`` is a content warning on a
``Note``, so a blog post's ``Note`` has none; an ``Article`` is shown as its ``name``, its
``summary`` and its link; ``attachment`` images need ``mediaType`` and take ``name`` as
alt text; ``contentMap``'s first key is the post's language; an ``Update`` is applied only
when the object carries ``updated``. ``preview`` is FEP-b2b8's short ``Note`` for readers
that show long-form objects by their preview.

Every address is built from the portal's primary domain (``tenants.addresses``), never
from the request's host: an actor's id must not change with the name it was asked by.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import metadata
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page

from core.identity import portal_identity
from fediverse.keys import portal_key
from fediverse.models import Follower
from portal.public import ArticlePage, BlogPostPage
from tenants.addresses import current_portal, portal_base_url
from tenants.models import Neighbourhood
from tenants.sharing import plain_text

logger = logging.getLogger(__name__)

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
ACTIVITY_JSON = "application/activity+json"
JRD_JSON = "application/jrd+json"
OUTBOX_PAGE_SIZE = 20
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# The cover as it goes out: whole (not cropped: Mastodon shows it at its own ratio), in
# JPEG, which every fediverse server takes.
COVER_SPEC = "max-1200x1200|format-jpeg"
COVER_MEDIA_TYPE = "image/jpeg"
SUMMARY_CHARS = 500
# Where each page type's objects live (``/ap/<folder>/<id>``).
OBJECT_FOLDERS: dict[type, str] = {ArticlePage: "articles", BlogPostPage: "notes"}


def this_portal() -> Neighbourhood:
    """The portal whose schema is in use (these documents exist only inside one)."""
    portal = current_portal()
    if portal is None:
        raise RuntimeError("The fediverse's documents are a portal's, not the network's.")
    return portal


# The current portal's base URL while a document of many objects is built (``one_base_url``).
_known_base_url: ContextVar[str | None] = ContextVar("fediverse_base_url", default=None)


def base_url(portal: Neighbourhood | None = None) -> str:
    """``https://belleville.example.org`` of the current portal (or ``portal``)."""
    if portal is None and (known := _known_base_url.get()):
        return known
    return portal_base_url(portal or this_portal())


@contextmanager
def one_base_url() -> Iterator[None]:
    """Within this block the current portal's base URL is read once: each object names it
    about seven times (its id, its author, its link, its followers...), one query each."""
    token = _known_base_url.set(portal_base_url(this_portal()))
    try:
        yield
    finally:
        _known_base_url.reset(token)


def actor_id(portal: Neighbourhood | None = None) -> str:
    """The actor's id: its home page, which answers the actor document to a fediverse
    client (``fediverse.middleware``): pasting the portal's address into Mastodon finds it."""
    return base_url(portal) + "/"


def key_id() -> str:
    return actor_id() + "#main-key"


def address(name: str) -> str:
    """The absolute address of one of the actor's endpoints (``inbox``, ``outbox``...)."""
    return f"{base_url()}/ap/{name}"


def public_articles():
    """The articles that may go out: live and public (no view restriction above them)."""
    return ArticlePage.objects.live().public().specific().order_by("-first_published_at", "-pk")


def public_notes():
    """The residents' blog posts that may go out: live and public, like the articles."""
    return BlogPostPage.objects.live().public().order_by("-first_published_at", "-pk")


def public_objects():
    """Every page that goes out (articles and blog posts), newest first, as their types."""
    return (
        Page.objects.live()
        .public()
        .type(*OBJECT_FOLDERS)
        .order_by("-first_published_at", "-pk")
        .specific()
    )


def _absolute(url: str) -> str:
    return url if "://" in url else base_url() + url


def _icon() -> dict[str, str] | None:
    logo = portal_identity().logo
    if logo is None:
        return None
    rendition = logo.get_rendition("fill-400x400|format-png")
    return {"type": "Image", "mediaType": "image/png", "url": _absolute(rendition.url)}


def actor_document() -> dict[str, Any]:
    """The portal as an ActivityPub ``Organization``, in the shape Mastodon reads."""
    portal = this_portal()
    identity = portal_identity()
    me = actor_id(portal)
    where = portal.territory or portal.city
    summary = _("Média citoyen de quartier — %(where)s.") % {"where": where} if where else ""
    document: dict[str, Any] = {
        "@context": [AS_CONTEXT, SECURITY_CONTEXT],
        "id": me,
        "type": "Organization",
        "preferredUsername": portal.slug,
        "name": identity.name or portal.name,
        "summary": summary,
        "url": me,
        "inbox": address("inbox"),
        "outbox": address("outbox"),
        "followers": address("followers"),
        "endpoints": {"sharedInbox": address("inbox")},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": {
            "id": me + "#main-key",
            "owner": me,
            "publicKeyPem": portal_key().public_key_pem,
        },
    }
    if icon := _icon():
        document["icon"] = icon
    return document


def object_folder(page: Page) -> str:
    """``articles`` or ``notes``: where objects of ``page``'s type live (``page`` as its
    specific type)."""
    return next(folder for model, folder in OBJECT_FOLDERS.items() if isinstance(page, model))


def object_type(page: Page) -> str:
    """``Article`` or ``Note``: the ActivityStreams type of ``page``'s object (``page`` as
    its specific type)."""
    return "Article" if isinstance(page, ArticlePage) else "Note"


def object_id(page: Page) -> str:
    """The address of ``page`` as a fediverse object (``/ap/articles/<id>``,
    ``/ap/notes/<id>``)."""
    return address(f"{object_folder(page)}/{page.pk}")


def _dates(page: Page) -> dict[str, str]:
    """``published``, and ``updated`` once republished (Mastodon applies an ``Update``
    only when ``updated`` is there)."""
    published = page.first_published_at or page.last_published_at
    dates = {"published": _utc(published)} if published else {}
    last = page.last_published_at
    if published and last and last != published:
        dates["updated"] = _utc(last)
    return dates


def _utc(moment: datetime.datetime) -> str:
    """``2026-05-02T08:30:00.123456Z``: one zone for every date, however it was read."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _summary(page: Page) -> str:
    """The page's chapô in plain text, cut to ``SUMMARY_CHARS``."""
    return Truncator(plain_text(getattr(page, "intro", "") or "")).chars(SUMMARY_CHARS)


def _cover(page: Page) -> dict[str, Any] | None:
    """The page's cover picture as an ``Image`` (absolute address of a rendition, its
    media type and size, its alt text as ``name``); ``None`` when it has none."""
    cover = getattr(page, "cover", None)
    if cover is None:
        return None
    try:
        rendition = cover.get_rendition(COVER_SPEC)
    except OSError:  # its file is missing or unreadable: the object goes out without it
        logger.warning("No rendition of the cover of page %s", page.pk, exc_info=True)
        return None
    return {
        "type": "Image",
        "mediaType": COVER_MEDIA_TYPE,
        "url": _absolute(rendition.url),
        "name": page.cover_alt,
        "width": rendition.width,
        "height": rendition.height,
    }


def hashtag_name(tag: str) -> str:
    """``#FêteDeQuartier`` for the tag ``fête de quartier``: a hashtag is one word (Mastodon
    drops a tag whose name has spaces or punctuation); ``""`` when nothing is left."""
    words = re.findall(r"\w+", tag)
    if len(words) > 1:
        words = [word[:1].upper() + word[1:] for word in words]
    return f"#{''.join(words)}" if words else ""


def _hashtags(page: ArticlePage) -> list[dict[str, str]]:
    """The article's tags as ``Hashtag``s, each linking to the news filtered by it."""
    # The news section's address: the article's own, less its slug (an article lives
    # right under its section); no query for its parent.
    url = page.get_url()
    listing = _absolute(url[: url.rstrip("/").rfind("/") + 1])
    hashtags = []
    for tag in sorted(page.tags.all(), key=lambda tag: tag.name):
        if name := hashtag_name(tag.name):
            query = urlencode({"tag": tag.name})
            hashtags.append({"type": "Hashtag", "name": name, "href": f"{listing}?{query}"})
    return hashtags


def _link(url: str) -> str:
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'


def _preview(page: Page, url: str, summary: str, image: dict | None) -> dict[str, Any]:
    """The short ``Note`` a reader of long-form objects shows: title, summary, link."""
    text = f"{page.title} — {summary}" if summary else page.title
    preview: dict[str, Any] = {
        "type": "Note",
        "attributedTo": actor_id(),
        "content": f"<p>{escape(text)}</p>{_link(url)}",
    }
    if image:
        preview["attachment"] = [{**image, "type": "Document"}]
    return preview


def article_object(page: ArticlePage) -> dict[str, Any]:
    """An article as an ActivityStreams ``Article``: title, chapô, link, cover, hashtags,
    language, and a ``preview`` ``Note``."""
    language = page.locale.language_code
    summary = _summary(page)
    url = _absolute(page.get_url())
    image = _cover(page)
    content = f"<p>{escape(summary)}</p>" if summary else ""
    article: dict[str, Any] = {
        "id": object_id(page),
        "type": "Article",
        "attributedTo": actor_id(),
        "name": page.title,
        "nameMap": {language: page.title},
        "summary": summary or None,
        "content": content,
        "url": url,
        **_dates(page),
        "to": [PUBLIC],
        "cc": [address("followers")],
        "contentMap": {language: content},
        "tag": _hashtags(page),
        "preview": _preview(page, url, summary, image),
    }
    if summary:
        article["summaryMap"] = {language: summary}
    if image:
        article["image"] = image
        article["attachment"] = [{**image, "type": "Document"}]
    return article


def note_object(page: BlogPostPage) -> dict[str, Any]:
    """A resident's blog post as a ``Note`` (what Mastodon shows in full): its title, its
    chapô and its link as content, its cover attached. No ``summary``: Mastodon would
    hide the post behind it as a content warning."""
    summary = _summary(page)
    url = _absolute(page.get_url())
    paragraphs = [f"<p><strong>{escape(page.title)}</strong></p>"]
    if summary:
        paragraphs.append(f"<p>{escape(summary)}</p>")
    content = "".join(paragraphs) + _link(url)
    note: dict[str, Any] = {
        "id": object_id(page),
        "type": "Note",
        "attributedTo": actor_id(),
        "content": content,
        "contentMap": {page.locale.language_code: content},
        "url": url,
        **_dates(page),
        "to": [PUBLIC],
        "cc": [address("followers")],
        "sensitive": False,
        "tag": [],
    }
    if image := _cover(page):
        note["attachment"] = [{**image, "type": "Document"}]
    return note


def page_object(page: Page) -> dict[str, Any]:
    """``page`` as the fediverse object of its type (``Article`` or ``Note``)."""
    if isinstance(page, BlogPostPage):
        return note_object(page)
    return article_object(page)


def create_activity(page: Page) -> dict[str, Any]:
    """The ``Create`` that announces ``page`` to followers."""
    shown = page_object(page)
    return {
        "id": shown["id"] + "#create",
        "type": "Create",
        "actor": actor_id(),
        "published": shown.get("published"),
        "to": shown["to"],
        "cc": shown["cc"],
        "object": shown,
    }


def _read_ahead(pages: list[Page]) -> None:
    """Read what the objects of an outbox page show (language, cover and its renditions,
    tags) in a few queries for all of them, instead of a few for each."""
    by_type: dict[type, list[Page]] = defaultdict(list)
    for page in pages:
        by_type[type(page)].append(page)
    for model, group in by_type.items():
        lookups = ["locale", "cover__renditions"]
        if issubclass(model, ArticlePage):
            lookups.append("tags")
        prefetch_related_objects(group, *lookups)


def collection_summary(collection: str, paginator: Paginator) -> dict[str, Any]:
    """An outbox's first answer: its size and the addresses of its first and last pages."""
    return {
        "@context": AS_CONTEXT,
        "id": collection,
        "type": "OrderedCollection",
        "totalItems": paginator.count,
        "first": f"{collection}?page=1",
        "last": f"{collection}?page={paginator.num_pages}",
    }


def outbox(page_number: int | None) -> dict[str, Any]:
    """The outbox: its size and first page, or page ``page_number`` of its activities."""
    paginator = Paginator(public_objects(), OUTBOX_PAGE_SIZE)
    collection = address("outbox")
    if page_number is None:
        return collection_summary(collection, paginator)
    page = paginator.page(page_number)
    with one_base_url():
        return _outbox_page(page, collection, page_number)


def _outbox_page(page: PaginatorPage, collection: str, page_number: int) -> dict[str, Any]:
    _read_ahead(page.object_list)
    document: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": f"{collection}?page={page_number}",
        "type": "OrderedCollectionPage",
        "partOf": collection,
        "orderedItems": [create_activity(article) for article in page.object_list],
    }
    if page.has_next():
        document["next"] = f"{collection}?page={page_number + 1}"
    if page.has_previous():
        document["prev"] = f"{collection}?page={page_number - 1}"
    return document


def followers() -> dict[str, Any]:
    """The followers collection: how many, not who (the residents who follow their
    neighbourhood's media need not be listed to the world; Mastodon reads the count)."""
    return {
        "@context": AS_CONTEXT,
        "id": address("followers"),
        "type": "OrderedCollection",
        "totalItems": Follower.objects.count(),
    }


def webfinger(host: str) -> dict[str, Any]:
    """The JRD that points ``acct:<slug>@<host>`` to the actor."""
    portal = this_portal()
    me = actor_id(portal)
    return {
        "subject": f"acct:{portal.slug}@{host}",
        "aliases": [me],
        "links": [
            {"rel": "self", "type": ACTIVITY_JSON, "href": me},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": me},
        ],
    }


def nodeinfo_links() -> dict[str, Any]:
    return {
        "links": [
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                "href": f"{base_url()}/nodeinfo/2.1",
            }
        ]
    }


def _version() -> str:
    try:
        return metadata.version("quartiers")
    except metadata.PackageNotFoundError:
        return "0"


def nodeinfo() -> dict[str, Any]:
    """NodeInfo 2.1: the software, its protocol, and counts of public pages only."""
    portal = this_portal()
    return {
        "version": "2.1",
        "software": {
            "name": "quartiers",
            "version": _version(),
            "homepage": "https://quartiers.example",
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["rss2.0"]},
        "openRegistrations": False,
        "usage": {"users": {"total": 1}, "localPosts": public_objects().count()},
        "metadata": {"nodeName": portal.name},
    }
