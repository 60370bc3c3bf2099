"""StreamField blocks shared by every app's pages, each with its own template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from core.privacy import is_private_document


class HeadingBlock(blocks.StructBlock):
    """A section title inside a body (h2 or h3, so the outline stays right)."""

    text = blocks.CharBlock(label=_("Titre"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section")), ("h3", _("Sous-titre"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "core/blocks/heading_block.html"
        preview_value = {"text": "Paroles de territoires", "level": "h2"}
        description = _("Un titre de section.")


class ImageBlock(blocks.StructBlock):
    """An image with its alternative text (required) and an optional caption."""

    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Texte alternatif"),
        max_length=250,
        help_text=_("Ce que l'image montre, pour les personnes qui ne la voient pas."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "core/blocks/image_block.html"
        description = _("Une photo ou une illustration, avec sa description.")


class QuoteBlock(blocks.StructBlock):
    """A resident's words, with who said them."""

    quote = blocks.TextBlock(label=_("Citation"))
    author = blocks.CharBlock(label=_("Qui parle"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "core/blocks/quote_block.html"
        preview_value = {
            "quote": "Ici, tout le monde peut prendre la parole.",
            "author": "Fatou, habitante",
        }
        description = _("Une parole d'habitant mise en avant.")


class MediaBlock(blocks.StructBlock):
    """An audio or video file from the document library, played in the page."""

    file = DocumentChooserBlock(label=_("Fichier audio ou vidéo"))
    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    transcript = blocks.TextBlock(
        label=_("Transcription"),
        required=False,
        help_text=_("Pour les personnes sourdes ou malentendantes."),
    )

    class Meta:
        icon = "media"
        label = _("Audio ou vidéo")
        template = "core/blocks/media_block.html"
        description = _("Un son ou une vidéo téléversé dans les documents.")

    def render(self, value, context=None):
        """Nothing when the file lies in a private collection: it is listed nowhere."""
        if is_private_document(value.get("file")):
            return ""
        return super().render(value, context)


class DocumentBlock(blocks.StructBlock):
    """A link to download a document (PDF, compte rendu...)."""

    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(label=_("Intitulé du lien"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document à télécharger")
        template = "core/blocks/document_block.html"
        description = _("Un lien vers un document à télécharger.")

    def render(self, value, context=None):
        """Nothing when the document lies in a private collection: it is listed nowhere."""
        if is_private_document(value.get("document")):
            return ""
        return super().render(value, context)


class CallToActionBlock(blocks.StructBlock):
    """A button that sends the reader somewhere: a page of the portal or another site."""

    text = blocks.CharBlock(label=_("Texte du bouton"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page du portail"), required=False)
    url = blocks.URLBlock(label=_("Ou adresse web"), required=False)

    class Meta:
        icon = "link"
        label = _("Appel à l'action")
        template = "core/blocks/call_to_action_block.html"
        preview_value = {"text": "Proposer un sujet", "url": "https://example.org/"}
        description = _("Un bouton vers une page ou un site.")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": [_("Choisissez une page ou saisissez une adresse web.")]}
            )
        return value


class BodyBlock(blocks.StreamBlock):
    """The body of an editorial page."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"),
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        icon="pilcrow",
        preview_value="<p>Les habitants prennent la parole sur la vie du quartier.</p>",
        description=_("Du texte, avec liens et listes."),
    )
    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        label=_("Vidéo ou son en ligne"),
        icon="media",
        template="core/blocks/embed_block.html",
        description=_("Une vidéo ou un son publié sur une plateforme (PeerTube, YouTube…)."),
    )
    media = MediaBlock()
    document = DocumentBlock()
    call_to_action = CallToActionBlock()
