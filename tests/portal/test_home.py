"""The home page: blocks that fill themselves, and the portal's own identity."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from home.models import HomePage, PortalSettings
from home.site_settings import validate_accent_colour
from portal.factories import ArticlePageFactory, EventPageFactory

pytestmark = pytest.mark.django_db


def test_home_blocks_show_latest_news_newest_first_and_next_events_soonest_first(alpha, client_for):
    today = timezone.localdate()
    now = timezone.now()
    with schema_context(alpha.schema_name):
        for days, title in [(3, "Mardi"), (1, "Jeudi"), (2, "Mercredi"), (10, "Trop ancien")]:
            ArticlePageFactory(title=f"Article {title}", date=today - datetime.timedelta(days=days))
        for days, title in [(5, "Atelier lointain"), (1, "Atelier demain"), (-2, "Atelier passé")]:
            EventPageFactory(title=title, start=now + datetime.timedelta(days=days))

    text = client_for(alpha).get("/").text

    assert (
        text.index("Article Jeudi") < text.index("Article Mercredi") < text.index("Article Mardi")
    )
    assert "Trop ancien" not in text  # three latest only
    assert text.index("Atelier demain") < text.index("Atelier lointain")
    assert "Atelier passé" not in text


def test_animator_can_reorder_and_remove_blocks(alpha, client_for):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Article du jour")
        EventPageFactory(title="Rencontre du jour")
        home = HomePage.objects.get()
        home.body = [
            ("latest", {"source": "events", "title": "Ça se passe bientôt", "count": 2}),
            ("text", "<p>Bienvenue chez nous.</p>"),
        ]
        home.save_revision().publish()

    text = client_for(alpha).get("/").text

    assert text.index("Ça se passe bientôt") < text.index("Bienvenue chez nous.")
    assert "Rencontre du jour" in text
    assert "Article du jour" not in text


def test_portal_identity_is_shown_on_its_own_portal_only(alpha, beta, client_for):
    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.tagline = "La voix des Lilas"
        identity.accent_colour = "#1d4f91"
        identity.save()

    at_alpha = client_for(alpha).get("/").text
    at_beta = client_for(beta).get("/").text

    assert "La voix des Lilas" in at_alpha
    assert "--accent: #1d4f91" in at_alpha
    assert "La voix des Lilas" not in at_beta


def test_new_portal_identity_starts_from_the_registry(alpha):
    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()

    assert identity.name == "Portail Alpha"
    assert identity.carrying_structure == alpha.carrying_structure


@pytest.mark.parametrize(
    ("colour", "message"),
    [("#ffff00", "trop claire"), ("jaune", "#RRVVBB"), ("#12345", "#RRVVBB")],
)
def test_unreadable_or_malformed_accent_colour_is_refused(colour, message):
    with pytest.raises(ValidationError, match=message):
        validate_accent_colour(colour)


def test_dark_accent_colour_is_accepted():
    validate_accent_colour("#8a1c4a")


def test_a_portal_chooses_its_headings_typeface_served_by_itself(alpha, beta, client_for):
    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.heading_font = "bitter"
        identity.save()

    at_alpha = client_for(alpha).get("/").text
    at_beta = client_for(beta).get("/").text
    font_css = Path(finders.find("core/fonts/bitter.css"))

    assert 'href="/static/core/fonts/bitter.css"' in at_alpha
    assert "fonts/" not in at_beta  # the system's typeface by default
    # Its font files lie beside it, among the project's static files (no font host).
    files = re.findall(r'url\("([^"]+)"\)', font_css.read_text())
    assert files and all((font_css.parent / name).is_file() for name in files)


def test_an_unknown_typeface_in_the_database_is_ignored_not_a_500(alpha, client_for):
    with schema_context(alpha.schema_name):
        PortalSettings.objects.update(heading_font="comic-sans")

    response = client_for(alpha).get("/")

    assert response.status_code == 200
    assert "fonts/" not in response.text


def test_the_banner_heads_the_home_page_only(alpha, client_for):
    from core.demo_images import demo_cover

    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.banner = demo_cover("#1d4f91", "bandeau-test", "Bandeau", (1600, 400))
        identity.save()
        ArticlePageFactory(title="Un article", slug="un-article")

    home = client_for(alpha).get("/").text
    article = client_for(alpha).get("/actualites/un-article/").text

    assert 'class="home-banner"' in home
    assert "home-banner" not in article


def test_a_new_banner_replaces_the_kept_one_at_once(alpha, client_for, settings):
    from core.demo_images import demo_cover

    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.banner = demo_cover("#1d4f91", "bleu", "Bandeau bleu", (1600, 400))
        identity.save()
    first = client_for(alpha).get("/").text
    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.banner = demo_cover("#2e6b30", "vert", "Bandeau vert", (1600, 400))
        identity.save()

    second = client_for(alpha).get("/").text

    # Wagtail names the renditions after the original file (``couverture-<seed>.jpg``).
    assert "couverture-bleu" in first
    assert "couverture-vert" in second
    assert "couverture-bleu" not in second


def test_the_banner_is_asked_of_the_fragment_cache_once_a_render(
    alpha, client_for, settings, monkeypatch
):
    """The page looks the banner up with its blocks (to read its image ahead when it is not
    kept), then shows it: one lookup, whether the banner was kept or not."""
    from core.demo_images import demo_cover

    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.banner = demo_cover("#1d4f91", "une-fois", "Bandeau", (1600, 400))
        identity.save()
    store = caches["default"]
    asked: list[str] = []
    depth = [0]
    for name in ("get", "get_many"):
        original = getattr(store, name)

        def counted(keys, *args, _original=original, **kwargs):
            # Outermost calls only: the local cache's get_many calls its get for each key.
            if depth[0] == 0:
                asked.extend([keys] if isinstance(keys, str) else keys)
            depth[0] += 1
            try:
                return _original(keys, *args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(store, name, counted)
    # The first render makes the banner's renditions (the image's row is written: the
    # portal's generation, so the fragment's key, changes during that render).
    client_for(alpha).get("/")
    store.clear()
    asked.clear()

    missed = client_for(alpha).get("/").text
    banner_lookups_when_missed = sum(":banner:" in key for key in asked)
    asked.clear()
    kept = client_for(alpha).get("/").text
    banner_lookups_when_kept = sum(":banner:" in key for key in asked)

    assert 'class="home-banner"' in missed and 'class="home-banner"' in kept
    assert banner_lookups_when_missed == 1
    assert banner_lookups_when_kept == 1


def test_each_demo_portal_has_its_own_readable_colour_and_a_free_typeface():
    from home.demo import DEMO_LOOKS
    from home.site_settings import HEADING_FONTS

    colours = [colour for colour, _font in DEMO_LOOKS.values()]
    served = {key for key, _label in HEADING_FONTS if key}

    assert len(set(colours)) == len(colours)  # the nine portals do not look alike
    for colour, font in DEMO_LOOKS.values():
        validate_accent_colour(colour)  # white text on it stays readable
        assert font in served


def test_the_logo_heads_every_page_of_its_own_portal_only(alpha, beta, client_for):
    from wagtail_factories import ImageFactory

    with schema_context(alpha.schema_name):
        identity = PortalSettings.load()
        identity.logo = ImageFactory(title="Logo des Lilas")
        identity.save()
        ArticlePageFactory(title="Un article", slug="un-article")

    home = client_for(alpha).get("/").text
    article = client_for(alpha).get("/actualites/un-article/").text
    elsewhere = client_for(beta).get("/").text

    for page in (home, article):
        assert re.search(r'<img [^>]*class="brand-logo"', page)
    assert "brand-logo" not in elsewhere
