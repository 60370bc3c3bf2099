"""The blocks of the SCIC's page: its colleges and its general assemblies."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.blocks import DocumentBlock


class CollegeBlock(blocks.StructBlock):
    """One college of the cooperative: who sits in it, how many members, what weight."""

    name = blocks.CharBlock(label=_("Nom du collège"), max_length=120)
    description = blocks.TextBlock(label=_("Qui en fait partie"), required=False, max_length=600)
    members = blocks.IntegerBlock(label=_("Nombre de sociétaires"), min_value=0, default=0)
    vote_share = blocks.IntegerBlock(
        label=_("Poids dans les votes (%)"), min_value=0, max_value=100, required=False
    )

    class Meta:
        icon = "group"
        label = _("Collège")
        template = "carriers/blocks/college_block.html"
        preview_value = {
            "name": "Habitants",
            "description": "Les habitants du quartier qui ont pris une part sociale.",
            "members": 42,
            "vote_share": 30,
        }
        description = _("Un collège de sociétaires, avec son nombre de membres.")


class AssemblyBlock(blocks.StructBlock):
    """A general assembly: when, where, what was decided, and its documents."""

    date = blocks.DateBlock(label=_("Date"))
    title = blocks.CharBlock(label=_("Intitulé"), max_length=150)
    place = blocks.CharBlock(label=_("Lieu"), max_length=150, required=False)
    summary = blocks.RichTextBlock(
        label=_("Ce qui a été décidé"), features=["bold", "italic", "link", "ul"], required=False
    )
    documents = blocks.ListBlock(
        DocumentBlock(),
        label=_("Documents (convocation, procès-verbal, comptes…)"),
        required=False,
        help_text=_(
            "Un document rangé dans une collection privée n'est montré qu'aux personnes "
            "autorisées : il n'apparaît pas sur la page publique."
        ),
    )

    class Meta:
        icon = "date"
        label = _("Assemblée générale")
        template = "carriers/blocks/assembly_block.html"
        description = _("Une assemblée générale et ses documents.")
