"""The network's accounts (public schema): one e-mail, one password, for every portal.

A person keeps a local account in each portal where they hold a role (Django's user, in
that portal's schema: page owners, revisions, logs and workflows point at it, Wagtail's
groups and page permissions hang on it, the portal's user admin lists it). What they
share across portals is the credential alone: the ``NetworkAccount`` of their e-mail holds
the password hash every portal checks (``tenants.network_login``). ``NetworkMembership``
records which portal's local account is linked to it, so that a new password reaches every
portal's copy and an account with no role left anywhere is closed. docs/accounts.md says
why this and not global users or an OpenID Connect provider.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Neighbourhood


def normal_email(email: str) -> str:
    """The form of an e-mail the network knows people by: trimmed, lower case."""
    return (email or "").strip().lower()


class NetworkAccount(models.Model):
    """A person of the network: their e-mail and the hash of their one password."""

    email = models.EmailField(_("adresse électronique"), max_length=254, unique=True)
    password = models.CharField(_("mot de passe"), max_length=128)
    is_active = models.BooleanField(
        _("ouvert"),
        default=True,
        help_text=_("Fermé quand la personne n'a plus de rôle dans aucun portail."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("compte Quartiers")
        verbose_name_plural = _("comptes Quartiers")

    def __str__(self) -> str:
        return self.email

    def check_password(self, raw_password: str) -> bool:
        """Whether ``raw_password`` is the account's, upgrading an outdated hash on success
        (as Django does for its own users)."""

        def upgrade(raw: str) -> None:
            self.password = make_password(raw)
            NetworkAccount.objects.filter(pk=self.pk).update(password=self.password)

        return check_password(raw_password, self.password, upgrade)


class NetworkMembership(models.Model):
    """A portal's local account linked to a network account, while it holds a role there.

    ``former_password`` is kept only for a person who had two different passwords on two
    portals before the accounts were joined (see docs/accounts.md): that portal still
    accepts its own former password, there only, until the person signs in there with the
    network's password or changes it.
    """

    account = models.ForeignKey(
        NetworkAccount, on_delete=models.CASCADE, related_name="memberships"
    )
    portal = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="network_memberships"
    )
    user_id = models.PositiveIntegerField(_("compte local"))
    former_password = models.CharField(max_length=128, blank=True)

    class Meta:
        verbose_name = _("rôle dans un portail")
        verbose_name_plural = _("rôles dans les portails")
        constraints = [
            models.UniqueConstraint(fields=["portal", "user_id"], name="unique_local_account")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}@{self.portal_id}"
