"""The key pairs (RSA 2048) of the portal's actors, each made lazily at the first request
that needs it: the portal's (``ActorKey``) and its agenda's (``AgendaKey``)."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from fediverse.models import ActorKey, AgendaKey


def _new_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return private, public


def portal_key() -> ActorKey:
    """The key pair of the portal whose schema is in use, made the first time."""
    return _key_of(ActorKey)


def agenda_key() -> AgendaKey:
    """The key pair of the portal's agenda actor, made the first time."""
    return _key_of(AgendaKey)


def _key_of(model: type[ActorKey] | type[AgendaKey]) -> ActorKey | AgendaKey:
    """The one row of ``model``, made the first time.

    Two first requests at once: the unique ``singleton`` lets one row in, the other
    request reads it.
    """
    existing = model.objects.first()
    if existing is not None:
        return existing
    private, public = _new_pair()
    try:
        with transaction.atomic():
            return model.objects.create(private_key_pem=private, public_key_pem=public)
    except IntegrityError:
        return model.objects.get()


def private_key(pair: ActorKey | AgendaKey | None = None) -> rsa.RSAPrivateKey:
    """The private half of ``pair`` (the portal's by default), to sign with (never to show)."""
    pair = pair or portal_key()
    key = serialization.load_pem_private_key(pair.private_key_pem.encode(), None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("The portal's key is an RSA key.")
    return key


def replace_key() -> ActorKey:
    """A new key pair for the current portal, the old one forgotten: whatever was signed
    with it no longer speaks for this portal."""
    with transaction.atomic():
        ActorKey.objects.all().delete()
        private, public = _new_pair()
        return ActorKey.objects.create(private_key_pem=private, public_key_pem=public)
