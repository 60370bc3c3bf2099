"""Demo content of a media-education cycle: « Jeunes reporters du quartier », four séances
in the agenda, a group of young people recorded with their parents' authorisations, their
published productions and a post waiting for the animator.

Idempotent: nothing is added to a portal that already has a cycle.
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from core.demo_pages import add_new_post, publish_new_child
from portal.agenda.models import EventIndexPage, EventPage
from portal.blogs.contributors import blog_group, open_blog
from portal.blogs.models import BlogIndexPage, BlogPostPage
from portal.demo import cover_before_publishing
from portal.education.models import (
    CycleSession,
    Learner,
    MediaEducationCyclePage,
    ProductionCredit,
)
from portal.news.models import ArticleIndexPage, ArticlePage
from tenants.default_portal import CONTRIBUTORS

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

SESSIONS = [
    (-21, "D'où vient une information ?", "Remonter à la source d'une rumeur du quartier"),
    (-14, "Écrire un reportage de quartier", "Choisir un angle, interroger, vérifier"),
    (-7, "Photographier sans trahir", "Droit à l'image et cadrage"),
    (7, "Enregistrer un podcast", "Micro-trottoir et montage au studio de la webradio"),
]

# (name, minor, name authorised, image authorised, voice authorised)
LEARNERS = [
    ("Yanis Boukhari", True, True, True, True),
    ("Maëlle Tournier", True, True, False, True),
    ("Rayan Belkacem", True, False, False, False),
    ("Awa Diallo", True, False, True, True),
    ("Lucas Ferreira", True, False, False, False),
    ("Sandrine Morel", False, True, True, True),
]

ARTICLE = (
    "Le marché du dimanche raconté par les jeunes reporters",
    "marche-du-dimanche-jeunes-reporters",
    "Six semaines d'atelier, trois interviews et un constat : le marché est le cœur battant "
    "du quartier.",
    "À 8 heures, les premiers étals s'installent. Le poissonnier est là depuis 1987 ; la "
    "marchande d'épices, depuis l'an dernier. « Ici on se parle », résume une cliente "
    "fidèle. Les jeunes reporters ont vérifié chaque chiffre auprès de la mairie.",
)

POSTS = [
    (
        "Ce que j'ai appris en vérifiant une rumeur",
        True,
        "Une vidéo disait que la piscine allait fermer. On a appelé la mairie : c'est faux, "
        "elle ferme seulement trois semaines pour travaux.",
    ),
    (
        "Mon premier micro-trottoir",
        False,
        "J'avais peur de parler aux gens. Finalement, une dame m'a raconté l'histoire du "
        "square pendant vingt minutes.",
    ),
]


def seed_cycle(portal: Neighbourhood) -> None:
    """The demo's media-education cycle, in a neighbourhood portal that has none yet."""
    agenda = EventIndexPage.objects.filter(locale__language_code="fr").first()
    news = ArticleIndexPage.objects.filter(locale__language_code="fr").first()
    # The federation has no residents' blogs: a cycle is a neighbourhood's.
    has_blogs = BlogIndexPage.objects.filter(locale__language_code="fr").exists()
    if agenda is None or news is None or not has_blogs or MediaEducationCyclePage.objects.exists():
        return
    blog = open_blog("Les jeunes reporters", "Le groupe du cycle d'éducation aux médias")
    cycle = MediaEducationCyclePage(
        title="Jeunes reporters du quartier",
        slug="jeunes-reporters",
        intro=(
            "<p>Un cycle de formation à l'éducation aux médias et à l'information pour "
            "renforcer l'autonomie des jeunes et faire émerger l'information là où elle "
            "n'est pas traitée : vérifier, écrire, photographier, enregistrer.</p>"
        ),
        audience="Jeunes de 12 à 17 ans, sur inscription",
        partner="le collège Jean-Moulin et la maison de quartier",
        learners_blog=blog,
    )
    cycle.sessions = [
        CycleSession(event=_session(agenda, number, *session), topic=session[2])
        for number, session in enumerate(SESSIONS, start=1)
    ]
    publish_new_child(agenda, cycle)

    learners = {
        name: Learner.objects.create(
            cycle=cycle,
            name=name,
            is_minor=minor,
            parent_name=f"Parent de {name.split()[0]}" if minor else "",
            authorised_on=timezone.localdate() - datetime.timedelta(days=30) if minor else None,
            may_show_name=show_name,
            may_show_image=image,
            may_broadcast_voice=voice,
        )
        for name, minor, show_name, image, voice in LEARNERS
    }
    article = _article(news)
    ProductionCredit.objects.create(learner=learners["Yanis Boukhari"], page=article)
    ProductionCredit.objects.create(
        learner=learners["Rayan Belkacem"],
        page=article,
        contribution=ProductionCredit.Contribution.PHOTO,
    )
    ProductionCredit.objects.create(
        learner=learners["Maëlle Tournier"],
        page=article,
        contribution=ProductionCredit.Contribution.EDITING,
    )
    _posts(portal, blog, learners["Awa Diallo"], learners["Lucas Ferreira"])
    # A radio episode of the demo, by name: portal does not import the radio.
    episode = Page.objects.live().filter(content_type__model="episodepage").first()
    if episode is not None:
        ProductionCredit.objects.create(
            learner=learners["Yanis Boukhari"],
            page=episode,
            contribution=ProductionCredit.Contribution.VOICE,
        )


def _session(agenda: EventIndexPage, number: int, in_days: int, title: str, _topic: str):
    start = (timezone.now() + datetime.timedelta(days=in_days)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    event = EventPage(
        title=f"Jeunes reporters, séance {number} : {title}",
        slug=f"jeunes-reporters-seance-{number}",
        start=start,
        end=start + datetime.timedelta(hours=2),
        category=EventPage.Category.WORKSHOP,
        intro="<p>Séance du cycle d'éducation aux médias, pour les jeunes inscrits.</p>",
        place_name="Maison de quartier",
        address="4 place du Marché",
        audience="Jeunes de 12 à 17 ans inscrits au cycle",
        organiser="L'équipe du média citoyen",
    )
    publish_new_child(agenda, event, before_publishing=cover_before_publishing)
    return event


def _article(news: ArticleIndexPage) -> ArticlePage:
    title, slug, intro, text = ARTICLE
    article = ArticlePage(
        title=title,
        slug=slug,
        date=timezone.localdate() - datetime.timedelta(days=5),
        intro=f"<p>{intro}</p>",
        body=[("paragraph", f"<p>{text}</p>")],
        authors="Les jeunes reporters",
    )
    publish_new_child(news, article, before_publishing=cover_before_publishing)
    return article


def _posts(portal: Neighbourhood, blog, published_by: Learner, drafted_by: Learner) -> None:
    email = f"reporters@{portal.schema_name}.quartiers.example"
    users = get_user_model().objects
    account = users.filter(username=email).first()
    if account is None:
        account = users.create_user(username=email, email=email, first_name="Atelier reporters")
        account.set_unusable_password()
        account.save()
        account.groups.add(Group.objects.get(name=CONTRIBUTORS), blog_group(blog))
    for number, ((title, live, text), learner) in enumerate(
        zip(POSTS, (published_by, drafted_by), strict=True), start=1
    ):
        post = BlogPostPage(
            title=title,
            slug=f"billet-{number}",
            owner=account,
            date=timezone.localdate() - datetime.timedelta(days=number),
            intro=f"<p>{text}</p>",
        )
        add_new_post(blog, post, account, live, partial(_credit_and_cover, learner, live))


def _credit_and_cover(learner: Learner, live: bool, post: BlogPostPage) -> None:
    """The post credited to ``learner``; a post to publish gets its drawn cover before
    its first publication (``portal.demo.cover_before_publishing``)."""
    ProductionCredit.objects.create(learner=learner, page=post)
    if live:
        cover_before_publishing(post)
