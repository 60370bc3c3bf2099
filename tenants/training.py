"""Animators' training path (public schema): the methodology's modules each person has
followed, when, with the federation's notes.

Kept per network account, not per portal's local account: a person who animates two
portals, or moves from one to another, keeps one path. The modules are the methodology's
(``portal.methodology``'s ``MethodologyPage.Module``), named here by their code only:
the registry does not know the features; the screen that shows the path does.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.accounts import NetworkAccount


class TrainingStep(models.Model):
    """A methodology module a person followed, on a date, with what the trainer noted."""

    account = models.ForeignKey(
        NetworkAccount, on_delete=models.CASCADE, related_name="training_steps"
    )
    module = models.CharField(_("module"), max_length=40)
    followed_on = models.DateField(_("suivi le"))
    note = models.TextField(_("notes"), max_length=2000, blank=True)
    recorded_by = models.CharField(_("noté par"), max_length=254, blank=True)
    recorded_at = models.DateTimeField(_("noté le"), auto_now=True)

    class Meta:
        verbose_name = _("étape du parcours de formation")
        verbose_name_plural = _("étapes des parcours de formation")
        ordering = ["followed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "module"], name="one_step_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.module}"
