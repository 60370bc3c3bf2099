"""Rows read together in one round trip are the rows the ORM reads one query at a time:
a portal's settings, pages and locales as the request's state holds them."""

import datetime
from contextlib import nullcontext

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import ProgrammingError, connection, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, TruncDate
from django.test.utils import CaptureQueriesContext
from django.urls import get_script_prefix, reverse_lazy, set_script_prefix
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Locale, Page, Revision
from wagtail_factories import ImageFactory

from core.combined_queries import rows_of
from core.images import with_renditions
from core.latest import Reading, read_together
from home.site_settings import PortalSettings
from portal.factories import ArticlePageFactory, EventPageFactory
from portal.models import Actor, ArticlePage, EventPage

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_rows_read_together_equal_the_orms_rows(alpha):
    with schema_context(alpha.schema_name):
        settings_row = PortalSettings.load()
        settings_row.name = "Média d'Alpha — « le journal »"
        settings_row.save()
        EventPageFactory(
            title="Rencontre de quartier",
            slug="rencontre-de-quartier",
            start=datetime.datetime(2026, 12, 24, 18, 30, tzinfo=datetime.UTC),
        )
        querysets = [
            PortalSettings.objects.order_by("pk")[:1],
            Locale.objects.order_by("pk"),
            Page.objects.filter(depth__lte=2).order_by("path"),
            EventPage.objects.filter(slug="rencontre-de-quartier"),
        ]

        with CaptureQueriesContext(connection) as captured:
            together = rows_of(querysets)

        assert len(captured) == 1
        for queryset, rows in zip(querysets, together, strict=True):
            expected = list(queryset.all())
            assert [type(row) for row in rows] == [type(row) for row in expected]
            assert [field_values(row) for row in rows] == [field_values(row) for row in expected]
        event = together[3][0]
        assert event.start == datetime.datetime(2026, 12, 24, 18, 30, tzinfo=datetime.UTC)
        assert event.url_path.endswith("/rencontre-de-quartier/")


def test_an_empty_table_gives_no_rows(alpha):
    with schema_context(alpha.schema_name):
        assert rows_of([Page.objects.filter(slug="nulle-part")]) == [[]]


def test_joined_rows_with_their_related_objects_and_prefetches_equal_the_orms(alpha):
    with schema_context(alpha.schema_name):
        for number in range(1, 4):
            ArticlePageFactory(
                title=f"Article {number}",
                slug=f"article-{number}",
                date=datetime.date(2026, 3, number),
                cover=ImageFactory(title=f"Photo {number}"),
                cover_alt="Une photo",
            )
        articles = with_renditions(
            ArticlePage.objects.live().annotate(shown=Value(True)), "cover", "fill-400x225"
        ).order_by("-date", "-pk")[:2]
        events = EventPage.objects.all()

        with CaptureQueriesContext(connection) as captured:
            together, none = rows_of([articles, events])

        # One for the rows, one for the covers' renditions (the prefetch, as the ORM does).
        assert len(captured) == 2
        assert none == []
        expected = list(articles.all())
        assert [article.title for article in together] == ["Article 3", "Article 2"]
        assert [field_values(row) for row in together] == [field_values(row) for row in expected]
        for read, orms in zip(together, expected, strict=True):
            assert read.shown is True
            assert field_values(read.cover) == field_values(orms.cover)
            assert read.cover.prefetched_renditions == orms.cover.prefetched_renditions
            assert list(read.body.raw_data) == list(orms.body.raw_data)


def test_nothing_to_read_asks_nothing(alpha):
    with schema_context(alpha.schema_name), CaptureQueriesContext(connection) as captured:
        assert rows_of([Page.objects.filter(pk__in=[])]) == [[]]
    assert len(captured) == 0


def test_lists_read_together_get_every_images_renditions_in_the_same_query(alpha):
    with schema_context(alpha.schema_name):
        for number in range(1, 3):
            article = ArticlePageFactory(
                title=f"Article {number}",
                slug=f"article-{number}",
                cover=ImageFactory(title=f"Photo {number}"),
                cover_alt="Une photo",
            )
            article.cover.get_rendition("fill-400x225")
            Actor.objects.create(
                name=f"Association {number}", featured=True, logo=ImageFactory(title="Logo")
            )
        banner = ImageFactory(title="Bandeau")
        banner.get_rendition("fill-1200x500")
        banner = type(banner).objects.get(pk=banner.pk)
        readings = {
            "news": Reading(
                (with_renditions(ArticlePage.objects.live(), "cover", "fill-400x225"),),
                lambda rows: rows[0],
            ),
            "actors": Reading(
                (with_renditions(Actor.objects.featured(), "logo", "height-64"),),
                lambda rows: rows[0],
            ),
        }

        with CaptureQueriesContext(connection) as captured:
            found = read_together(readings, [(banner, ["fill-1200x500"])])
            # Renditions already made are found where {% image %} looks: no more queries.
            for article in found["news"]:
                article.cover.get_rendition("fill-400x225")
            banner.get_rendition("fill-1200x500")

        # The lists, their images' renditions (through a subquery of each list) and the
        # banner's (by its id): one round trip.
        assert len(captured) == 1
        assert {article.title for article in found["news"]} == {"Article 1", "Article 2"}
        assert {actor.name for actor in found["actors"]} == {"Association 1", "Association 2"}
        # A rendition not made yet is made by Wagtail as usual.
        assert found["actors"][0].logo.get_rendition("height-64").height == 64


# --- Each query compiled once per process (``core.combined_queries._compiled``) ----------


def test_the_same_query_on_two_portals_reads_each_portals_own_rows(alpha, beta):
    for portal, title in ((alpha, "La fête d'Alpha"), (beta, "La fête de Beta")):
        with schema_context(portal.schema_name):
            ArticlePageFactory(title=title, slug="la-fete")

    # The same query, turn by turn: the second turns read what the first ones compiled.
    seen = []
    for portal in (alpha, beta, alpha, beta):
        with schema_context(portal.schema_name):
            (rows,) = rows_of([ArticlePage.objects.filter(slug="la-fete")])
            seen.append([row.title for row in rows])

    assert seen == [["La fête d'Alpha"], ["La fête de Beta"]] * 2


def prepared_statements(portal) -> list[tuple[int, int]]:
    """(generic plans, custom plans) of each statement the connection prepared for
    ``portal``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            [f"/* {portal.schema_name} */ %"],
        )
        return cursor.fetchall()


def test_a_combined_read_is_planned_once_for_each_portal_and_reads_its_own_rows(alpha, beta):
    # Prepared and kept by the connection a worker serves every portal with: after a few
    # runs PostgreSQL reuses one plan, and a portal's statement never reads another's rows.
    for portal, title in ((alpha, "Le vide-grenier d'Alpha"), (beta, "Le vide-grenier de Beta")):
        with schema_context(portal.schema_name):
            ArticlePageFactory(title=title, slug="vide-grenier")

    seen = []
    prepared_after_first_run = {}
    for turn in range(8):
        for portal in (alpha, beta):
            with schema_context(portal.schema_name):
                # A query of this test alone: the session remembers what it ran.
                (rows,) = rows_of([ArticlePage.objects.filter(slug="vide-grenier", depth__gt=2)])
                seen.append([row.title for row in rows])
            if turn == 0:
                prepared_after_first_run[portal.schema_name] = prepared_statements(portal)

    assert seen == [["Le vide-grenier d'Alpha"], ["Le vide-grenier de Beta"]] * 8
    # A statement run once is sent plain: preparing it would cost a round trip for nothing.
    assert prepared_after_first_run == {alpha.schema_name: [], beta.schema_name: []}
    for portal in (alpha, beta):
        ((generic, custom),) = prepared_statements(portal)
        assert generic >= 1 and generic + custom == 7


def test_the_query_log_shows_a_combined_read_with_its_values(alpha):
    with schema_context(alpha.schema_name), CaptureQueriesContext(connection) as captured:
        rows_of([ArticlePage.objects.filter(slug="la-kermesse")])

    # The portal's search_path may be set first.
    (sql,) = [query["sql"] for query in captured if "SET search_path" not in query["sql"]]
    assert sql.startswith(f"/* {alpha.schema_name} */ SELECT")
    assert "'la-kermesse'" in sql


def query_log(logged: bool):
    """Django's debug cursor on (``DEBUG``, a test's capture of queries) or off."""
    return CaptureQueriesContext(connection) if logged else nullcontext()


@pytest.mark.parametrize("logged", [False, True], ids=["log off", "log on"])
def test_execute_wrappers_see_a_combined_read_whether_queries_are_logged_or_not(alpha, logged):
    # Django runs every query through the connection's execute wrappers (query counters,
    # guards, instrumentation), with its debug cursor as without it.
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with schema_context(alpha.schema_name):
        connection.ensure_connection()
        with connection.cursor():
            pass  # the portal's search_path set beforehand
        with query_log(logged), connection.execute_wrapper(record):
            rows_of([ArticlePage.objects.filter(slug="la-kermesse")])

    assert [sql.split(" */ ")[0] for sql in seen] == [f"/* {alpha.schema_name}"]


@pytest.mark.parametrize("logged", [False, True], ids=["log off", "log on"])
def test_a_failed_combined_read_raises_djangos_error_whether_queries_are_logged_or_not(logged):
    # The driver's errors become Django's (``django.db.DatabaseError`` and its kinds), on
    # which the project relies: core.outage shows its 503 page for Django's
    # OperationalError only. Here a portal's table read from the public schema.
    with (
        schema_context(get_public_schema_name()),
        query_log(logged),
        pytest.raises(ProgrammingError),
        transaction.atomic(),
    ):
        rows_of([ArticlePage.objects.filter(slug="la-kermesse")])


def test_queries_that_differ_in_a_value_read_their_own_rows(alpha):
    with schema_context(alpha.schema_name):
        french = Locale.objects.get(language_code="fr")
        english, _ = Locale.objects.get_or_create(language_code="en")
        first = ArticlePageFactory(title="Premier", slug="premier")
        second = ArticlePageFactory(title="Second", slug="second")
        english_page = first.copy_for_translation(english, copy_parents=True)

        def titles(queryset) -> list[str]:
            return [row.title for row in rows_of([queryset])[0]]

        # Asked twice each, in turn: the second time from what was compiled the first.
        for _ in range(2):
            assert titles(ArticlePage.objects.filter(pk=first.pk)) == ["Premier"]
            assert titles(ArticlePage.objects.filter(pk=second.pk)) == ["Second"]
            in_english = ArticlePage.objects.filter(locale=english)
            assert [row.pk for row in rows_of([in_english])[0]] == [english_page.pk]
            assert english_page.pk not in {
                row.pk for row in rows_of([ArticlePage.objects.filter(locale=french)])[0]
            }
            assert titles(ArticlePage.objects.filter(locale=french).order_by("title")[:1]) == [
                "Premier"
            ]
            assert titles(ArticlePage.objects.filter(locale=french).order_by("-title")[:1]) == [
                "Second"
            ]
            assert titles(ArticlePage.objects.filter(pk__in=[])) == []
            # An expression's own output field (made anew each time) counts too.
            for length, cut in ((3, "Pre"), (5, "Premi")):
                shortened = ArticlePage.objects.filter(pk=first.pk).annotate(
                    cut=Cast("title", CharField(max_length=length))
                )
                assert [row.cut for row in rows_of([shortened])[0]] == [cut]


def test_two_portals_home_pages_every_cache_off_show_each_its_own_news(
    alpha, beta, client_for, settings
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    for portal, title in ((alpha, "Le marché d'Alpha"), (beta, "Le marché de Beta")):
        with schema_context(portal.schema_name):
            ArticlePageFactory(title=title, slug="le-marche", date=datetime.date.today())

    pages = [(portal, client_for(portal).get("/").text) for portal in (alpha, beta, alpha, beta)]

    for portal, page in pages:
        own, other = ("Alpha", "Beta") if portal == alpha else ("Beta", "Alpha")
        assert f"Le marché d&#x27;{own}" in page or f"Le marché de {own}" in page
        assert f"Le marché d&#x27;{other}" not in page and f"Le marché de {other}" not in page


def renumber_content_type(model) -> None:
    """As on a portal whose content types were numbered otherwise (one made at another
    version of the code): ``model``'s content type gets another id, its revisions too."""
    old = ContentType.objects.get_for_model(model)
    new_id = ContentType.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    renamed = f"{old.model}_before"
    ContentType.objects.filter(pk=old.pk).update(model=renamed)
    new = ContentType.objects.create(pk=new_id, app_label=old.app_label, model=old.model)
    Revision.objects.filter(content_type_id=old.pk).update(content_type=new)
    Revision.objects.filter(base_content_type_id=old.pk).update(base_content_type=new)
    ContentType.objects.clear_cache()


@pytest.mark.parametrize("same_object", [False, True], ids=["built-each-time", "kept"])
def test_a_join_on_a_content_type_reads_each_portals_own_rows(alpha, beta, same_object):
    # A generic relation's join names a content type id, asked of the schema's own
    # content types when the query is compiled: ids are the schema's, not the query's.
    # Also for one queryset object read again (a reading kept by ``core.reading_memo``,
    # whose compilation is found by identity): compiled again for the other portal.
    for portal, name in ((alpha, "Amicale d'Alpha"), (beta, "Amicale de Beta")):
        with schema_context(portal.schema_name):
            Actor.objects.create(name=name).save_revision()
    with schema_context(beta.schema_name):
        renumber_content_type(Actor)

    kept = Actor.objects.filter(_revisions__isnull=False)
    seen = []
    for portal in (alpha, beta, alpha, beta):
        with schema_context(portal.schema_name):
            queryset = kept if same_object else Actor.objects.filter(_revisions__isnull=False)
            (rows,) = rows_of([queryset])
            seen.append([actor.name for actor in rows])

    assert seen == [["Amicale d'Alpha"], ["Amicale de Beta"]] * 2


def test_a_lazy_value_is_read_as_it_is_when_asked(alpha):
    # A lazy string is kept in the query as how to make it (``reverse`` and its name), and
    # made when the query is compiled: here with the script prefix of each request.
    login = reverse_lazy("wagtailadmin_login")
    before = get_script_prefix()
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(slug="un-article")
        try:
            for prefix in ("/", "/quartier/", "/"):
                set_script_prefix(prefix)
                with_link = ArticlePage.objects.filter(pk=article.pk).annotate(
                    link=Value(login, output_field=CharField())
                )
                assert [row.link for row in rows_of([with_link])[0]] == [f"{prefix}admin/login/"]
        finally:
            set_script_prefix(before)


def test_dates_are_read_in_the_active_time_zone(alpha):
    with schema_context(alpha.schema_name):
        EventPageFactory(
            slug="reveillon", start=datetime.datetime(2026, 12, 24, 23, 30, tzinfo=datetime.UTC)
        )
        for zone, day in (("UTC", 24), ("Europe/Paris", 25), ("UTC", 24)):
            with timezone.override(zone):
                on_the_day = EventPage.objects.filter(slug="reveillon").annotate(
                    day=TruncDate("start")
                )
                assert [row.day for row in rows_of([on_the_day])[0]] == [
                    datetime.date(2026, 12, day)
                ]


def test_a_listings_prefetched_children_come_in_its_round_trip_as_djangos_prefetch(alpha):
    from classifieds.factories import ClassifiedFactory
    from classifieds.listing import published_ads
    from classifieds.models import ClassifiedPhoto

    with schema_context(alpha.schema_name):
        with_two, without, with_one = (ClassifiedFactory() for _ in range(3))
        for ad, position, name in (
            (with_two, 1, "second.jpg"),
            (with_two, 0, "first.jpg"),
            (with_one, 0, "only.jpg"),
        ):
            ClassifiedPhoto.objects.create(
                classified=ad, image=f"classifieds/{name}", width=10, height=10, position=position
            )
        listing = published_ads()[:3]
        djangos = {ad.pk: [photo.image.name for photo in ad.photos.all()] for ad in listing}

        with CaptureQueriesContext(connection) as captured:
            found = read_together({"ads": Reading((listing,), lambda rows: rows[0])})["ads"]
            ours = {ad.pk: [photo.image.name for photo in ad.photos.all()] for ad in found}
            owners = {photo.classified for ad in found for photo in ad.photos.all()}

    assert len(captured) == 1
    assert ours == djangos
    assert ours[with_two.pk] == ["classifieds/first.jpg", "classifieds/second.jpg"]
    assert ours[without.pk] == []
    assert owners == {ad for ad in found if ad.pk != without.pk}


@pytest.mark.parametrize("order", [("name",), ("name", "pk")], ids=["ties", "total"])
def test_a_cut_listing_with_ties_gets_the_renditions_of_its_own_rows(alpha, order):
    """Renditions asked through a subquery of a listing cut after an order with ties may be
    another rows' (PostgreSQL plans the listing joined to its images and the subquery
    apart, and breaks ties its own way): such a listing's renditions are read once its rows
    are known; a total order keeps them in the same round trip."""
    with schema_context(alpha.schema_name):
        logos = [ImageFactory(title=f"Logo {number}") for number in range(8)]
        ImageFactory.create_batch(60, title="Autre")  # the listing then merge-joins its images
        for logo in logos:
            logo.get_rendition("height-64")
        for logo in reversed(logos):
            Actor.objects.create(name="Même nom", featured=True, logo=logo)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        listing = with_renditions(
            Actor.objects.filter(featured=True).order_by(*order), "logo", "height-64"
        )[:3]

        with CaptureQueriesContext(connection) as captured:
            found = read_together({"actors": Reading((listing,), lambda rows: rows[0])})["actors"]
            for actor in found:
                actor.logo.get_rendition("height-64")

    assert len(found) == 3
    assert all(actor.logo.prefetched_renditions for actor in found)
    # No rendition made again, nor looked up one by one.
    assert len(captured) == (2 if order == ("name",) else 1)
