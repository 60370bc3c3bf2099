"""What a portal keeps of the fediverse, in its own schema: its key pair, who follows it,
the deliveries that failed for good, and the objects withdrawn."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyPair(models.Model):
    """An actor's RSA key pair, made at the first need (``fediverse.keys``).

    The private half never leaves its table: no admin, page, feed or log shows it; it
    only signs the actor's outgoing requests. One row per schema (``singleton``).
    """

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    private_key_pem = models.TextField(editable=False)
    public_key_pem = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class RemoteFollower(models.Model):
    """A remote account that follows one of the portal's actors."""

    actor_id = models.URLField(_("compte"), max_length=500, unique=True)
    handle = models.CharField(_("identifiant"), max_length=300, blank=True)
    inbox = models.URLField(_("boîte de réception"), max_length=500)
    shared_inbox = models.URLField(_("boîte partagée"), max_length=500, blank=True)
    follow_id = models.URLField(_("demande d'abonnement"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("abonné depuis"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.handle or self.actor_id


class ActorKey(KeyPair):
    """The portal's key pair."""

    class Meta(KeyPair.Meta):
        verbose_name = _("clé du portail")

    def __str__(self) -> str:
        return str(_("Clé du portail"))


class Follower(RemoteFollower):
    """A remote account (Mastodon...) that follows this portal."""

    class Meta(RemoteFollower.Meta):
        verbose_name = _("abonné du fédiverse")
        verbose_name_plural = _("abonnés du fédiverse")


class DeliveryFailure(models.Model):
    """An activity that could not be delivered to a remote inbox after every attempt."""

    # What the animators read for each ActivityPub activity, by the type of what it
    # carried (what a withdrawn object was, for a Delete).
    LABELS = {
        ("Create", "Article"): _("Publication d'un article"),
        ("Update", "Article"): _("Modification d'un article"),
        ("Delete", "Article"): _("Retrait d'un article"),
        ("Create", "Note"): _("Publication d'un billet"),
        ("Update", "Note"): _("Modification d'un billet"),
        ("Delete", "Note"): _("Retrait d'un billet"),
        ("Update", "Event"): _("Modification d'un événement"),
        ("Delete", "Event"): _("Retrait d'un événement"),
    }
    # Activities whose object does not change the words, and failures recorded before
    # the carried type was.
    ACTIVITY_LABELS = {
        "Accept": _("Acceptation d'un abonnement"),
        "Create": _("Publication d'un contenu"),
        "Update": _("Modification d'un contenu"),
        "Delete": _("Retrait d'un contenu"),
        "Move": _("Changement d'adresse du portail"),
        "Announce": _("Annonce d'un événement"),
    }

    inbox = models.URLField(_("boîte de réception"), max_length=500)
    activity_type = models.CharField(_("activité"), max_length=40)
    object_type = models.CharField(_("objet"), max_length=40, blank=True)
    error = models.CharField(_("erreur"), max_length=500)
    attempts = models.PositiveSmallIntegerField(_("essais"))
    failed_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("envoi en échec")
        verbose_name_plural = _("envois en échec")
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.activity_label()} → {self.inbox}"

    def activity_label(self) -> str:
        """The activity in the animators' words."""
        label = self.LABELS.get((self.activity_type, self.object_type))
        return str(label or self.ACTIVITY_LABELS.get(self.activity_type, self.activity_type))


class FormerAddress(models.Model):
    """An address the portal's actor had before its primary host changed (``fediverse.
    moves``): its actor document names it in ``alsoKnownAs`` (how Mastodon checks a
    ``Move``), and the old host, while it still serves the portal, answers the actor
    there with ``movedTo``."""

    actor_id = models.URLField(_("ancienne adresse"), max_length=500, unique=True)
    host = models.CharField(_("ancien nom d'hôte"), max_length=253, db_index=True)
    moved_at = models.DateTimeField(_("quittée le"), auto_now=True)

    class Meta:
        verbose_name = _("ancienne adresse du portail")
        verbose_name_plural = _("anciennes adresses du portail")
        ordering = ["moved_at"]

    def __str__(self) -> str:
        return self.actor_id


class Tombstone(models.Model):
    """An object that went out and was withdrawn (unpublished, deleted, made private):
    its address answers 410 Gone, even once its page no longer exists."""

    folder = models.CharField(_("type d'objet"), max_length=20)
    page_id = models.PositiveIntegerField(_("page"))
    withdrawn_at = models.DateTimeField(_("retiré le"), auto_now=True)

    class Meta:
        verbose_name = _("objet retiré du fédiverse")
        verbose_name_plural = _("objets retirés du fédiverse")
        constraints = [
            models.UniqueConstraint(fields=["folder", "page_id"], name="fediverse_tombstone_once")
        ]

    def __str__(self) -> str:
        return f"/ap/{self.folder}/{self.page_id}"


class AgendaKey(KeyPair):
    """The key pair of the portal's agenda actor (``fediverse.agenda_actor``), its own so
    that the agenda's signatures never speak for the portal's actor, nor the reverse."""

    class Meta(KeyPair.Meta):
        verbose_name = _("clé de l'agenda")

    def __str__(self) -> str:
        return str(_("Clé de l'agenda"))


class AgendaFollower(RemoteFollower):
    """A remote actor that follows the portal's agenda: a Mobilizon instance's relay, most
    often, which then lists the portal's public events."""

    class Meta(RemoteFollower.Meta):
        verbose_name = _("abonné de l'agenda")
        verbose_name_plural = _("abonnés de l'agenda")
