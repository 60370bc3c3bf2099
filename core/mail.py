"""Which portal an e-mail belongs to, there and back: on the way out, the portal's schema
rides on the message; on the way back, the sending provider's signed events (bounces,
complaints) name it, and the registry says whether that portal may still hear of them.

Out. ``tag_with_portal(message)`` writes the schema in a header (``X-Quartiers-Portal``,
kept by any serialisation of the message, a queue's included) and in anymail's
``message.metadata`` (which every provider anymail supports sends back in its events).
With a provider configured (``ANYMAIL_PROVIDER``), anymail's ``pre_send`` signal tags every
message just before it leaves, whoever built it (Wagtail's password resets, each feature's
notifications): from its header if it has one, else from the schema in use (a request's,
or a background task's that entered its portal). Builders that know their portal, and a
queueing backend at enqueue time, call ``tag_with_portal`` themselves.

Back. The provider's tracking webhook is served on the network's public host only
(``/anymail/<provider>/tracking/``, ``core.urls_public``): a portal's host never answers
for another portal's mail. anymail checks the provider's signature (or the shared basic
auth secret where the provider signs nothing) and turns the payload into an
``AnymailTrackingEvent`` sent on its ``tracking`` signal; features read the portal of an
event with ``portal_of_event`` and act inside its schema.
"""

from __future__ import annotations

import logging
from typing import Any

from anymail import urls as anymail_urls
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django_tenants.utils import get_public_schema_name, get_tenant_base_schema, schema_context

from tenants.models import Neighbourhood

logger = logging.getLogger(__name__)

PORTAL_HEADER = "X-Quartiers-Portal"
PORTAL_METADATA_KEY = "portal"


def _no_portal_schemas() -> tuple[str, str]:
    """The schemas that hold no portal's mail: public and the template."""
    return (get_public_schema_name(), get_tenant_base_schema())


def tag_with_portal(message: Any, schema_name: str | None = None) -> Any:
    """Mark ``message`` (a Django ``EmailMessage``) as the portal's: ``schema_name``, else
    the schema in use. Messages of the public schema stay untagged. Returns the message."""
    schema = schema_name or message.extra_headers.get(PORTAL_HEADER) or connection.schema_name
    if schema in _no_portal_schemas():
        return message
    message.extra_headers.setdefault(PORTAL_HEADER, schema)
    metadata = dict(getattr(message, "metadata", None) or {})
    metadata.setdefault(PORTAL_METADATA_KEY, message.extra_headers[PORTAL_HEADER])
    message.metadata = metadata
    return message


def tag_before_sending(sender: object, message: Any, esp_name: str, **kwargs: object) -> None:
    """anymail's ``pre_send`` receiver: every message leaves with its portal."""
    tag_with_portal(message)


def portal_of_event(event: Any) -> Neighbourhood | None:
    """The portal an anymail tracking event is about, from the metadata its message carried;
    None for a message of no portal, an unknown portal or an archived one."""
    metadata = getattr(event, "metadata", None) or {}
    schema = metadata.get(PORTAL_METADATA_KEY) if isinstance(metadata, dict) else None
    if not isinstance(schema, str) or schema in ("", *_no_portal_schemas()):
        return None
    # The registry lives in public: read it there knowingly, whatever schema is in use.
    with schema_context(get_public_schema_name()):
        portal = (
            Neighbourhood.objects.exclude(status=Neighbourhood.Status.ARCHIVED)
            .filter(schema_name=schema)
            .first()
        )
    if portal is None:
        logger.info("Mail event for no live portal (%r): ignored", schema[:63])
    return portal


@csrf_exempt  # the provider cannot hold a CSRF token: its signature stands for it
def tracking_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """The configured provider's tracking webhook (anymail's own view, which checks the
    signature: 400 on a bad one). Any other provider's address is a 404, so that an
    unconfigured view (some sign nothing) never takes events."""
    configured = getattr(settings, "ANYMAIL_PROVIDER", "")
    if not configured or provider != configured:
        raise Http404
    name = f"{provider}_tracking_webhook"
    for pattern in anymail_urls.urlpatterns:
        if getattr(pattern, "name", None) == name:
            return pattern.callback(request)
    raise Http404
