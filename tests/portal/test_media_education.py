"""Media-education cycles: learners' productions credited as their parents' authorisation
allows. A minor's name, image and voice never reach a public page, a feed, the search,
the network index or the page cache beyond that authorisation; the records are the
animators' alone."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, ReferenceIndex

from core.publication import publication_problems
from portal.blogs.contributors import invite_contributor
from portal.education.consent import apply_authorisation
from portal.education.models import Learner, ProductionCredit
from portal.factories import (
    ArticlePageFactory,
    BlogPageFactory,
    BlogPostPageFactory,
    EventPageFactory,
    LearnerFactory,
    MediaEducationCyclePageFactory,
)
from radio.factories import EpisodePageFactory, ShowPageFactory, StationPageFactory
from tenants.models import SharedEntry
from tests.conftest import PASSWORD
from tests.portal.test_blogs import logged_in, post_form
from tests.radio.conftest import episode_form

pytestmark = pytest.mark.django_db

ANONYMOUS = "Un·e jeune du quartier"


@pytest.fixture
def cycle(alpha):
    """A cycle with two séances, its group's blog, Inès (a minor whose parent authorised
    nothing) and Yanis (a minor authorised for name, image and voice)."""
    with schema_context(alpha.schema_name):
        blog = BlogPageFactory(title="Les jeunes reporters", slug="jeunes-reporters-blog")
        first = EventPageFactory(title="Séance 1 : d'où vient une info ?", slug="seance-1")
        second = EventPageFactory(title="Séance 2 : enregistrer", slug="seance-2")
        page = MediaEducationCyclePageFactory(
            title="Jeunes reporters", slug="jeunes-reporters", learners_blog=blog
        )
        page.sessions.create(event=first, topic="Vérifier une rumeur")
        page.sessions.create(event=second, topic="Micro-trottoir")
        page.save_revision().publish()
        ines = LearnerFactory(cycle=page, name="Inès Benali")
        yanis = LearnerFactory(
            cycle=page,
            name="Yanis Boukhari",
            parent_name="Karima Boukhari",
            authorised_on="2026-10-01",
            may_show_name=True,
            may_show_image=True,
            may_broadcast_voice=True,
        )
    return {"page": page, "blog": blog, "ines": ines, "yanis": yanis}


def _credited_post(cycle, *learners, title="Ce que j'ai appris en vérifiant une rumeur"):
    post = BlogPostPageFactory(parent=cycle["blog"], title=title)
    for learner in learners:
        ProductionCredit.objects.create(learner=learner, page=post)
    return post


def test_a_minor_without_name_consent_is_credited_as_a_young_person_of_the_neighbourhood(
    alpha, cycle, client_for
):
    with schema_context(alpha.schema_name):
        post = _credited_post(cycle, cycle["ines"], cycle["yanis"])

    page = client_for(alpha).get(post.url_path.replace("/accueil", ""))

    assert page.status_code == 200
    assert "Yanis Boukhari" in page.text
    assert ANONYMOUS in page.text
    assert "Benali" not in page.text and "Inès" not in page.text


@pytest.mark.parametrize("names", [("Adam Diallo", "Zoé Martin"), ("Zoé Martin", "Adam Diallo")])
def test_the_young_people_not_named_are_listed_in_an_order_their_names_do_not_set(
    alpha, cycle, client_for, names
):
    with schema_context(alpha.schema_name):
        voice, photo = (LearnerFactory(cycle=cycle["page"], name=name) for name in names)
        post = BlogPostPageFactory(parent=cycle["blog"], title="Le marché vu par les jeunes")
        ProductionCredit.objects.create(learner=voice, page=post, contribution="voice")
        ProductionCredit.objects.create(learner=photo, page=post, contribution="photo")

    text = client_for(alpha).get(post.url_path.replace("/accueil", "")).text

    assert text.count(ANONYMOUS) == 2
    assert "Zoé" not in text and "Adam" not in text
    # Whoever is Adam, the photo comes first: the order tells nothing of the names.
    assert text.index("(photo)") < text.index("(voix)")


def test_withdrawing_the_name_consent_takes_the_name_off_a_cached_page(alpha, cycle, client_for):
    with schema_context(alpha.schema_name):
        post = _credited_post(cycle, cycle["yanis"])
    url = post.url_path.replace("/accueil", "")
    assert "Yanis Boukhari" in client_for(alpha).get(url).text  # now in the page cache

    with schema_context(alpha.schema_name):
        yanis = Learner.objects.get(pk=cycle["yanis"].pk)
        yanis.may_show_name = False
        yanis.save()

    assert "Yanis" not in client_for(alpha).get(url).text


def test_publishing_a_post_that_names_a_minor_without_consent_is_refused_in_french(
    alpha, cycle, animator_of, client_for
):
    animator = animator_of(alpha)
    browser = logged_in(client_for(alpha), animator.username)
    form = post_form("Inès a interviewé le boulanger", "action-publish")

    response = browser.post(f"/admin/pages/add/portal/blogpostpage/{cycle['blog'].pk}/", form)

    assert response.status_code == 200
    assert "autorisation parentale ne couvre pas le nom" in response.text
    with schema_context(alpha.schema_name):
        assert not Page.objects.filter(title="Inès a interviewé le boulanger", live=True).exists()


def test_a_name_the_authorisation_covers_may_be_published(alpha, cycle, animator_of, client_for):
    animator = animator_of(alpha)
    browser = logged_in(client_for(alpha), animator.username)

    browser.post(
        f"/admin/pages/add/portal/blogpostpage/{cycle['blog'].pk}/",
        post_form("Yanis Boukhari a interviewé le boulanger", "action-publish"),
    )

    with schema_context(alpha.schema_name):
        assert Page.objects.get(title="Yanis Boukhari a interviewé le boulanger").live


def test_an_article_naming_a_minor_elsewhere_is_refused_by_their_full_name(alpha, cycle):
    # Outside the cycle's productions a first name alone names anybody: the full name counts.
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory.build(title="Le marché", authors="Inès Benali")
        other = ArticlePageFactory.build(title="Inès, boulangère depuis 1987")

        assert publication_problems(article)
        assert publication_problems(other) == []


def _episode_show(alpha):
    station = StationPageFactory()
    return ShowPageFactory(parent=station, title="La voix des jeunes")


def test_an_episode_with_a_minors_voice_without_consent_cannot_be_published(
    alpha, cycle, animator_of, client_for
):
    with schema_context(alpha.schema_name):
        show = _episode_show(alpha)
        episode = EpisodePageFactory(parent=show, title="Micro-trottoir au marché")
        episode.unpublish()
        ProductionCredit.objects.create(
            learner=cycle["ines"], page=episode, contribution=ProductionCredit.Contribution.VOICE
        )
    browser = logged_in(client_for(alpha), animator_of(alpha).username)

    response = browser.post(
        f"/admin/pages/{episode.pk}/edit/",
        episode_form(
            title="Micro-trottoir au marché",
            slug=episode.slug,
            embed_url="",
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 200
    assert "sans autorisation parentale pour la voix" in response.text
    with schema_context(alpha.schema_name):
        assert not Page.objects.get(pk=episode.pk).live


def test_narrowing_an_authorisation_unpublishes_the_episode_at_once(
    alpha, cycle, animator_of, client_for
):
    with schema_context(alpha.schema_name):
        show = _episode_show(alpha)
        episode = EpisodePageFactory(parent=show, title="Le studio des jeunes")
        ProductionCredit.objects.create(
            learner=cycle["yanis"], page=episode, contribution=ProductionCredit.Contribution.VOICE
        )
        assert Page.objects.get(pk=episode.pk).live
    browser = logged_in(client_for(alpha), animator_of(alpha).username)
    url = f"/admin/education/participants/edit/{cycle['yanis'].pk}/"
    form = browser.get(url)
    assert form.status_code == 200

    with schema_context(alpha.schema_name):
        yanis = Learner.objects.get(pk=cycle["yanis"].pk)
        yanis.may_broadcast_voice = False
        yanis.save()
        unpublished = apply_authorisation(yanis)

        assert [page.pk for page in unpublished] == [episode.pk]
        assert not Page.objects.get(pk=episode.pk).live


def test_a_workflow_approval_cannot_publish_a_post_naming_a_minor(
    alpha, cycle, animator_of, client_for
):
    # The approval from the dashboard does not go through the page form: the page goes
    # live, and is taken offline at once.
    with schema_context(alpha.schema_name):
        writer = invite_contributor(alpha, "reporters@example.org", cycle["blog"])
        writer.set_password(PASSWORD)
        writer.save()
    author = logged_in(client_for(alpha), "reporters@example.org")
    author.post(
        f"/admin/pages/add/portal/blogpostpage/{cycle['blog'].pk}/",
        post_form("Le reportage d'Inès Benali", "action-submit"),
    )
    with schema_context(alpha.schema_name):
        post = Page.objects.get(title="Le reportage d'Inès Benali").specific
        task_state = post.current_workflow_task_state
    reviewer = logged_in(client_for(alpha), animator_of(alpha).username)

    reviewer.post(
        f"/admin/pages/workflow/action/{post.pk}/approve/{task_state.pk}/", {"comment": ""}
    )

    with schema_context(alpha.schema_name):
        assert not Page.objects.get(pk=post.pk).live
    assert post.slug not in client_for(alpha).get("/recherche/?q=Benali").text


def test_a_learners_own_draft_is_credited_to_them_and_waits_for_the_animator(
    alpha, cycle, client_for
):
    with schema_context(alpha.schema_name):
        writer = invite_contributor(alpha, "ines.account@example.org", cycle["blog"])
        writer.set_password(PASSWORD)
        writer.save()
        Learner.objects.filter(pk=cycle["ines"].pk).update(account=writer)
    author = logged_in(client_for(alpha), "ines.account@example.org")

    author.post(
        f"/admin/pages/add/portal/blogpostpage/{cycle['blog'].pk}/",
        post_form("Mon premier micro-trottoir", "action-submit"),
    )

    with schema_context(alpha.schema_name):
        post = Page.objects.get(title="Mon premier micro-trottoir")
        assert not post.live
        assert post.current_workflow_state is not None
        assert ProductionCredit.objects.filter(page=post, learner=cycle["ines"]).exists()


def test_an_image_showing_a_minor_without_image_consent_cannot_be_published(alpha, cycle):
    with schema_context(alpha.schema_name):
        photo = Image.objects.create(title="Au marché", file=get_test_image_file())
        article = ArticlePageFactory(title="Le marché en images")
        ProductionCredit.objects.create(
            learner=cycle["ines"],
            page=article,
            contribution=ProductionCredit.Contribution.PHOTO,
            image=photo,
        )
        article.cover = photo

        assert any("image" in problem for problem in publication_problems(article))
        article.cover = None
        assert publication_problems(article) == []
        # The image's "usage" screen, open to whoever edits images, never names her.
        usages = [str(ref.content_type) for ref in ReferenceIndex.get_references_to(photo)]
        assert not [usage for usage in usages if "participant" in usage.lower()]


def test_feed_search_and_network_index_never_show_an_unconsented_name(alpha, cycle, client_for):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Le marché du dimanche", shared_with_network=True)
        ProductionCredit.objects.create(learner=cycle["ines"], page=article)
        article.save_revision().publish()
    visitor = client_for(alpha)

    article_page = visitor.get("/actualites/le-marche-du-dimanche/")
    feed = visitor.get("/actualites/rss/")
    search = visitor.get("/recherche/?q=Benali")
    entries = list(SharedEntry.objects.filter(title="Le marché du dimanche").values())

    assert ANONYMOUS in article_page.text
    for text in (article_page.text, feed.text, repr(entries)):
        assert "Benali" not in text and "Inès" not in text
    assert "le-marche-du-dimanche" not in search.text  # no page answers her name
    assert entries  # the article is in the index, without the name


def test_the_cycle_page_shows_its_seances_and_productions_never_its_learners(
    alpha, cycle, client_for
):
    with schema_context(alpha.schema_name):
        _credited_post(cycle, cycle["ines"], title="Vérifier avant de partager")

    page = client_for(alpha).get("/agenda/jeunes-reporters/")

    assert page.status_code == 200
    assert "Séance 1 : d&#x27;où vient une info ?" in page.text or "Séance 1" in page.text
    assert "Vérifier avant de partager" in page.text
    assert "2 jeunes du quartier" in page.text
    assert "Inès" not in page.text and "Yanis" not in page.text


def test_a_contributor_cannot_see_the_learners_records(alpha, cycle, client_for):
    with schema_context(alpha.schema_name):
        writer = invite_contributor(alpha, "curious@example.org", cycle["blog"])
        writer.set_password(PASSWORD)
        writer.save()
    browser = logged_in(client_for(alpha), "curious@example.org")

    listing = browser.get("/admin/education/participants/")
    record = browser.get(f"/admin/education/participants/edit/{cycle['ines'].pk}/")
    change = browser.post(
        f"/admin/education/participants/edit/{cycle['ines'].pk}/",
        {"cycle": cycle["page"].pk, "name": "Inès Benali", "may_show_name": "on"},
    )

    # Wagtail's bulk actions list what may not be changed: by name, every row with "all".
    bulk = browser.get(f"/admin/bulk/portal/learner/delete/?id=all&id={cycle['ines'].pk}")
    pages = browser.get("/admin/bulk/wagtailcore/page/delete/?id=all")

    assert listing.status_code in (302, 403)
    assert record.status_code in (302, 403)
    assert "Benali" not in listing.text + record.text
    assert bulk.status_code == 200 and "Benali" not in bulk.text
    assert "Séance 1" not in pages.text and "Jeunes reporters" not in pages.text
    with schema_context(alpha.schema_name):
        assert not Learner.objects.get(pk=cycle["ines"].pk).may_show_name
    assert change.status_code in (302, 403)


def test_the_animator_sees_the_records_and_another_portals_animator_does_not(
    alpha, beta, cycle, animator_of, client_for
):
    own = logged_in(client_for(alpha), animator_of(alpha).username)
    stranger = logged_in(client_for(beta), animator_of(beta).username)

    mine = own.get(f"/admin/education/participants/edit/{cycle['ines'].pk}/")
    theirs = stranger.get(f"/admin/education/participants/edit/{cycle['ines'].pk}/")
    # The other portal's animator on this portal's host has no account here.
    on_our_host = client_for(alpha).post(
        "/admin/login/",
        {"username": animator_of(beta).username, "password": PASSWORD},
    )

    assert mine.status_code == 200 and "Inès Benali" in mine.text
    assert theirs.status_code == 404
    assert "Benali" not in theirs.text
    assert on_our_host.status_code == 200  # the login form again, not a session


def test_a_minor_authorisation_needs_its_parent_and_date(alpha, cycle):
    with schema_context(alpha.schema_name):
        learner = Learner(cycle=cycle["page"], name="Sans Signature", may_show_name=True)

        with pytest.raises(ValidationError) as refused:
            learner.full_clean()

    assert "parent_name" in refused.value.message_dict
    assert "authorised_on" in refused.value.message_dict


def test_withdrawing_the_image_consent_unpublishes_the_pages_showing_that_image(alpha, cycle):
    with schema_context(alpha.schema_name):
        photo = Image.objects.create(title="Le studio", file=get_test_image_file())
        article = ArticlePageFactory(
            title="Au studio de la webradio", cover=photo, cover_alt="Le studio"
        )
        other = ArticlePageFactory(title="Le studio rouvre", cover=photo, cover_alt="Le studio")
        ProductionCredit.objects.create(
            learner=cycle["yanis"],
            page=article,
            contribution=ProductionCredit.Contribution.PHOTO,
            image=photo,
        )
        yanis = Learner.objects.get(pk=cycle["yanis"].pk)
        yanis.may_show_image = False
        yanis.save()

        unpublished = apply_authorisation(yanis)

        assert {page.pk for page in unpublished} == {article.pk, other.pk}
        assert not Page.objects.filter(pk__in=[article.pk, other.pk], live=True).exists()
