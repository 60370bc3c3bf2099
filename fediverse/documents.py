"""The JSON documents a portal serves to the fediverse: its actor, its articles as
``Create`` activities, its outbox and followers collections, WebFinger and NodeInfo.

Every address is built from the portal's primary domain (``tenants.addresses``), never
from the request's host: an actor's id must not change with the name it was asked by.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

from django.core.paginator import Paginator
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.identity import portal_identity
from fediverse.keys import portal_key
from fediverse.models import Follower
from portal.public import ArticlePage
from tenants.addresses import current_portal, portal_base_url
from tenants.models import Neighbourhood

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
ACTIVITY_JSON = "application/activity+json"
JRD_JSON = "application/jrd+json"
OUTBOX_PAGE_SIZE = 20
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def this_portal() -> Neighbourhood:
    """The portal whose schema is in use (these documents exist only inside one)."""
    portal = current_portal()
    if portal is None:
        raise RuntimeError("The fediverse's documents are a portal's, not the network's.")
    return portal


def base_url(portal: Neighbourhood | None = None) -> str:
    """``https://belleville.example.org`` of the current portal (or ``portal``)."""
    return portal_base_url(portal or this_portal())


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


def article_id(page: ArticlePage) -> str:
    return address(f"articles/{page.pk}")


def article_object(page: ArticlePage) -> dict[str, Any]:
    """An article as an ActivityStreams ``Article``: title, its chapô as summary, link."""
    published = page.first_published_at or page.last_published_at
    intro = strip_tags(page.intro or "").strip()
    return {
        "id": article_id(page),
        "type": "Article",
        "attributedTo": actor_id(),
        "name": page.title,
        "summary": Truncator(intro).chars(500) if intro else None,
        "content": f"<p>{Truncator(intro).chars(500)}</p>" if intro else "",
        "url": _absolute(page.get_url()),
        "published": published.isoformat() if published else None,
        "to": [PUBLIC],
        "cc": [address("followers")],
        "contentMap": {page.locale.language_code: intro} if intro else {},
        "tag": [{"type": "Hashtag", "name": f"#{tag.name}"} for tag in page.tags.all()],
    }


def create_activity(page: ArticlePage) -> dict[str, Any]:
    """The ``Create`` that announces ``page`` to followers."""
    article = article_object(page)
    return {
        "id": article["id"] + "#create",
        "type": "Create",
        "actor": actor_id(),
        "published": article["published"],
        "to": article["to"],
        "cc": article["cc"],
        "object": article,
    }


def outbox(page_number: int | None) -> dict[str, Any]:
    """The outbox: its size and first page, or page ``page_number`` of its activities."""
    paginator = Paginator(public_articles(), OUTBOX_PAGE_SIZE)
    collection = address("outbox")
    if page_number is None:
        return {
            "@context": AS_CONTEXT,
            "id": collection,
            "type": "OrderedCollection",
            "totalItems": paginator.count,
            "first": f"{collection}?page=1",
            "last": f"{collection}?page={paginator.num_pages}",
        }
    page = paginator.page(page_number)
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
        "usage": {"users": {"total": 1}, "localPosts": public_articles().count()},
        "metadata": {"nodeName": portal.name},
    }
