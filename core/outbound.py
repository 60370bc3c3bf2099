"""Requests the server makes to other servers (oEmbed today), guarded against SSRF.

A portal's editor chooses addresses the server then fetches (a video page, and through
it a provider's oEmbed endpoint; the portal's own PeerTube or Castopod host). Without a
guard that is a way into the machine's own network: the cloud's metadata service at
169.254.169.254, the database, an admin console on 127.0.0.1. So every fetch:

- resolves the host itself and refuses it if ANY address it resolves to is not public
  (private, loopback, link-local, shared, reserved, multicast, unspecified, IPv4-mapped
  IPv6 of those), then connects to the address it checked, never resolving again
  (a name that answers a public address to the check and 127.0.0.1 to the connection,
  "DNS rebinding", gets nowhere);
- follows no redirect by itself: each hop (at most ``MAX_REDIRECTS``) is checked again;
- stops at ``OUTBOUND_MAX_BYTES`` and ``OUTBOUND_TIMEOUT_SECONDS`` for the whole
  exchange, however slowly the other side trickles its answer.

``OUTBOUND_ALLOWED_NETWORKS`` (empty in production) names networks let through all the
same: a provider on the operator's own network, or the tests' servers on 127.0.0.1.

Written with ``http.client`` rather than ``requests``: requests resolves and connects in
one step (urllib3), so pinning the checked address would mean replacing its connection
classes, which is more code than this module and leans on urllib3's internals.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ipaddress
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException, HTTPResponse, HTTPSConnection
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_REDIRECTS = 3
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
USER_AGENT = "Quartiers (+https://quartiers.example)"
CHUNK = 16_384

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# Name resolutions in progress, each bounded by its fetch's deadline (see ``_resolve``).
_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="outbound-dns")


class OutboundError(Exception):
    """A fetch that did not complete; the message says why, in French."""


class AddressRefused(OutboundError):
    """The address is not one the server may fetch (scheme, or a non-public host)."""


class TooLarge(OutboundError):
    """The answer is longer than ``OUTBOUND_MAX_BYTES``."""


class TooSlow(OutboundError):
    """The exchange lasted longer than ``OUTBOUND_TIMEOUT_SECONDS``."""


@dataclass(frozen=True)
class Response:
    """What a fetch brought back: the final address, its status, headers and body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def is_public(address: Address) -> bool:
    """True when ``address`` is on the public Internet (IPv4-mapped IPv6 judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    ):
        return False
    return address.is_global


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net) for net in getattr(settings, "OUTBOUND_ALLOWED_NETWORKS", [])]


def is_allowed(address: Address) -> bool:
    """True when the server may connect to ``address``."""
    return is_public(address) or any(address in net for net in _allowed_networks())


def _resolve(host: str, port: int, deadline: float) -> list[tuple]:
    """``getaddrinfo`` within the deadline: the system resolver takes no timeout of ours,
    so it runs in a worker thread that is abandoned (it ends on its own) past the deadline."""
    future = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        return future.result(timeout=max(deadline - time.monotonic(), 0))
    except concurrent.futures.TimeoutError as error:
        raise TooSlow(_("Le nom %(host)s n'a pas été résolu à temps.") % {"host": host}) from error
    except (socket.gaierror, UnicodeError) as error:
        raise OutboundError(_("Nom d'hôte introuvable : %(host)s.") % {"host": host}) from error


def checked_address(host: str, port: int, deadline: float) -> tuple[str, int]:
    """The address to connect to for ``host``: every address it resolves to must be allowed.

    All of them, not only the first: a name listing a public address and a private one
    would otherwise depend on which the connection picks.
    """
    infos = _resolve(host, port, deadline)
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    refused = [address for address in addresses if not is_allowed(address)]
    if refused or not addresses:
        raise AddressRefused(
            _("%(host)s (%(address)s) n'est pas une adresse publique : requête refusée.")
            % {"host": host, "address": refused[0] if refused else "?"}
        )
    return str(addresses[0]), port


class _PinnedHTTPConnection(HTTPConnection):
    """An HTTP connection to an address checked beforehand, whatever the host's DNS says."""

    def __init__(self, host: str, port: int, address: tuple[str, int], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.raw_socket: socket.socket | None = None

    def connect(self) -> None:
        self.sock = self.raw_socket = socket.create_connection(self.address, self.timeout)


class _PinnedHTTPSConnection(HTTPSConnection):
    """HTTPS to a checked address; the certificate is still checked against the host name."""

    def __init__(self, host: str, port: int, address: tuple[str, int], timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address
        self.raw_socket: socket.socket | None = None

    def connect(self) -> None:
        plain = socket.create_connection(self.address, self.timeout)
        # The TLS socket takes the descriptor over: the deadline's timer must shut that
        # one down, the handshake included, hence the handshake after it is known.
        self.sock = self.raw_socket = self.tls.wrap_socket(
            plain, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.sock.do_handshake()


def _target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of a web address; anything else is refused."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(
            _("Seules les adresses web (http, https) peuvent être demandées : %(url)s.")
            % {"url": url[:200]}
        )
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise AddressRefused(_("Adresse invalide : %(url)s.") % {"url": url[:200]}) from error
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port, path


def _read_body(response: HTTPResponse, deadline: float, max_bytes: int, sock) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise TooLarge(_("Réponse trop longue (%(n)s octets).") % {"n": length})
    body = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TooSlow(_("Le serveur distant a mis trop de temps à répondre."))
        sock.settimeout(remaining)
        # read1: returns what has arrived, so a trickle cannot hold one read past the deadline.
        chunk = response.read1(CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > max_bytes:
            raise TooLarge(_("Réponse trop longue (plus de %(n)s octets).") % {"n": max_bytes})


def _exchange(
    method: str,
    url: str,
    headers: dict[str, str],
    deadline: float,
    max_bytes: int,
    body: bytes | None = None,
) -> Response:
    scheme, host, port, path = _target(url)
    address = checked_address(host, port, deadline)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TooSlow(_("Le serveur distant a mis trop de temps à répondre."))
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout=remaining)
    # The socket timeout bounds each read; this timer bounds the whole exchange, headers
    # included, by shutting the socket down when the deadline passes.
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        if connection.raw_socket is not None:
            with contextlib.suppress(OSError):
                connection.raw_socket.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(remaining, expire)
    timer.daemon = True
    timer.start()
    try:
        connection.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        if response.status in REDIRECT_STATUSES:
            body = b""
        else:
            body = _read_body(response, deadline, max_bytes, connection.raw_socket)
        return Response(
            url=url,
            status=response.status,
            headers={name.lower(): value for name, value in response.getheaders()},
            body=body,
        )
    except (OSError, HTTPException) as error:
        if expired.is_set() or isinstance(error, TimeoutError):
            raise TooSlow(_("Le serveur distant a mis trop de temps à répondre.")) from error
        raise OutboundError(
            _("Le serveur distant n'a pas pu être joint : %(error)s.") % {"error": error}
        ) from error
    finally:
        timer.cancel()
        connection.close()


def fetch(
    url: str,
    *,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """GET ``url`` (with ``params`` added to its query) under the guard described above.

    Raises ``AddressRefused``, ``TooLarge``, ``TooSlow`` or ``OutboundError``; never
    returns an answer from a refused address. Redirects are followed by hand, each hop
    checked again, at most ``MAX_REDIRECTS`` times.
    """
    if params:
        url += ("&" if urlsplit(url).query else "?") + urlencode(params)
    timeout = float(getattr(settings, "OUTBOUND_TIMEOUT_SECONDS", 5))
    max_bytes = int(getattr(settings, "OUTBOUND_MAX_BYTES", 1_000_000))
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        response = _exchange("GET", url, headers or {}, deadline, max_bytes)
        location = response.headers.get("location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        url = urljoin(url, location)
    raise OutboundError(_("Trop de redirections."))


def post(url: str, body: bytes, *, headers: dict[str, str] | None = None) -> Response:
    """POST ``body`` to ``url`` under the same guard as ``fetch`` (an ActivityPub delivery
    to a remote inbox). A redirect is returned as it is, never followed: the body was
    signed for this address only."""
    timeout = float(getattr(settings, "OUTBOUND_TIMEOUT_SECONDS", 5))
    max_bytes = int(getattr(settings, "OUTBOUND_MAX_BYTES", 1_000_000))
    deadline = time.monotonic() + timeout
    return _exchange("POST", url, headers or {}, deadline, max_bytes, body=body)
