"""HTTP signatures of the fediverse: draft-cavage (what Mastodon sends and what we sign
with) and RFC 9421 (what newer servers send), both checked on the inbox.

Written by hand on ``cryptography`` and ``http-sf`` (RFC 8941 structured fields): the
two libraries the tests check against (``apsig``, ``http-message-signatures``) are kept
out of the production code, so that each direction is checked by an implementation that
is not ours. Each function is a few lines of the two specifications.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

import http_sf
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from django.utils import timezone

# How far a request's date may be from ours, both ways.
MAX_SKEW = datetime.timedelta(hours=12)


class SignatureRefused(Exception):
    """A request whose signature does not hold; the message is the short reason."""


@dataclass(frozen=True)
class SignedRequest:
    """What a signature is checked against: the request as it arrived."""

    method: str
    path: str  # with its query string
    host: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class ParsedSignature:
    """A signature found on a request, before its key is known."""

    key_id: str
    check: object  # a callable(public_key_pem) -> None, raising SignatureRefused


# --- Digests --------------------------------------------------------------------------


def digest_header(body: bytes) -> str:
    """``Digest`` of draft-cavage (RFC 3230): ``SHA-256=<base64>``."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def _check_digest(value: str, body: bytes) -> None:
    for part in value.split(","):
        name, _, encoded = part.strip().partition("=")
        if name.lower() == "sha-256":
            if encoded == base64.b64encode(hashlib.sha256(body).digest()).decode("ascii"):
                return
            raise SignatureRefused("Digest does not match the body")
    raise SignatureRefused("Digest without SHA-256")


def _check_content_digest(value: str, body: bytes) -> None:
    try:
        members = http_sf.parse(value.encode(), tltype="dictionary")
    except Exception as error:  # http_sf raises plain ValueErrors and more
        raise SignatureRefused("Content-Digest unreadable") from error
    algorithms = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}
    for name, make in algorithms.items():
        if name in members:
            value_bytes = members[name][0]
            if isinstance(value_bytes, bytes) and value_bytes == make(body).digest():
                return
            raise SignatureRefused("Content-Digest does not match the body")
    raise SignatureRefused("Content-Digest without sha-256 or sha-512")


# --- Keys and algorithms ---------------------------------------------------------------


def _load_public_key(pem: str):
    try:
        return serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as error:
        raise SignatureRefused("Unreadable public key") from error


def _verify(pem: str, signature: bytes, message: bytes, algorithm: str | None) -> None:
    key = _load_public_key(pem)
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if algorithm == "rsa-pss-sha512":
                key.verify(
                    signature,
                    message,
                    padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64),
                    hashes.SHA512(),
                )
            elif algorithm in (None, "rsa-sha256", "hs2019", "rsa-v1_5-sha256"):
                key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
            else:
                raise SignatureRefused("Unsupported algorithm")
        elif isinstance(key, ed25519.Ed25519PublicKey):
            if algorithm not in (None, "hs2019", "ed25519"):
                raise SignatureRefused("Unsupported algorithm")
            key.verify(signature, message)
        else:
            raise SignatureRefused("Unsupported key type")
    except InvalidSignature as error:
        raise SignatureRefused("Signature does not verify") from error


def _check_moment(moment: datetime.datetime, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if abs(now - moment) > MAX_SKEW:
        raise SignatureRefused("Date too far from now")


def _check_timestamp(seconds: int) -> None:
    """``(created)`` / ``created``: a number of seconds the sender chose, possibly beyond
    any calendar (``datetime`` then raises), refused like any date too far from now."""
    now = timezone.now()
    if abs(now.timestamp() - seconds) > MAX_SKEW.total_seconds():
        raise SignatureRefused("Date too far from now")


def _check_expiry(seconds: int) -> None:
    """A signature its sender said would no longer hold after ``seconds``."""
    if seconds < timezone.now().timestamp():
        raise SignatureRefused("Signature expired")


# --- draft-cavage -----------------------------------------------------------------------

_PARAM = re.compile(r'\s*([a-zA-Z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


def _cavage_params(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    position = 0
    while position < len(value):
        match = _PARAM.match(value, position)
        if match is None:
            raise SignatureRefused("Signature header unreadable")
        params[match.group(1)] = match.group(2)
        position = match.end()
    return params


def _cavage(request: SignedRequest) -> ParsedSignature:
    params = _cavage_params(request.headers["signature"])
    key_id, signature_b64 = params.get("keyId"), params.get("signature")
    if not key_id or not signature_b64:
        raise SignatureRefused("Signature without keyId or signature")
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except ValueError as error:
        raise SignatureRefused("Signature not in base64") from error
    names = params.get("headers", "date").lower().split()
    algorithm = params.get("algorithm", "").lower() or None
    if "(request-target)" not in names or "host" not in names:
        raise SignatureRefused("Signature must cover (request-target) and host")
    if "date" not in names and "(created)" not in names:
        raise SignatureRefused("Signature must cover date or (created)")
    if request.body and "digest" not in names:
        raise SignatureRefused("Signature must cover digest")
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"{name}: {request.method.lower()} {request.path}")
        elif name in ("(created)", "(expires)"):
            number = params.get(name.strip("()"), "")
            # isdecimal()'s ASCII digits only: "²".isdigit() is True and int() refuses it.
            if not (number.isascii() and number.isdecimal()):
                raise SignatureRefused(f"{name} missing")
            lines.append(f"{name}: {number}")
        elif name == "host":
            lines.append(f"host: {request.host}")
        elif name in request.headers:
            lines.append(f"{name}: {request.headers[name]}")
        else:
            raise SignatureRefused(f"Signed header missing: {name}")
    if "digest" in names:
        _check_digest(request.headers["digest"], request.body)
    if "date" in names:
        try:
            _check_moment(parsedate_to_datetime(request.headers["date"]))
        except (TypeError, ValueError) as error:
            raise SignatureRefused("Date unreadable") from error
    if "(created)" in names:
        _check_timestamp(int(params["created"]))
    if "(expires)" in names:
        _check_expiry(int(params["expires"]))
    message = "\n".join(lines).encode()

    def check(pem: str) -> None:
        _verify(pem, signature, message, algorithm)

    return ParsedSignature(key_id=key_id, check=check)


def sign_cavage(
    private_key: rsa.RSAPrivateKey, key_id: str, url: str, body: bytes
) -> dict[str, str]:
    """The headers of a POST of ``body`` to ``url`` signed as Mastodon expects
    (rsa-sha256 over ``(request-target) host date digest``)."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Host": parts.netloc,
        "Date": format_datetime(timezone.now().astimezone(datetime.UTC), usegmt=True),
        "Digest": digest_header(body),
    }
    message = "\n".join(
        [
            f"(request-target): post {path}",
            f"host: {headers['Host']}",
            f"date: {headers['Date']}",
            f"digest: {headers['Digest']}",
        ]
    ).encode()
    signature = base64.b64encode(private_key.sign(message, padding.PKCS1v15(), hashes.SHA256()))
    headers["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",'
        f'headers="(request-target) host date digest",signature="{signature.decode("ascii")}"'
    )
    return headers


# --- RFC 9421 --------------------------------------------------------------------------


def _component(request: SignedRequest, name: str, scheme: str) -> str:
    path, _, query = request.path.partition("?")
    derived = {
        "@method": request.method.upper(),
        "@authority": request.host.lower(),
        "@scheme": scheme,
        "@path": path,
        "@query": "?" + query,
        "@request-target": request.path,
        "@target-uri": f"{scheme}://{request.host.lower()}{request.path}",
    }
    if name in derived:
        return derived[name]
    if name.startswith("@"):
        raise SignatureRefused(f"Unsupported component {name}")
    if name not in request.headers:
        raise SignatureRefused(f"Signed header missing: {name}")
    return request.headers[name].strip()


def _rfc9421(request: SignedRequest, scheme: str) -> ParsedSignature:
    try:
        inputs = http_sf.parse(request.headers["signature-input"].encode(), tltype="dictionary")
        signatures = http_sf.parse(request.headers["signature"].encode(), tltype="dictionary")
    except Exception as error:  # http_sf raises plain ValueErrors and more
        raise SignatureRefused("Signature-Input unreadable") from error
    label = next((name for name in inputs if name in signatures), None)
    if label is None:
        raise SignatureRefused("Signature-Input without its Signature")
    (components, params), (signature, _sig_params) = inputs[label], signatures[label]
    if not isinstance(components, list) or not isinstance(signature, bytes):
        raise SignatureRefused("Signature-Input unreadable")
    names = []
    for item, item_params in components:
        if not isinstance(item, str) or item_params:
            raise SignatureRefused("Unsupported component")
        names.append(item)
    key_id = params.get("keyid")
    if not isinstance(key_id, str) or not key_id:
        raise SignatureRefused("Signature-Input without keyid")
    created = params.get("created")
    if not isinstance(created, int):
        raise SignatureRefused("Signature-Input without created")
    _check_timestamp(created)
    expires = params.get("expires")
    if expires is not None:
        if not isinstance(expires, int):
            raise SignatureRefused("Signature-Input with an unreadable expires")
        _check_expiry(expires)
    if "@method" not in names or not (
        "@target-uri" in names or ("@authority" in names and "@path" in names)
    ):
        raise SignatureRefused("Signature must cover the method and the address")
    if request.body:
        if "content-digest" not in names or "content-digest" not in request.headers:
            raise SignatureRefused("Signature must cover content-digest")
        _check_content_digest(request.headers["content-digest"], request.body)
    lines = [f'"{name}": {_component(request, name, scheme)}' for name in names]
    serialized = http_sf.ser({label: (components, params)}).split("=", 1)[1]
    lines.append(f'"@signature-params": {serialized}')
    message = "\n".join(lines).encode()
    algorithm = params.get("alg") if isinstance(params.get("alg"), str) else None

    def check(pem: str) -> None:
        if algorithm is None and isinstance(_load_public_key(pem), rsa.RSAPublicKey):
            # No "alg": what the key allows. Mastodon signs RSA with v1.5.
            try:
                _verify(pem, signature, message, "rsa-v1_5-sha256")
            except SignatureRefused:
                _verify(pem, signature, message, "rsa-pss-sha512")
            return
        _verify(pem, signature, message, algorithm)

    return ParsedSignature(key_id=key_id, check=check)


def parse(request: SignedRequest, scheme: str = "https") -> ParsedSignature:
    """The signature on ``request`` (RFC 9421 if it has one, else draft-cavage), checked
    for everything but the key: its digest, its date, what it covers."""
    if "signature-input" in request.headers and "signature" in request.headers:
        return _rfc9421(request, scheme)
    if "signature" in request.headers:
        return _cavage(request)
    raise SignatureRefused("No signature")
