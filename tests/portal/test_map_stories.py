"""The residents' map: a story added without an account waits for its author's e-mail
confirmation, then for an animator; only approval publishes it, as its own layer, in the
list under the map and in its own GeoJSON collection, with nothing private; the animator
can place it, and pick it for a draft article; reactions open under it."""

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Page

from core.abuse import STARTED_FIELD
from portal.actors.story_forms import MapStoryForm
from portal.models import ArticlePage, MapStoryPage
from tests.conftest import PASSWORD
from tests.portal.conftest import form_opened_a_minute_ago, logged_in

pytestmark = pytest.mark.django_db

TELL = "/acteurs/raconter/"


def story_form(**overrides) -> dict:
    data = {
        "kind": "memory",
        "title": "Le banc des anciens",
        "text": "Chaque été, on y jouait aux dominos.",
        "place_hint": "",
        "latitude": "48,8722",
        "longitude": "2,3850",
        "photo_credit": "",
        "contributor_name": "Mireille",
        "contributor_email": "Mireille@Example.org",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(MapStoryForm),
    }
    data.update(overrides)
    return data


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return SimpleUploadedFile("banc.jpg", out.getvalue(), content_type="image/jpeg")


def _tell(portal, client_for, outbox, capture, **overrides) -> tuple[MapStoryPage, str]:
    with capture(execute=True):
        response = client_for(portal).post(TELL, story_form(**overrides))
    assert response.status_code == 302, response.text
    message = [m for m in outbox if m.to == ["mireille@example.org"]][-1]
    [link] = re.findall(r"https?://\S+", message.body)
    with schema_context(portal.schema_name):
        story = MapStoryPage.objects.get(title=overrides.get("title", "Le banc des anciens"))
    return story, "/" + link.split("/", 3)[3]


def test_a_story_waits_for_confirmation_then_moderation_and_shows_only_once_approved(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    animator_of(alpha)
    visitor = client_for(alpha)
    story, confirm = _tell(alpha, client_for, outbox, django_capture_on_commit_callbacks)
    assert story.status == MapStoryPage.Status.UNCONFIRMED and not story.live
    assert "Le banc des anciens" not in visitor.get("/acteurs/").text

    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        opened = visitor.get(confirm)  # what a mail scanner does: nothing confirmed
    assert "Confirmer mon récit" in opened.text and outbox == []
    with schema_context(alpha.schema_name):
        story.refresh_from_db()
    assert story.status == MapStoryPage.Status.UNCONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        assert visitor.post(confirm).status_code == 200
    with schema_context(alpha.schema_name):
        story.refresh_from_db()
    assert story.status == MapStoryPage.Status.PENDING
    assert any("Nouveau récit" in m.subject for m in outbox)  # the animators are told
    assert "Le banc des anciens" not in visitor.get("/acteurs/").text
    assert visitor.get(f"/acteurs/{story.slug}/").status_code == 404

    animator = logged_in(client_for(alpha), animator_of(alpha))
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        animator.post(
            f"/admin/acteurs/recits/{story.pk}/",
            {"decision": "approve", "latitude": "48,8722", "longitude": "2,3850"},
        )

    listing = visitor.get("/acteurs/").text
    assert "Le banc des anciens" in listing and "Raconté par Mireille" in listing
    page = visitor.get(f"/acteurs/{story.slug}/")
    assert page.status_code == 200
    assert "dominos" in page.text
    [told] = outbox
    assert told.to == ["mireille@example.org"] and "est sur la carte" in told.subject


def test_a_story_sent_twice_is_stored_and_mailed_once(
    alpha, client_for, outbox, django_capture_on_commit_callbacks
):
    visitor = client_for(alpha)
    title = "La fontaine Wallace"

    with django_capture_on_commit_callbacks(execute=True):
        first = visitor.post(TELL, story_form(title=title))
        again = visitor.post(TELL, story_form(title=title))

    # The second click lands where the first did: "check your e-mail".
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert "Confirmez votre adresse e-mail" in visitor.get(again["Location"]).text
    with schema_context(alpha.schema_name):
        assert MapStoryPage.objects.filter(title=title).count() == 1
    assert len([m for m in outbox if m.to == ["mireille@example.org"]]) == 1


def _published(portal, **values) -> MapStoryPage:
    from portal.actors.section import ActorDirectoryPage

    with schema_context(portal.schema_name):
        directory = ActorDirectoryPage.objects.get()
        story = MapStoryPage(
            title=values.pop("title", "Ici il faudrait un banc"),
            kind=values.pop("kind", "wish"),
            text="Un banc à l'ombre pour les anciens.",
            latitude="48.870000",
            longitude="2.380000",
            place_hint="devant chez moi, 12 rue Secrète",
            contributor_name="Karim",
            contributor_email="karim@example.org",
            **values,
        )
        directory.add_child(instance=story)
        story.save_revision().publish()
        return story


def test_stories_are_their_own_layer_filter_and_geojson_collection_without_personal_data(
    alpha, client_for
):
    _published(alpha)
    visitor = client_for(alpha)

    only_actors = visitor.get("/acteurs/", {"montrer": "acteurs"}).text
    only_stories = visitor.get("/acteurs/", {"montrer": "recits"}).text
    problems = visitor.get("/acteurs/", {"recit": "problem"}).text
    collection = json.loads(visitor.get("/acteurs/geojson/recits/").content)
    actors = visitor.get("/acteurs/geojson/").text

    assert "Ici il faudrait un banc" not in only_actors
    assert "Ici il faudrait un banc" in only_stories
    assert "Ici il faudrait un banc" not in problems
    [feature] = collection["features"]
    assert feature["properties"]["kind"] == "wish"
    assert feature["geometry"]["coordinates"] == [2.38, 48.87]
    assert "Ici il faudrait" not in actors
    for text in (only_stories, json.dumps(collection), visitor.get("/acteurs/").text):
        assert "karim@example.org" not in text
        assert "Secrète" not in text


def test_without_javascript_a_place_name_suffices_and_the_animator_places_the_story(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    story, confirm = _tell(
        alpha,
        client_for,
        outbox,
        django_capture_on_commit_callbacks,
        latitude="",
        longitude="",
        place_hint="square Sarah-Bernhardt",
    )
    client_for(alpha).post(confirm)
    animator = logged_in(client_for(alpha), animator_of(alpha))

    refused = animator.post(f"/admin/acteurs/recits/{story.pk}/", {"decision": "approve"})
    assert "Placez d" in refused.text
    assert "square Sarah-Bernhardt" in animator.get(f"/admin/acteurs/recits/{story.pk}/").text
    animator.post(
        f"/admin/acteurs/recits/{story.pk}/",
        {"decision": "approve", "latitude": "48,86", "longitude": "2,39"},
    )

    with schema_context(alpha.schema_name):
        story.refresh_from_db()
    assert story.live and story.is_located
    assert "Sarah-Bernhardt" not in client_for(alpha).get(f"/acteurs/{story.slug}/").text


def test_a_form_without_place_or_with_an_unconsented_photo_says_what_to_fix(alpha, client_for):
    visitor = client_for(alpha)

    no_place = visitor.post(TELL, story_form(latitude="", longitude="", place_hint=""))
    no_consent = visitor.post(TELL, {**story_form(photo_credit="Moi"), "photo": _photo()})

    assert no_place.status_code == 400 and "Dites où c" in no_place.text
    assert no_consent.status_code == 400 and "Cochez cette case" in no_consent.text
    with schema_context(alpha.schema_name):
        assert not MapStoryPage.objects.exists()


def _with_photo(portal, client_for, outbox, capture, **overrides) -> MapStoryPage:
    """A story told with a photo, its address confirmed: it waits for the animators."""
    story, confirm = _tell(
        portal,
        client_for,
        outbox,
        capture,
        photo=_photo(),
        photo_credit="Léa B.",
        photo_consent="on",
        **overrides,
    )
    client_for(portal).post(confirm)
    with schema_context(portal.schema_name):
        story.refresh_from_db()
    return story


def _library_images(portal, title: str = "Le banc des anciens") -> list:
    with schema_context(portal.schema_name):
        return list(get_image_model().objects.filter(title__contains=title))


def _private_file_exists(portal, story: MapStoryPage, name: str) -> bool:
    with schema_context(portal.schema_name):
        return story.pending_photo.storage.exists(name)


def test_a_waiting_photo_stays_out_of_the_library_and_only_animators_see_it(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    story = _with_photo(alpha, client_for, outbox, django_capture_on_commit_callbacks)
    photo_view = f"/admin/acteurs/recits/{story.pk}/photo/"
    with schema_context(alpha.schema_name):
        public_url = story.pending_photo.url
        contributor = get_user_model().objects.create_user(
            username="redactrice-photo", email="red@example.org", password=PASSWORD
        )
        contributor.groups.add(Group.objects.get(name="Contributeurs"))

    assert story.pending_photo and not story.photo_id
    assert _library_images(alpha) == []  # no contributor can choose it for a page
    assert public_url.startswith("/media/")
    assert client_for(alpha).get(public_url).status_code == 404
    for outsider in (client_for(alpha), logged_in(client_for(alpha), contributor)):
        refused = outsider.get(photo_view)
        assert refused.status_code in (302, 403)  # to the login, or the admin's refusal
        assert not refused["Content-Type"].startswith("image/")

    animator = logged_in(client_for(alpha), animator_of(alpha))
    screen = animator.get(f"/admin/acteurs/recits/{story.pk}/").text
    assert photo_view in screen and "Léa B." in screen
    photo = animator.get(photo_view)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(photo.streaming_content))).size == (40, 30)


def test_an_approved_photo_joins_the_library_with_its_credit_and_shows_on_the_story(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    story = _with_photo(
        alpha, client_for, outbox, django_capture_on_commit_callbacks, title="Le lavoir"
    )
    private_name = story.pending_photo.name
    animator = logged_in(client_for(alpha), animator_of(alpha))
    with django_capture_on_commit_callbacks(execute=True):
        animator.post(
            f"/admin/acteurs/recits/{story.pk}/",
            {"decision": "approve", "latitude": "48,8722", "longitude": "2,3850"},
        )

    [image] = _library_images(alpha, "Le lavoir")
    assert "Léa B." in image.title
    with schema_context(alpha.schema_name):
        story.refresh_from_db()
    assert story.photo_id == image.pk and not story.pending_photo
    assert not _private_file_exists(alpha, story, private_name)
    page = client_for(alpha).get(f"/acteurs/{story.slug}/").text
    assert "Photo : Léa B." in page
    assert 'alt="Photo du récit « Le lavoir »"' in page and "<img" in page


def test_a_declined_photo_is_deleted_and_never_joins_the_library(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    story = _with_photo(
        alpha, client_for, outbox, django_capture_on_commit_callbacks, title="La cour"
    )
    private_name = story.pending_photo.name
    assert _private_file_exists(alpha, story, private_name)
    animator = logged_in(client_for(alpha), animator_of(alpha))
    with django_capture_on_commit_callbacks(execute=True):
        animator.post(f"/admin/acteurs/recits/{story.pk}/", {"decision": "decline"})

    assert not _private_file_exists(alpha, story, private_name)
    assert _library_images(alpha, "La cour") == []
    assert animator.get(f"/admin/acteurs/recits/{story.pk}/photo/").status_code == 404


def test_deleting_a_waiting_story_in_the_admin_deletes_its_private_photo(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    story = _with_photo(
        alpha, client_for, outbox, django_capture_on_commit_callbacks, title="La fontaine"
    )
    private_name = story.pending_photo.name
    assert _private_file_exists(alpha, story, private_name)
    animator = logged_in(client_for(alpha), animator_of(alpha))

    with django_capture_on_commit_callbacks(execute=True):
        deleted = animator.post(f"/admin/pages/{story.pk}/delete/")

    assert deleted.status_code == 302
    with schema_context(alpha.schema_name):
        assert not MapStoryPage.objects.filter(pk=story.pk).exists()
    assert not _private_file_exists(alpha, story, private_name)
    assert animator.get(f"/admin/acteurs/recits/{story.pk}/photo/").status_code == 404


def test_a_story_deleted_as_a_plain_page_leaves_no_private_photo(
    alpha, client_for, outbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    story = _with_photo(
        alpha, client_for, outbox, django_capture_on_commit_callbacks, title="Le kiosque"
    )
    private_name = story.pending_photo.name

    with schema_context(alpha.schema_name):
        # A deletion rolled back keeps the photo of the story it kept.
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            MapStoryPage.objects.get(pk=story.pk).delete()
            raise RuntimeError
        assert _private_file_exists(alpha, story, private_name)
        # Deleted through its base Page, as a parent's deletion or a bulk action does.
        with django_capture_on_commit_callbacks(execute=True):
            Page.objects.get(pk=story.pk).delete()
        assert not MapStoryPage.objects.filter(pk=story.pk).exists()
    assert not _private_file_exists(alpha, story, private_name)


def test_a_photo_published_from_the_page_editor_joins_the_library_too(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    from portal.actors.story_lifecycle import published_in_editor

    story = _with_photo(
        alpha, client_for, outbox, django_capture_on_commit_callbacks, title="Le square"
    )
    animator = animator_of(alpha)
    with schema_context(alpha.schema_name):
        # What the editor's "Publier" does, then its after_publish_page hook.
        story = MapStoryPage.objects.get(pk=story.pk)
        story.save_revision(user=animator).publish(user=animator)
        published_in_editor(story, animator)
        story.refresh_from_db()
        latest = story.get_latest_revision_as_object()

    [image] = _library_images(alpha, "Le square")
    assert story.photo_id == image.pk and latest.photo_id == image.pk
    assert not story.pending_photo and not latest.pending_photo
    assert "Photo : Léa B." in client_for(alpha).get(f"/acteurs/{story.slug}/").text


def test_a_confirmation_link_opens_nothing_at_another_portal(
    alpha, beta, client_for, outbox, django_capture_on_commit_callbacks
):
    _story, confirm = _tell(alpha, client_for, outbox, django_capture_on_commit_callbacks)

    assert client_for(beta).post(confirm).status_code == 404
    assert client_for(alpha).post("/acteurs/raconter/confirmer/bm9wZQ/").status_code == 404


def test_a_story_of_one_portal_is_not_seen_nor_moderated_through_another(
    alpha, beta, client_for, animator_of
):
    story = _published(alpha, title="Récit d'alpha seulement")
    beta_animator = logged_in(client_for(beta), animator_of(beta))

    assert "Récit d'alpha seulement" not in client_for(beta).get("/acteurs/").text
    assert client_for(beta).get(f"/acteurs/{story.slug}/").status_code == 404
    assert "Récit d" not in beta_animator.get(f"/admin/acteurs/recits/{story.pk}/").text


def test_the_animator_picks_a_story_for_a_draft_article_quoting_it_with_credit(
    alpha, client_for, animator_of
):
    story = _published(alpha)
    animator = logged_in(client_for(alpha), animator_of(alpha))

    response = animator.post(f"/admin/acteurs/recits/{story.pk}/", {"decision": "pick"})

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        article = ArticlePage.objects.get(title="Ici il faudrait un banc")
        assert not article.live
        [quote] = [block for block in article.body if block.block_type == "quote"]
        assert quote.value["author"] == "Karim"
        assert "banc à l'ombre" in quote.value["quote"]


def test_a_published_story_takes_reactions(alpha, client_for):
    story = _published(alpha)

    page = client_for(alpha).get(f"/acteurs/{story.slug}/").text

    assert "réaction" in page.lower()


def test_the_moderation_inbox_lists_waiting_stories_and_entry_changes(
    alpha, client_for, animator_of, outbox, django_capture_on_commit_callbacks
):
    _story, confirm = _tell(alpha, client_for, outbox, django_capture_on_commit_callbacks)
    client_for(alpha).post(confirm)
    with schema_context(alpha.schema_name):
        from core.moderation import moderation_sources

        sources = {source.key: source for source in moderation_sources()}
        assert sources["map-stories"].waiting_count() == 1
        assert sources["map-stories"].waiting(5)[0].title.endswith("Le banc des anciens")
        assert "actor-proposals" in sources


def test_stories_never_confirmed_are_deleted_after_48_hours(
    alpha, client_for, outbox, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from portal.actors.story_lifecycle import purge_unconfirmed

    story, _confirm = _tell(
        alpha,
        client_for,
        outbox,
        django_capture_on_commit_callbacks,
        photo=_photo(),
        photo_credit="Léa B.",
        photo_consent="on",
    )
    private_name = story.pending_photo.name
    assert _private_file_exists(alpha, story, private_name)
    kept, _ = _tell(
        alpha, client_for, outbox, django_capture_on_commit_callbacks, title="Récit récent"
    )
    with schema_context(alpha.schema_name):
        MapStoryPage.objects.filter(pk=story.pk).update(
            received_at=timezone.now() - datetime.timedelta(hours=49)
        )

        assert purge_unconfirmed() == 1
        assert not MapStoryPage.objects.filter(pk=story.pk).exists()
        assert MapStoryPage.objects.filter(pk=kept.pk).exists()
    assert not _private_file_exists(alpha, story, private_name)


def test_the_map_page_asks_as_many_queries_for_one_story_as_for_five(alpha, client_for, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    visitor = client_for(alpha)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert visitor.get("/acteurs/").status_code == 200
        return len(captured)

    _published(alpha, title="Premier récit")
    visitor.get("/acteurs/")  # warm the portal's state, as any visitor after the first
    with_one = queries()
    for number in range(4):
        _published(alpha, title=f"Récit {number}")
    visitor.get("/acteurs/")

    assert queries() == with_one
