"""The e-mail that lets a new animator choose their password, linking to their own portal."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import is_password_usable
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context

from tenants.addresses import portal_base_url
from tenants.models import Neighbourhood
from tenants.network_login import account_for
from tenants.portal_secrets import portal_token_generator


def set_password_url(neighbourhood: Neighbourhood, user: AbstractBaseUser) -> str:
    """The one-time link to choose a password, on the portal's own host."""
    with schema_context(neighbourhood.schema_name):
        path = reverse(
            "wagtailadmin_password_reset_confirm",
            urlconf=settings.ROOT_URLCONF,
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": portal_token_generator.make_token(user),
            },
        )
    return portal_base_url(neighbourhood) + path


def send_invitation(
    neighbourhood: Neighbourhood,
    user: AbstractBaseUser,
    role: str = "animator",
    blog: object | None = None,
) -> None:
    """Invite ``user`` to the portal's admin, as animator, as contributor of ``blog`` or
    as a ``member`` added in the user admin: who invites them, where, and the link to
    choose a password, or, when their network account has one, to sign in with it."""
    account = account_for(user.email)
    context = {
        "has_network_password": account is not None and is_password_usable(account.password),
        "portal": neighbourhood,
        "user": user,
        "role": role,
        "blog": blog,
        "set_password_url": set_password_url(neighbourhood, user),
        "admin_url": portal_base_url(neighbourhood) + "/admin/",
        "network_name": settings.NETWORK_NAME,
    }
    send_mail(
        subject=f"Votre accès au portail {neighbourhood.name}",
        message=render_to_string("tenants/emails/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
