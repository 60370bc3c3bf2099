"""What a person of the network chooses to show their colleagues in the animators'
directory. Public schema: the directory spans every portal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.accounts import NetworkAccount


class DirectoryEntry(models.Model):
    """A network account's card in the directory. Empty fields are not shown: by default
    a colleague sees the name and the portals (those come from the memberships), nothing
    else, until the person adds a contact or a line about what they know how to do."""

    account = models.OneToOneField(
        NetworkAccount, on_delete=models.CASCADE, related_name="directory_entry"
    )
    name = models.CharField(_("nom affiché"), max_length=120, blank=True)
    email = models.EmailField(
        _("adresse à montrer"),
        blank=True,
        help_text=_("Laissez vide pour ne pas la montrer."),
    )
    phone = models.CharField(
        _("téléphone à montrer"),
        max_length=30,
        blank=True,
        help_text=_("Laissez vide pour ne pas le montrer."),
    )
    skills = models.CharField(
        _("ce que je sais faire"),
        max_length=200,
        blank=True,
        help_text=_("Une ligne : « montage son, ateliers d'écriture, arabe »."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fiche de l'annuaire")
        verbose_name_plural = _("fiches de l'annuaire")

    def __str__(self) -> str:
        return self.name or str(self.account_id)
