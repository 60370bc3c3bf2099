"""StreamField blocks of the radio, for any page that wants a video or a sound."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.embeds.blocks import EmbedBlock

from radio.embeds import validate_embed_url


class SafeEmbedBlock(EmbedBlock):
    """A video or a sound from an accepted provider, shown behind the privacy notice.

    Wagtail's own EmbedBlock would render the provider's HTML at once and refuse other
    providers in English; this one refuses them in French and renders through
    ``radio/includes/embed.html``.
    """

    class Meta:
        icon = "media"
        label = _("Vidéo ou son")
        template = "radio/blocks/safe_embed_block.html"
        description = _("Une vidéo ou un son de PeerTube, YouTube, Vimeo, SoundCloud…")

    def clean(self, value):
        if value is not None:
            validate_embed_url(value.url)
        try:
            return super().clean(value)
        except ValidationError as error:
            # Wagtail's check asks the provider: it says "not found" in English.
            raise ValidationError(
                _("Cette vidéo ou ce son est introuvable chez son hébergeur.")
            ) from error
