"""An issue as an e-mail: rendered once (HTML with its CSS inlined, plus plain text), with
placeholders where each recipient's own links go.

Personal links are swapped in per recipient by plain string replacement, which costs
microseconds: rendering the templates for each of 10,000 subscribers would not.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from wagtail.rich_text import expand_db_html

from newsletter.latest import heading, latest_items
from tenants.addresses import current_portal, portal_base_url

if TYPE_CHECKING:
    from newsletter.models import NewsletterPage

MANAGE_PLACEHOLDER = "%%LIEN_ABONNEMENT%%"
UNSUBSCRIBE_PLACEHOLDER = "%%LIEN_DESABONNEMENT%%"

_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)
# href="/..." and src="/..." (not protocol-relative "//"): made absolute on the portal's host.
_RELATIVE = re.compile(r'(href|src)="/(?!/)')


@dataclass(frozen=True)
class RenderedIssue:
    """The message of one issue, the same for every recipient but for their links."""

    subject: str
    html: str
    text: str

    def personalised(self, manage_url: str, unsubscribe_url: str) -> tuple[str, str]:
        """The HTML and text of the message for one recipient."""

        def fill(body: str) -> str:
            return body.replace(MANAGE_PLACEHOLDER, manage_url).replace(
                UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url
            )

        return fill(self.html), fill(self.text)


# The tag the portal's audience files a view under "infolettre" by (docs/audience.md): the
# same for every subscriber, so it tells nothing of who clicked.
AUDIENCE_TAG = "utm_source=infolettre"


def tag_portal_links(markup: str, base_url: str) -> str:
    """Links to the portal's pages, tagged so that the views they bring count as the
    infolettre's; links with a query string of their own (and images) are left alone."""
    pattern = re.compile(rf'href="({re.escape(base_url)}/[^"?#]*)(#[^"]*)?"')
    return pattern.sub(lambda link: f'href="{link[1]}?{AUDIENCE_TAG}{link[2] or ""}"', markup)


def absolutise(markup: str, base_url: str) -> str:
    """Make the portal's relative links and images absolute (mail clients have no host)."""
    return _RELATIVE.sub(rf'\1="{base_url}/', markup)


def html_to_text(markup: str, base_url: str) -> str:
    """Readable plain text from rich text: links written out, list items dashed."""
    markup = absolutise(expand_db_html(markup), base_url)
    markup = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", markup, flags=re.S | re.I)
    markup = re.sub(r"<li[^>]*>", "- ", markup, flags=re.I)
    markup = re.sub(r"</(p|li|h\d|ul|ol)>|<br\s*/?>", "\n", markup, flags=re.I)
    text = html.unescape(strip_tags(markup))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _text_blocks(page: NewsletterPage, base_url: str, since) -> list[str]:
    parts = []
    for block in page.body:
        kind, value = block.block_type, block.value
        if kind == "heading":
            parts.append(f"{value['text']}\n{'=' * len(value['text'])}")
        elif kind == "paragraph":
            parts.append(html_to_text(value.source, base_url))
        elif kind == "quote":
            author = f" — {value['author']}" if value["author"] else ""
            parts.append(f"« {value['quote']} »{author}")
        elif kind == "call_to_action":
            url = value["page"].get_url_parts()[2] if value["page"] else value["url"]
            if url.startswith("/") and not url.startswith("//"):
                url = base_url + url
            parts.append(f"{value['text']} : {url}")
        elif kind == "latest":
            title = heading(value["source"], value["title"])
            lines = [f"{title}\n{'-' * len(title)}"]
            for item in latest_items(value["source"], value["limit"], since):
                detail = f" ({item.detail})" if item.detail else ""
                lines.append(f"- {item.title}{detail}\n  {base_url}{item.path}")
            if len(lines) > 1:
                parts.append("\n".join(lines))
    return parts


def render_issue(
    page: NewsletterPage,
    manage_url: str = MANAGE_PLACEHOLDER,
    unsubscribe_url: str = UNSUBSCRIBE_PLACEHOLDER,
) -> RenderedIssue:
    """Render an issue as an e-mail, once; links to the portal's own host."""
    portal = current_portal()
    base_url = portal_base_url(portal)
    since = page.since()
    path = page.get_url_parts()
    context = {
        "page": page,
        "portal": portal,
        "network_name": settings.NETWORK_NAME,
        "base_url": base_url,
        "since": since,
        "web_url": base_url + path[2] if path and page.live else "",
        "manage_url": manage_url,
        "unsubscribe_url": unsubscribe_url,
        "email": True,
    }
    markup = absolutise(render_to_string("newsletter/email/issue.html", context), base_url)
    markup = tag_portal_links(markup, base_url)
    text = render_to_string(
        "newsletter/email/issue.txt",
        {
            **context,
            "intro_text": html_to_text(page.intro, base_url) if page.intro else "",
            "blocks_text": _text_blocks(page, base_url, since),
        },
    )
    return RenderedIssue(page.email_subject(), _INLINER.inline(markup), text)


def preview_html(page: NewsletterPage) -> str:
    """The e-mail as a subscriber would see it, for the editor's "E-mail" preview."""
    rendered = render_issue(page)
    html_body, _text = rendered.personalised("#", "#")
    return html_body
