"""The secret of the portal a private link belongs to, for the features' token salts.

A salt that names only the schema lets a portal opened again under a deleted one's slug
honour that portal's links. Each registry row has a random ``secret`` instead: a new
portal, or a copy made by import, draws a new one.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Neighbourhood
from tenants.network_login import network_password_hash


def portal_secret(schema_name: str | None = None) -> str:
    """The secret of the portal ``schema_name`` (by default the one the connection is on);
    empty for a schema that is no portal (the template)."""
    schema = schema_name or connection.schema_name
    tenant = getattr(connection, "tenant", None)
    # The middleware and tenant_context set the real row: no query then.
    if isinstance(tenant, Neighbourhood) and tenant.schema_name == schema and tenant.secret:
        return tenant.secret
    with schema_context(get_public_schema_name()):
        found = (
            Neighbourhood.objects.filter(schema_name=schema)
            .values_list("secret", flat=True)
            .first()
        )
    return found or ""


def portal_salt(purpose: str) -> str:
    """A signing salt for ``purpose`` bound to the current portal: its schema and secret."""
    return f"{purpose}.{connection.schema_name}.{portal_secret()}"


class PortalTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-link tokens (invitations, resets), bound to the portal's secret.

    A copy made by import has the same users, password hashes included: without the
    secret, a link sent by the source portal would choose a password on the copy. The
    network's password hash is in it too: a new password chosen at any portal kills the
    links every portal sent before (``tenants.network_login``).
    """

    key_salt = "tenants.portal_secrets.PortalTokenGenerator"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        return (
            super()._make_hash_value(user, timestamp)
            + portal_secret()
            + network_password_hash(user)
        )


portal_token_generator = PortalTokenGenerator()
