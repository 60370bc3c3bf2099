"""What every section page of a portal has in common."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class SectionPage(Page):
    """A section of the portal (news, agenda, blogs...): one per home page."""

    intro = RichTextField("Introduction", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    # One per home page, so that each translation of the home page has its own.
    max_count_per_parent = 1

    class Meta:
        abstract = True
