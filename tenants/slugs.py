"""What a portal's slug (its schema name and first label of its domain) may be."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]{1,39}$")

# Names PostgreSQL, django-tenants or the network already use, or that would make a
# confusing host name (admin.<domain>, www.<domain>...).
RESERVED_SLUGS = frozenset(
    {
        "public",
        "information_schema",
        "default",
        "template",
        "admin",
        "api",
        "www",
        "mail",
        "static",
        "media",
        "reseau",
        "network",
    }
)
RESERVED_PREFIXES = ("pg_", "tpl", "spare")


def validate_slug(value: str) -> None:
    """Refuse a slug that is not a valid, non-reserved schema name, in French."""
    if not isinstance(value, str):
        value = ""
    if value in RESERVED_SLUGS or value == settings.TENANT_BASE_SCHEMA:
        raise ValidationError(
            _("L'identifiant « %(value)s » est réservé par le réseau : choisissez-en un autre."),
            code="reserved_slug",
            params={"value": value},
        )
    if value.startswith(RESERVED_PREFIXES):
        raise ValidationError(
            _(
                "L'identifiant « %(value)s » commence par un préfixe réservé "
                "(%(prefixes)s) : choisissez-en un autre."
            ),
            code="reserved_slug",
            params={"value": value, "prefixes": ", ".join(RESERVED_PREFIXES)},
        )
    if not SLUG_PATTERN.match(value):
        raise ValidationError(
            _(
                "L'identifiant « %(value)s » n'est pas valide : de 2 à 40 caractères, "
                "lettres minuscules sans accent et chiffres, en commençant par une lettre "
                "(par exemple « belleville »)."
            ),
            code="invalid_slug",
            params={"value": value},
        )
