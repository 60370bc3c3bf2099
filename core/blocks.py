"""StreamField blocks shared by every app's pages."""

from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    """A section title inside a body (h2 or h3, so the outline stays right)."""

    text = blocks.CharBlock(label="Titre", max_length=120)
    level = blocks.ChoiceBlock(
        label="Niveau", choices=[("h2", "Titre de section"), ("h3", "Sous-titre")], default="h2"
    )

    class Meta:
        icon = "title"
        label = "Titre"
        template = "core/blocks/heading_block.html"
        preview_value = {"text": "Paroles de territoires", "level": "h2"}
        description = "Un titre de section."


class BodyBlock(blocks.StreamBlock):
    """The body of an editorial page: titles and paragraphs (other apps add their own)."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="Paragraphe",
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        icon="pilcrow",
        preview_value="<p>Les habitants prennent la parole sur la vie du quartier.</p>",
        description="Du texte, avec liens et listes.",
    )

    class Meta:
        block_counts = {}
