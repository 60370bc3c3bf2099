"""What is private stays on its page (issue 16, point 2): a page under a view restriction
(login, password or groups, of its own or of an ancestor) appears on no listing, feed,
calendar, home block, sitemap, search result or infolettre block of its portal.

Each test makes a page private and checks, on the same surface, that a public sibling IS
there: a surface that shows nothing at all cannot pass.
"""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction

from classifieds.factories import ClassifiedFactory
from classifieds.models import ClassifiedsPage
from home.models import HomePage
from newsletter.latest import latest_items
from newsletter.models import NewsletterIndexPage, NewsletterPage
from portal.factories import (
    ArticlePageFactory,
    BlogPageFactory,
    BlogPostPageFactory,
    EventPageFactory,
    MethodologyPageFactory,
    WorkshopPageFactory,
)
from portal.models import (
    Actor,
    ActorDirectoryPage,
    ArticleIndexPage,
    JournalIssueItem,
    JournalIssuePage,
    ProjectSeed,
)
from radio.factories import (
    EpisodePageFactory,
    ShowPageFactory,
    StationPageFactory,
    TimeSlotFactory,
)
from radio.models import StationPage

pytestmark = pytest.mark.django_db

LOGIN = PageViewRestriction.LOGIN
PASSWORD = PageViewRestriction.PASSWORD
GROUPS = PageViewRestriction.GROUPS


def make_private(page: Page, kind: str = LOGIN) -> PageViewRestriction:
    """Restrict ``page`` (and all below it) as the admin's privacy dialog does."""
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="mot-de-passe" if kind == PASSWORD else ""
    )
    if kind == GROUPS:
        restriction.groups.set([Group.objects.get(name="Animateurs")])
    return restriction


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.fixture
def news(alpha):
    """A public article and one only logged-in members may read."""
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Fête des voisins ouverte", slug="fete")
        make_private(ArticlePageFactory(title="Réunion interne du bureau", slug="bureau"))


@pytest.fixture
def agenda(alpha):
    """A public event and one behind a password, both upcoming."""
    start = timezone.now() + datetime.timedelta(days=3)
    with schema_context(alpha.schema_name):
        EventPageFactory(title="Atelier vélo ouvert", slug="velo", start=start)
        make_private(
            EventPageFactory(title="Répétition à huis clos", slug="huis-clos", start=start),
            PASSWORD,
        )
    return start


@pytest.fixture
def blogs(alpha):
    """A public blog and a blog restricted to a group: its post is private by its ancestor."""
    with schema_context(alpha.schema_name):
        open_blog = BlogPageFactory(title="Carnet ouvert", slug="carnet-ouvert")
        BlogPostPageFactory(parent=open_blog, title="Billet pour tout le monde")
        closed_blog = BlogPageFactory(title="Carnet des animateurs", slug="carnet-ferme")
        BlogPostPageFactory(parent=closed_blog, title="Billet entre animateurs")
        make_private(closed_blog, GROUPS)


@pytest.mark.parametrize("path", ["/actualites/", "/actualites/rss/"])
def test_login_only_article_is_absent_from_news_listing_and_feed(news, alpha, client_for, path):
    text = text_of(client_for(alpha), path)

    assert "Fête des voisins ouverte" in text
    assert "Réunion interne du bureau" not in text


@pytest.mark.parametrize("path", ["/agenda/", "/agenda/rss/", "/agenda/ical/", "month"])
def test_password_protected_event_is_absent_from_agenda_its_feed_and_ical(
    agenda, alpha, client_for, path
):
    if path == "month":
        path = f"/agenda/mois/{timezone.localtime(agenda):%Y-%m}/"

    text = text_of(client_for(alpha), path)

    assert "Atelier vélo ouvert" in text
    assert "Répétition à huis clos" not in text


def test_posts_of_a_group_only_blog_are_absent_from_the_blogs_section(blogs, alpha, client_for):
    text = text_of(client_for(alpha), "/blogs/")

    assert "Billet pour tout le monde" in text
    assert "Carnet ouvert" in text
    assert "Billet entre animateurs" not in text
    assert "Carnet des animateurs" not in text


def test_private_methodology_sheet_is_absent_from_its_section(alpha, client_for):
    with schema_context(alpha.schema_name):
        MethodologyPageFactory(title="Fiche pour tous", slug="pour-tous")
        make_private(MethodologyPageFactory(title="Fiche en chantier", slug="chantier"))

    text = text_of(client_for(alpha), "/methodologie/")

    assert "Fiche pour tous" in text
    assert "Fiche en chantier" not in text


def test_home_blocks_leave_out_private_articles_events_and_posts(
    news, agenda, blogs, alpha, client_for
):
    text = text_of(client_for(alpha), "/")

    for shown in ("Fête des voisins ouverte", "Atelier vélo ouvert", "Billet pour tout le monde"):
        assert shown in text
    for hidden in (
        "Réunion interne du bureau",
        "Répétition à huis clos",
        "Billet entre animateurs",
    ):
        assert hidden not in text


def test_home_highlight_of_a_private_page_is_not_shown(alpha, client_for):
    with schema_context(alpha.schema_name):
        open_article = ArticlePageFactory(title="Le marché de Noël", slug="marche")
        closed_article = ArticlePageFactory(title="Budget prévisionnel du collectif", slug="budget")
        make_private(closed_article, PASSWORD)
        home = HomePage.objects.get(locale__language_code="fr")
        home.body = [
            ("highlight", {"page": open_article, "text": "À ne pas manquer."}),
            ("highlight", {"page": closed_article, "text": "Les chiffres de l'année."}),
        ]
        home.save_revision().publish()

    text = text_of(client_for(alpha), "/")

    assert "Le marché de Noël" in text
    assert "Budget prévisionnel du collectif" not in text
    assert "/actualites/budget/" not in text


def test_home_highlight_and_banner_never_show_a_draft_or_a_private_page(alpha, client_for):
    with schema_context(alpha.schema_name):
        open_article = ArticlePageFactory(title="Le marché de Noël", slug="marche")
        draft = ArticlePageFactory(title="Fête de quartier", slug="fete")
        draft.unpublish()
        # Wagtail's editor writes a page that is not live into its row: the retitled
        # draft is what a PageChooserBlock then loads.
        draft.title = "Plan de relogement confidentiel"
        draft.save()
        closed_article = ArticlePageFactory(title="Budget prévisionnel du collectif", slug="budget")
        make_private(closed_article, PASSWORD)
        home = HomePage.objects.get(locale__language_code="fr")
        home.body = [
            ("hero", {"title": "Bienvenue au quartier", "link": draft, "link_text": ""}),
            ("hero", {"title": "Le budget en débat", "link": closed_article, "link_text": ""}),
            ("hero", {"title": "Noël approche", "link": open_article, "link_text": ""}),
            ("highlight", {"page": draft, "text": "Ce qui va changer."}),
            ("highlight", {"page": open_article, "text": "À ne pas manquer."}),
        ]
        home.save_revision().publish()

    text = text_of(client_for(alpha), "/")

    # The banners keep the animator's own words; only their links go.
    for shown in ("Bienvenue au quartier", "Le budget en débat", "Le marché de Noël"):
        assert shown in text
    assert 'href="/actualites/marche/"' in text
    for hidden in (
        "Plan de relogement confidentiel",
        "Ce qui va changer.",
        "Budget prévisionnel du collectif",
        "/actualites/fete/",
        "/actualites/budget/",
    ):
        assert hidden not in text


def test_home_webtv_block_leaves_out_videos_of_a_private_channel(alpha, client_for):
    with schema_context(alpha.schema_name):
        open_tv = StationPageFactory(
            title="TV ouverte", slug="tv-ouverte", kind=StationPage.Kind.TV
        )
        EpisodePageFactory(parent=ShowPageFactory(parent=open_tv), title="Reportage du marché")
        closed_tv = StationPageFactory(
            title="TV des membres", slug="tv-membres", kind=StationPage.Kind.TV
        )
        EpisodePageFactory(parent=ShowPageFactory(parent=closed_tv), title="Rushes non montés")
        make_private(closed_tv)

    text = text_of(client_for(alpha), "/")

    assert "Reportage du marché" in text
    assert "Rushes non montés" not in text


def test_home_classifieds_block_is_empty_when_the_classifieds_section_is_private(alpha, client_for):
    with schema_context(alpha.schema_name):
        ClassifiedFactory(title="Vélo pour enfant à donner")
        ArticlePageFactory(title="Fête des voisins ouverte", slug="fete")
        make_private(ClassifiedsPage.objects.get())

    text = text_of(client_for(alpha), "/")

    assert "Fête des voisins ouverte" in text
    assert "Vélo pour enfant à donner" not in text


def test_station_podcast_feed_leaves_out_episodes_of_a_private_show(alpha, client_for):
    with schema_context(alpha.schema_name):
        station = StationPageFactory(title="Radio Alpha", slug="radio-alpha")
        EpisodePageFactory(parent=ShowPageFactory(parent=station), title="La matinale du lundi")
        closed_show = ShowPageFactory(parent=station, title="Conférence de rédaction")
        EpisodePageFactory(parent=closed_show, title="Réunion de rédaction enregistrée")
        make_private(closed_show, PASSWORD)
        feed_path = f"{station.url}podcast/"

    feed = feedparser.parse(client_for(alpha).get(feed_path).content)

    titles = [entry.title for entry in feed.entries]
    assert "La matinale du lundi" in titles
    assert "Réunion de rédaction enregistrée" not in titles


def test_sitemap_leaves_out_private_pages_and_pages_below_them(news, blogs, alpha, client_for):
    text = text_of(client_for(alpha), "/sitemap.xml")

    assert "/actualites/fete/" in text
    assert "/blogs/carnet-ouvert/" in text
    assert "/actualites/bureau/" not in text
    assert "/blogs/carnet-ferme/" not in text


def test_search_leaves_out_private_pages_and_pages_below_them(news, blogs, alpha, client_for):
    client = client_for(alpha)

    articles = text_of(client, "/recherche/?q=semaine")
    posts = text_of(client, "/recherche/?q=billet")

    assert "Fête des voisins ouverte" in articles
    assert "Réunion interne du bureau" not in articles
    assert "Billet pour tout le monde" in posts
    assert "Billet entre animateurs" not in posts


def test_infolettre_automatic_blocks_leave_out_private_pages(news, agenda, alpha):
    a_week_ago = timezone.now() - datetime.timedelta(days=7)
    with schema_context(alpha.schema_name):
        news_titles = [item.title for item in latest_items("news", 10, a_week_ago)]
        event_titles = [item.title for item in latest_items("events", 10, a_week_ago)]

    assert "Fête des voisins ouverte" in news_titles
    assert "Réunion interne du bureau" not in news_titles
    assert "Atelier vélo ouvert" in event_titles
    assert "Répétition à huis clos" not in event_titles


def test_infolettre_classifieds_block_is_empty_when_the_classifieds_section_is_private(alpha):
    a_week_ago = timezone.now() - datetime.timedelta(days=7)
    with schema_context(alpha.schema_name):
        ClassifiedFactory(title="Vélo pour enfant à donner")
        before = [item.title for item in latest_items("classifieds", 10, a_week_ago)]
        make_private(ClassifiedsPage.objects.get(), GROUPS)
        after = [item.title for item in latest_items("classifieds", 10, a_week_ago)]

    assert any("Vélo pour enfant à donner" in title for title in before)
    assert after == []


def test_home_actors_block_is_empty_when_the_actors_directory_is_private(alpha, client_for):
    with schema_context(alpha.schema_name):
        Actor.objects.create(name="Régie de quartier des Lilas", featured=True)
    before = text_of(client_for(alpha), "/")
    with schema_context(alpha.schema_name):
        make_private(ActorDirectoryPage.objects.get(), GROUPS)

    after = text_of(client_for(alpha), "/")

    assert "Régie de quartier des Lilas" in before
    assert "Régie de quartier des Lilas" not in after


def test_actor_page_leaves_out_its_private_articles_and_events(alpha, client_for):
    with schema_context(alpha.schema_name):
        actor = Actor.objects.create(name="Médiathèque des Lilas")
        for page in (
            ArticlePageFactory(title="Lecture au marché", slug="lecture"),
            make_private(ArticlePageFactory(title="Bilan financier de la lecture")).page,
            EventPageFactory(title="Conte du samedi", slug="conte"),
            make_private(EventPageFactory(title="Réunion des bénévoles"), PASSWORD).page,
        ):
            page.actors.set([actor])
            page.save_revision().publish()
        address = f"/acteurs/acteur/{actor.pk}/"

    text = text_of(client_for(alpha), address)

    assert "Lecture au marché" in text
    assert "Conte du samedi" in text
    assert "Bilan financier de la lecture" not in text
    assert "Réunion des bénévoles" not in text


def test_journal_issue_leaves_out_a_private_article(alpha, client_for):
    with schema_context(alpha.schema_name):
        shown = ArticlePageFactory(title="Le square rouvre", slug="square")
        hidden = ArticlePageFactory(title="Notes de la réunion de bureau", slug="notes")
        make_private(hidden)
        issue = JournalIssuePage(title="Numéro un", slug="numero-un", number=1)
        issue.items = [JournalIssueItem(page=shown), JournalIssueItem(page=hidden)]
        ArticleIndexPage.objects.get().add_child(instance=issue)
        issue.save_revision().publish()

    text = text_of(client_for(alpha), "/actualites/numero-un/")

    assert "Le square rouvre" in text
    assert "Notes de la réunion de bureau" not in text


def test_show_page_and_its_podcast_leave_out_a_private_episode(alpha, client_for):
    with schema_context(alpha.schema_name):
        show = ShowPageFactory(title="La matinale", slug="la-matinale")
        EpisodePageFactory(parent=show, title="Spécial fête de quartier")
        make_private(EpisodePageFactory(parent=show, title="Essai de micro"))
        address = show.url

    page = text_of(client_for(alpha), address)
    podcast = text_of(client_for(alpha), f"{address}podcast/")

    for text in (page, podcast):
        assert "Spécial fête de quartier" in text
        assert "Essai de micro" not in text


@pytest.mark.parametrize("route", ["", "rss/"])
def test_infolettre_archive_and_its_feed_leave_out_a_private_issue(alpha, client_for, route):
    with schema_context(alpha.schema_name):
        index = NewsletterIndexPage.objects.get()
        for title in ("Lettre de décembre", "Lettre aux bénévoles"):
            issue = NewsletterPage(title=title, intro="<p>Bonjour les voisins !</p>")
            index.add_child(instance=issue)
            issue.save_revision().publish()
        make_private(issue, GROUPS)
        address = index.url + route

    text = text_of(client_for(alpha), address)

    assert "Lettre de décembre" in text
    assert "Lettre aux bénévoles" not in text


@pytest.mark.parametrize("route", ["", "grille/"])
def test_station_page_and_its_grid_leave_out_a_private_show(alpha, client_for, route):
    with schema_context(alpha.schema_name):
        station = StationPageFactory(title="Radio Alpha", slug="radio-alpha")
        TimeSlotFactory(show=ShowPageFactory(parent=station, title="La matinale"), day=0)
        closed = ShowPageFactory(parent=station, title="Atelier radio du collège")
        TimeSlotFactory(show=closed, day=1)
        make_private(closed, GROUPS)
        address = station.url + route

    text = text_of(client_for(alpha), address)

    assert "La matinale" in text
    assert "Atelier radio du collège" not in text


def test_project_seeds_leave_out_a_private_workshop_and_its_seeds(alpha, client_for):
    with schema_context(alpha.schema_name):
        WorkshopPageFactory(
            title="Diagnostic en marchant",
            seeds=[ProjectSeed(title="Un jardin au pied des tours")],
        )
        make_private(
            WorkshopPageFactory(
                title="Atelier avec les élus",
                seeds=[ProjectSeed(title="Une demande de subvention")],
            ),
            PASSWORD,
        )

    text = text_of(client_for(alpha), "/graines-de-projet/")

    assert "Diagnostic en marchant" in text
    assert "Un jardin au pied des tours" in text
    assert "Atelier avec les élus" not in text
    assert "Une demande de subvention" not in text
