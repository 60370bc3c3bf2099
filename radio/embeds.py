"""Safe embeds: which providers a portal accepts, Wagtail's finder for them, the player HTML.

Only an allow-list of providers that suits citizen media is accepted: the PeerTube and
Castopod instances the animator lists in the "Radio & TV" settings, YouTube, Dailymotion,
Vimeo, SoundCloud, Mixcloud and Arte Radio (and its Audioblogs). The provider's oEmbed
HTML is never stored as it comes: only the player address is kept, checked against the
provider's own player hosts, and wrapped in an iframe we write ourselves (youtube-nocookie,
Vimeo's "do not track").

The provider is asked when an editor saves or publishes the page (``core.embeds``),
through the guarded ``core.outbound``; a visitor's page only reads what was stored.

oEmbed endpoints can be overridden per provider with ``RADIO_OEMBED_ENDPOINTS``
(``{"youtube": "http://127.0.0.1:8123/oembed"}``): the tests use it to talk to a provider
they run on 127.0.0.1 (allowed by ``OUTBOUND_ALLOWED_NETWORKS``) through Wagtail's finder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

from core import tenant_state
from core.embeds import GuardedOEmbedFinder, stored_embed


@dataclass(frozen=True)
class Provider:
    """A provider whose players a portal may show."""

    key: str
    name: str
    patterns: tuple[str, ...]
    endpoint: str
    player_hosts: tuple[str, ...]
    audio: bool = False
    # Host every player address is moved to, when the provider has a cookie-free one.
    private_host: str = ""
    private_params: tuple[tuple[str, str], ...] = ()


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        key="youtube",
        name="YouTube",
        patterns=(
            r"^https://(?:www\.|m\.)?youtube\.com/(?:watch\?|live/|shorts/|embed/)\S+$",
            r"^https://youtu\.be/\S+$",
        ),
        endpoint="https://www.youtube.com/oembed",
        player_hosts=("www.youtube.com", "youtube.com", "www.youtube-nocookie.com"),
        private_host="www.youtube-nocookie.com",
    ),
    Provider(
        key="dailymotion",
        name="Dailymotion",
        patterns=(r"^https://(?:www\.)?dailymotion\.com/video/\S+$", r"^https://dai\.ly/\S+$"),
        endpoint="https://www.dailymotion.com/services/oembed",
        player_hosts=("www.dailymotion.com", "geo.dailymotion.com"),
    ),
    Provider(
        key="vimeo",
        name="Vimeo",
        patterns=(r"^https://(?:www\.)?vimeo\.com/\S+$", r"^https://player\.vimeo\.com/video/\S+$"),
        endpoint="https://vimeo.com/api/oembed.json",
        player_hosts=("player.vimeo.com",),
        private_params=(("dnt", "1"),),
    ),
    Provider(
        key="soundcloud",
        name="SoundCloud",
        patterns=(
            r"^https://(?:www\.|m\.)?soundcloud\.com/\S+$",
            r"^https://on\.soundcloud\.com/\S+$",
        ),
        endpoint="https://soundcloud.com/oembed",
        player_hosts=("w.soundcloud.com",),
        audio=True,
    ),
    Provider(
        key="mixcloud",
        name="Mixcloud",
        patterns=(r"^https://(?:www\.|m\.)?mixcloud\.com/\S+$",),
        endpoint="https://app.mixcloud.com/oembed/",
        player_hosts=("www.mixcloud.com", "player-widget.mixcloud.com"),
        audio=True,
    ),
    Provider(
        key="arteradio",
        name="Arte Radio",
        patterns=(
            r"^https://(?:www\.)?arteradio\.com/son/\S+$",
            r"^https://audioblog\.arteradio\.com/\S+$",
        ),
        endpoint="https://www.arteradio.com/oembed",
        player_hosts=("www.arteradio.com", "arteradio.com", "audioblog.arteradio.com"),
        audio=True,
    ),
)


def _self_hosted(kind: str, host: str) -> Provider:
    """A PeerTube or Castopod instance the animator listed."""
    quoted = re.escape(host)
    if kind == "peertube":
        return Provider(
            key="peertube",
            name=f"PeerTube ({host})",
            patterns=(rf"^https://{quoted}/(?:w|videos/watch|videos/embed)/\S+$",),
            endpoint=f"https://{host}/services/oembed",
            player_hosts=(host,),
        )
    return Provider(
        key="castopod",
        name=f"Castopod ({host})",
        patterns=(rf"^https://{quoted}/@[^/\s]+/episodes/[^/\s]+/?$",),
        # Castopod answers oEmbed at the episode's own address.
        endpoint="",
        player_hosts=(host,),
        audio=True,
    )


def portal_providers() -> list[Provider]:
    """Every provider the current portal accepts (its own PeerTube/Castopod hosts included)."""
    from radio.models import RadioSettings

    radio_settings = tenant_state.remembered_setting(RadioSettings) or RadioSettings.load()
    return [
        *PROVIDERS,
        *(_self_hosted("peertube", host) for host in radio_settings.peertube_host_list()),
        *(_self_hosted("castopod", host) for host in radio_settings.castopod_host_list()),
    ]


def provider_for(url: str) -> Provider | None:
    """The accepted provider ``url`` belongs to, or None."""
    if not isinstance(url, str) or not url.lower().startswith("https://"):
        return None
    for provider in portal_providers():
        if any(re.match(pattern, url) for pattern in provider.patterns):
            return provider
    return None


def frame_hosts() -> list[str]:
    """Hosts whose players the current portal's pages may frame (``EMBED_FRAME_HOSTS``):
    the big providers' anywhere, the portal's own instances inside its schema."""
    if connection.schema_name == get_public_schema_name():
        return [host for provider in PROVIDERS for host in provider.player_hosts]
    return [host for provider in portal_providers() for host in provider.player_hosts]


def accepted_provider_names() -> str:
    return ", ".join(
        [
            _("PeerTube et Castopod (instances listées dans les réglages Radio & TV)"),
            *(provider.name for provider in PROVIDERS),
        ]
    )


def validate_embed_url(url: str) -> None:
    """Refuse, in French, an address that is not a page of an accepted provider."""
    scheme = urlsplit(url).scheme.lower() if isinstance(url, str) else ""
    if scheme != "https":
        raise ValidationError(
            _("Adresse refusée : seules les adresses web sécurisées (https://…) sont acceptées."),
            code="embed_scheme",
        )
    if provider_for(url) is None:
        raise ValidationError(
            _(
                "Ce fournisseur n'est pas accepté pour les vidéos et sons intégrés. "
                "Fournisseurs possibles : %(providers)s."
            ),
            code="embed_provider",
            params={"providers": accepted_provider_names()},
        )


def endpoint_for(provider: Provider, url: str) -> str:
    overrides = getattr(settings, "RADIO_OEMBED_ENDPOINTS", {})
    if provider.key in overrides:
        return overrides[provider.key]
    return provider.endpoint or url.rstrip("/") + "/oembed.json"


class _IframeSource(HTMLParser):
    """The ``src`` of the first iframe of an oEmbed answer; the rest is thrown away."""

    def __init__(self) -> None:
        super().__init__()
        self.src = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe" and not self.src:
            self.src = dict(attrs).get("src") or ""


def player_address(html: str, provider: Provider) -> str:
    """The provider's player address found in ``html``, made private, or "" if unsafe."""
    parser = _IframeSource()
    parser.feed(html or "")
    parts = urlsplit(parser.src.strip())
    if parts.scheme != "https" or parts.hostname not in provider.player_hosts:
        return ""
    host = provider.private_host or parts.netloc
    query = dict(parse_qsl(parts.query))
    query.update(provider.private_params)
    return urlunsplit(("https", host, parts.path, urlencode(query), ""))


def player_html(src: str, title: str) -> SafeString:
    """The only iframe we ever store or show: our own markup around a checked address."""
    return format_html(
        '<iframe src="{}" title="{}" loading="lazy" allowfullscreen '
        'allow="autoplay; fullscreen; picture-in-picture; encrypted-media" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe>',
        src,
        title,
    )


class AllowListEmbedFinder(EmbedFinder):
    """Wagtail's oEmbed finder, for the portal's accepted providers only.

    ``get_finders()`` keeps one instance per process: the portal's own providers are read
    at each call, in the schema of the request, never kept on the instance.
    """

    def accept(self, url: str) -> bool:
        return provider_for(url) is not None

    def find_embed(self, url: str, max_width: int | None = None, max_height: int | None = None):
        provider = provider_for(url)
        if provider is None:
            raise EmbedNotFoundException(url)
        finder = GuardedOEmbedFinder(
            providers=[{"endpoint": endpoint_for(provider, url), "urls": provider.patterns}]
        )
        result = finder.find_embed(url, max_width=max_width, max_height=max_height)
        src = player_address(result.get("html") or "", provider)
        if not src:
            raise EmbedNotFoundException(f"No player of {provider.name} in the answer for {url}")
        title = result.get("title") or provider.name
        result["html"] = player_html(src, title)
        result["provider_name"] = provider.name
        # Thumbnails would be loaded from the provider before the visitor agrees to it.
        result["thumbnail_url"] = ""
        return result


@dataclass(frozen=True)
class DisplayedEmbed:
    """What the privacy wrapper shows for an address: the player, or only a link."""

    url: str
    provider: Provider | None
    title: str
    iframe: SafeString | None

    @property
    def link(self) -> str:
        """The address as a link, only when it is a web address (never ``javascript:``)."""
        return self.url if urlsplit(self.url).scheme in ("https", "http") else ""

    @property
    def provider_name(self) -> str:
        return self.provider.name if self.provider else urlsplit(self.url).hostname or ""


def embed_for_display(url: str, title: str = "") -> DisplayedEmbed:
    """The player for ``url`` as stored when its page was saved, or only a link.

    Never a fetch: a visitor does not wait on a provider, nor choose when the server asks
    one. An address never fetched (or whose provider did not answer) gives a plain link.
    A provider removed from the portal's list is no longer shown, even if stored.
    """
    provider = provider_for(url)
    if provider is None:
        return DisplayedEmbed(url=url, provider=None, title=title, iframe=None)
    embed = stored_embed(url)
    if embed is None:
        return DisplayedEmbed(url=url, provider=provider, title=title, iframe=None)
    # Checked again at display: what is shown never depends on what was stored.
    src = player_address(embed.html, provider)
    shown_title = title or embed.title or provider.name
    iframe = player_html(src, shown_title) if src else None
    return DisplayedEmbed(url=url, provider=provider, title=shown_title, iframe=iframe)
