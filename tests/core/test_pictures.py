"""Pictures light on a phone: every picture is a <picture> of WebP then JPEG (AVIF only
once the worker has written it: test_avif_pictures.py) at a few widths, lazy below the fold
and eager at the top, its size known before it loads; a page without a picture gets one
drawn in the portal's colours, for its card and for sharing."""

import re

import pytest
from django_tenants.utils import schema_context
from wagtail_factories import ImageFactory

from core.images import FORMATS
from portal.factories import ArticlePageFactory, BlogPageFactory, BlogPostPageFactory

pytestmark = pytest.mark.django_db


def BIG():
    """A photo wide enough for every width a layout asks."""
    return ImageFactory(file__width=1600, file__height=900)


def _pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, flags=re.S)


def _og(html: str, name: str) -> str:
    return re.search(rf'<meta property="og:image{name}" content="([^"]*)"', html).group(1)


def test_cards_offer_light_formats_at_two_widths_lazily_with_their_size(alpha, client_for):
    with schema_context(alpha.schema_name):
        for number in range(3):
            ArticlePageFactory(
                title=f"Article {number}",
                cover=ImageFactory(title=f"Photo {number}", file__width=1600, file__height=900),
                cover_alt=f"La place du marché, photo {number}",
            )

    listing = client_for(alpha).get("/actualites/").text

    pictures = _pictures(listing)
    assert len(pictures) == 3
    for picture in pictures:
        for kind in (f"image/{name}" for name in FORMATS if name != "jpeg"):
            source = re.search(rf'<source [^>]*type="{kind}"[^>]*>', picture).group(0)
            assert re.search(r'srcset="[^"]* 400w, [^"]* 800w"', source)
        image = re.search(r"<img [^>]*>", picture).group(0)
        assert 'width="400"' in image and 'height="225"' in image
        assert 'loading="lazy"' in image and 'sizes="' in image
        assert re.search(r'alt="La place du marché, photo \d"', image)
    # WebP and JPEG only on a first view: AVIF takes about a second a rendition to write.
    assert "image/webp" in listing and "image/avif" not in listing


def test_the_lead_story_loads_first_and_the_cards_under_it_lazily(alpha, client_for):
    with schema_context(alpha.schema_name):
        for number in range(3):
            ArticlePageFactory(title=f"Article {number}", cover=BIG(), cover_alt="Photo")

    home = client_for(alpha).get("/").text

    lead = re.search(r'<article class="lead">.*?</article>', home, flags=re.S).group(0)
    lead_image = re.search(r"<img [^>]*>", lead).group(0)
    assert 'fetchpriority="high"' in lead_image and "loading=" not in lead_image
    assert "1200w" in lead  # wide enough for a high-density phone
    cards = home[home.index("</article>", home.index('class="lead"')) :]
    assert 'loading="lazy"' in cards and 'fetchpriority="high"' not in cards


def test_an_article_cover_is_eager_and_its_figure_offers_three_widths(alpha, client_for):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(
            slug="marche",
            cover=ImageFactory(file__width=2000, file__height=1000),
            cover_alt="Le marché",
        )

    page = client_for(alpha).get("/actualites/marche/").text

    figure = re.search(r'<figure class="cover">.*?</figure>', page, flags=re.S).group(0)
    assert "480w" in figure and "960w" in figure and "1440w" in figure
    assert 'fetchpriority="high"' in figure
    image = re.search(r"<img [^>]*>", figure).group(0)
    assert 'width="480"' in image and 'height="240"' in image


def test_a_card_without_cover_shows_the_portals_drawn_picture(alpha, client_for):
    with schema_context(alpha.schema_name):
        blog = BlogPageFactory(title="Le blog de Samia")
        BlogPostPageFactory(parent=blog, title="Sans photo")
        blog_path = blog.get_url()
    browser = client_for(alpha)

    listing = browser.get(blog_path).text
    drawn = re.search(
        r'<img src="([^"]+)" alt="" width="800" height="450" class="placeholder"', listing
    )
    served = browser.get(drawn.group(1))

    assert served.status_code == 200 and served["Content-Type"] == "image/webp"


def test_a_page_without_image_is_shared_with_one_drawn_in_the_portals_colours(
    alpha, beta, client_for
):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(slug="sans-photo", title="Le marché revient")
    browser = client_for(alpha)

    page = browser.get("/actualites/sans-photo/").text
    url = _og(page, "")
    image = browser.get(url.removeprefix("http://" + url.split("/")[2]))
    elsewhere = client_for(beta).get(url.removeprefix("http://" + url.split("/")[2]))
    again = browser.get("/actualites/sans-photo/").text

    assert (_og(page, ":width"), _og(page, ":height")) == ("1200", "630")
    assert _og(page, ":alt") == "Le marché revient"
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert elsewhere.status_code == 404  # another portal's host serves none of alpha's files
    assert _og(again, "") == url  # drawn once, then found


def test_a_page_with_a_cover_is_shared_with_its_cover_cut_to_open_graph_size(alpha, client_for):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(slug="photo", cover=BIG(), cover_alt="Le marché couvert")

    page = client_for(alpha).get("/actualites/photo/").text

    assert _og(page, "").endswith(".jpg")
    assert (_og(page, ":width"), _og(page, ":alt")) == ("1200", "Le marché couvert")
    assert "/generated/" not in page
