"""Receiving a request to launch a media: stored for the federation's staff, who are told
by e-mail (to the federation's contact address and each staff member)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from frontdoor.models import LaunchRequest
from tenants.addresses import current_portal, current_portal_base_url
from tenants.group_names import FEDERATION_STAFF


def staff_addresses() -> list[str]:
    """Who hears of a new request: the portal's contact address, then every active member
    of the federation's staff group (and superusers), once each."""
    portal = current_portal()
    addresses = [portal.contact_email] if portal and portal.contact_email else []
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    staff = users.filter(groups__name=FEDERATION_STAFF) | users.filter(is_superuser=True)
    addresses += staff.distinct().order_by("email").values_list("email", flat=True)
    return list(dict.fromkeys(address.strip().lower() for address in addresses))


def receive(launch_request: LaunchRequest) -> LaunchRequest:
    """Store a request sent from the public form and tell the staff; the message links
    to the request in this portal's admin. Nothing the sender typed goes in the subject."""
    launch_request.save()
    recipients = staff_addresses()
    if recipients:
        portal = current_portal()
        admin_path = reverse(
            "wagtailsnippets_frontdoor_launchrequest:edit", args=[launch_request.pk]
        )
        body = render_to_string(
            "frontdoor/emails/new_request.txt",
            {
                "request": launch_request,
                "portal": portal,
                "admin_url": f"{current_portal_base_url() or ''}{admin_path}",
            },
        )
        EmailMessage(
            subject=f"[{portal.name if portal else settings.NETWORK_NAME}] "
            "Nouvelle demande : lancer un média",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
            reply_to=[launch_request.email],
        ).send()
    return launch_request


def purge(now: datetime.datetime | None = None) -> int:
    """Delete the requests sent more than ``LAUNCH_REQUEST_RETENTION_DAYS`` ago, whatever
    their state: what came of them lives on elsewhere (a portal opened, a partner). Returns
    how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.LAUNCH_REQUEST_RETENTION_DAYS)
    deleted, _by_model = LaunchRequest.objects.filter(created_at__lte=limit).delete()
    return deleted
