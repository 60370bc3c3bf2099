"""The guides of ``docs/guides/`` in every portal's admin: *Guides* in the menu.

The guides are Markdown files written for the people who read them (animators,
contributors, the federation's staff), with screenshots the browser journeys take
(``make guides``). The same files are read on the forge and here, rendered by
markdown-it-py and sanitised by nh3: a guide is project text, but nothing a Markdown file
holds may run a script in the admin.

Each person reads the guides of their role and those below it: a contributor the
contributors' guides, an animator the animators' too, the federation's staff (at the
federation's portal only) the federation's too. The images are served only when a guide
the reader may open shows them, and only by a name found in the guides' folder: no path
from the address ever reaches the file system.

Adding a guide: drop ``<slug>.md`` (its first line a ``# Title``) and its images in
``docs/guides/``, then list it in ``GUIDES`` below and in ``docs/guides/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nh3
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from markdown_it import MarkdownIt
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.roles import Role, role_of
from tenants.models import Neighbourhood

GUIDES_DIR = Path(settings.BASE_DIR) / "docs" / "guides"
IMAGES_DIR = GUIDES_DIR / "images"


@dataclass(frozen=True)
class Guide:
    """One guide: its file ``docs/guides/<slug>.md`` and the lowest role that reads it."""

    slug: str
    audience: Role

    @property
    def path(self) -> Path:
        return GUIDES_DIR / f"{self.slug}.md"

    def source(self) -> str:
        """The guide's Markdown."""
        return self.path.read_text(encoding="utf-8")

    @property
    def title(self) -> str:
        """The text of the guide's first ``# `` heading (its slug if it has none)."""
        for line in self.source().splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return self.slug

    @property
    def summary(self) -> str:
        """The guide's first paragraph of text, for the index."""
        paragraph: list[str] = []
        for line in self.source().splitlines():
            if line.startswith(("#", "!", "<", "|")) or not line.strip():
                if paragraph:
                    break
                continue
            paragraph.append(line.strip())
        return re.sub(r"[*_`]", "", " ".join(paragraph))

    def images(self) -> set[str]:
        """The names of the images the guide shows (``images/<name>.png``)."""
        return set(IMAGE_REFERENCE.findall(self.source()))


# The guides, in the order of the index. Contributors' first: every reader has them.
GUIDES: tuple[Guide, ...] = (
    Guide("proposer-un-billet", Role.CONTRIBUTOR),
    Guide("publier-un-article", Role.ANIMATOR),
    Guide("moderer-une-annonce", Role.ANIMATOR),
    Guide("inviter-un-contributeur", Role.ANIMATOR),
    Guide("ouvrir-un-portail", Role.FEDERATION),
)

AUDIENCE_NAMES = {
    Role.CONTRIBUTOR: gettext_lazy("Pour les contributeurs et contributrices"),
    Role.ANIMATOR: gettext_lazy("Pour l'équipe d'animation"),
    Role.FEDERATION: gettext_lazy("Pour l'équipe de la fédération"),
}

IMAGE_NAME = r"[a-z0-9][a-z0-9-]*\.png"
IMAGE_REFERENCE = re.compile(rf"\(images/({IMAGE_NAME})\)")
GUIDE_LINK = re.compile(r"^([a-z0-9-]+)\.md(#[\w-]+)?$")

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def readable_guides(request: HttpRequest) -> list[Guide]:
    """The guides ``request.user`` may read at this portal.

    A signed-in admin user without a role (a group of the portal's own making) reads what
    contributors read; the federation's guides need the federation's portal.
    """
    role = max(role_of(request.user), Role.CONTRIBUTOR)
    tenant = getattr(request, "tenant", None)
    at_federation = tenant is not None and tenant.kind == Neighbourhood.Kind.FEDERATION
    if not at_federation:
        role = min(role, Role.ANIMATOR)
    return [guide for guide in GUIDES if guide.audience <= role]


def _guide_for(request: HttpRequest, slug: str) -> Guide:
    for guide in readable_guides(request):
        if guide.slug == slug:
            return guide
    raise Http404


def render_guide(guide: Guide) -> SafeString:
    """The guide as sanitised HTML: images and links to other guides point to the admin's
    addresses; links to files outside the guides lose their address."""

    def rewrite(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            name = value.removeprefix("images/")
            if value.startswith("images/") and re.fullmatch(IMAGE_NAME, name):
                return reverse("core_guide_image", args=[name])
            return None
        if element == "a" and attribute == "href":
            if value.startswith(("https://", "http://", "mailto:", "#")):
                return value
            if found := GUIDE_LINK.match(value):
                slug, anchor = found.groups()
                if slug == "README":
                    return reverse("core_guides") + (anchor or "")
                return reverse("core_guide", args=[slug]) + (anchor or "")
            return None
        return value

    # The admin's header already shows the title (the page's one <h1>).
    body = re.sub(r"\A\s*# .*\n", "", guide.source(), count=1)
    html = nh3.clean(
        _markdown.render(body),
        attribute_filter=rewrite,
        link_rel="noopener noreferrer",
    )
    return mark_safe(html)  # noqa: S308 (sanitised by nh3 just above)


_GUIDES = gettext_lazy("Guides")


class GuidesMixin(WagtailAdminTemplateMixin):
    """Wagtail's admin frame and its breadcrumbs; the admin asks for a login first."""

    header_icon = "help"

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": reverse("core_guides"), "label": _GUIDES}]


class GuidesIndexView(GuidesMixin, TemplateView):
    """The guides the reader may open, grouped by audience."""

    template_name = "core/admin/guides_index.html"
    page_title = _GUIDES

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": _GUIDES}]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        groups: dict[Role, list[Guide]] = {}
        for guide in readable_guides(self.request):
            groups.setdefault(guide.audience, []).append(guide)
        context["groups"] = [(AUDIENCE_NAMES[role], guides) for role, guides in groups.items()]
        return context


class GuideView(GuidesMixin, TemplateView):
    """One guide, rendered."""

    template_name = "core/admin/guide.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.guide = _guide_for(request, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return self.guide.title

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.guide.title}]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["guide"] = self.guide
        context["body"] = render_guide(self.guide)
        return context


def guide_image(request: HttpRequest, name: str) -> FileResponse:
    """A screenshot of a guide the reader may open; 404 for any other name."""
    if not any(name in guide.images() for guide in readable_guides(request)):
        raise Http404
    # The name is matched against the folder's own listing, never joined from the address.
    files = {path.name: path for path in IMAGES_DIR.glob("*.png")}
    if name not in files:
        raise Http404
    response = FileResponse(files[name].open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


class GuidesMenuItem(MenuItem):
    """Every admin user has guides: at least the contributors'."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(readable_guides(request))
