"""Demo content of a portal's sections: news, events of each kind, blogs, a journal issue.

Idempotent: each item is created only when its slug is missing.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Collection, Page

from core.demo_images import cover_pages, demo_cover, give_cover
from core.demo_pages import add_new_post, publish_new_child
from core.identity import portal_identity
from portal.blogs.contributors import blog_group, open_blog
from portal.models import (
    Actor,
    ArticleCategory,
    ArticleIndexPage,
    ArticlePage,
    BlogIndexPage,
    BlogPage,
    BlogPostPage,
    EventIndexPage,
    EventPage,
    JournalIssueItem,
    JournalIssuePage,
    MethodologyIndexPage,
    MethodologyPage,
)
from tenants.default_portal import CONTRIBUTORS

if TYPE_CHECKING:
    from tenants.models import Neighbourhood

CATEGORIES = [
    ("Vie du quartier", "vie-du-quartier"),
    ("Jeunesse", "jeunesse"),
    ("Culture", "culture"),
]

ARTICLES = [
    (
        "La conférence de rédaction ouvre ses portes",
        "conference-de-redaction",
        "vie-du-quartier",
        ["rédaction", "participation"],
        "Chaque mardi à 18 h, habitants et animateurs choisissent ensemble les sujets.",
        "Pas besoin d'expérience : venez avec une idée, une question ou une photo. "
        "L'équipe d'animation accompagne chaque reportage jusqu'à sa publication.",
    ),
    (
        "Retour sur la table ronde « Paroles de territoires »",
        "table-ronde-paroles-de-territoires",
        "vie-du-quartier",
        ["table ronde", "participation"],
        "Associations, bailleur et habitants ont fait l'état des lieux du quartier.",
        "Mobilité, commerces de proximité, lieux pour les jeunes : trois groupes de travail "
        "sont nés de la soirée. Le compte rendu complet est dans le journal participatif.",
    ),
    (
        "Les collégiens lancent leur émission de radio",
        "collegiens-emission-radio",
        "jeunesse",
        ["radio", "jeunesse"],
        "Huit élèves de 4e enregistrent chaque mois une émission sur la vie du quartier.",
        "Accompagnés par l'animatrice du média et leur professeure de français, ils "
        "apprennent à interviewer, monter et présenter. Première diffusion vendredi.",
    ),
    (
        "Fresque participative sur le mur du gymnase",
        "fresque-participative",
        "culture",
        ["culture", "jeunesse"],
        "Pendant les vacances, 40 habitants ont peint la fresque dessinée ensemble.",
        "Le projet, proposé lors d'un atelier participatif, a réuni les générations "
        "autour d'une artiste du quartier.",
    ),
]

# The federation's own news: the network's life, not a neighbourhood's.
FEDERATION_ARTICLES = [
    (
        "Deux nouveaux quartiers rejoignent le réseau",
        "deux-nouveaux-quartiers",
        "vie-du-quartier",
        ["réseau", "essaimage"],
        "Après un an de préfiguration, deux centres sociaux ouvrent leur média citoyen.",
        "Leurs animatrices ont passé une semaine en immersion à Belleville et à Franc-Moisin "
        "avant de lancer leur première conférence de rédaction.",
    ),
    (
        "Les animateurs des neuf quartiers réunis à Saint-Denis",
        "rencontre-des-animateurs",
        "vie-du-quartier",
        ["réseau", "formation"],
        "Deux journées pour partager ce qui marche : radio, cartographie, ateliers.",
        "Chaque quartier a présenté une réussite et une difficulté ; trois fiches "
        "méthodologiques nouvelles en sont sorties, à retrouver dans la boîte à outils.",
    ),
    (
        "Éducation aux médias : un cycle commun pour les collèges",
        "cycle-education-aux-medias",
        "jeunesse",
        ["éducation aux médias", "jeunesse"],
        "Dix séances testées dans trois quartiers, reprises par tout le réseau.",
        "Reconnaître une fausse information, interviewer, écrire un article : les "
        "productions des élèves sont publiées dans les médias de leur quartier.",
    ),
]

EVENTS = [
    ("Table ronde « Paroles de territoires » : se déplacer dans le quartier", "round_table", 5, 18),
    ("Formation : reconnaître une fausse information", "media_literacy", 9, 14),
    ("Atelier pitch : présenter son projet en 3 minutes", "pitch", 12, 10),
    ("Petit-déjeuner réseau des acteurs du quartier", "breakfast", 16, 9),
    ("Atelier participatif : cartographier nos ressources", "workshop", 20, 14),
    ("Projection-débat au centre social", "other", 26, 19),
    ("Table ronde de rentrée", "round_table", -20, 18),
]

BLOGS = [
    (
        "Le carnet de Mireille",
        "Mireille, habitante depuis 40 ans",
        [
            ("Le marché du samedi a changé", True),
            ("Mes souvenirs de la cité en 1985", True),
            ("Ce que je voudrais pour le square", False),  # waits for the animator
        ],
    ),
    (
        "Les reporters du collège",
        "L'atelier média du collège",
        [("Notre visite à la rédaction d'un journal", True)],
    ),
]


# Each demo neighbourhood's own reportage, shared with the network: the federation's front
# page credits it to its portal (a story the others can read, not the same title nine times).
SHARED_STORIES = {
    "belleville": (
        "Les escaliers de la rue Vilin racontés par ceux qui les montent",
        "Six habitants ont enregistré leurs souvenirs du quartier, marche après marche.",
    ),
    "lachapelle": (
        "Sous le métro aérien, une cantine solidaire tenue par les voisins",
        "Chaque jeudi, soixante repas cuisinés par l'amicale des locataires et ses bénévoles.",
    ),
    "francmoisin": (
        "Les jeunes du Franc-Moisin filment leur cité pour la webTV",
        "Un court documentaire tourné en trois week-ends, projeté devant 120 habitants.",
    ),
    "picasso": (
        "Tours Aillaud : les habitants dessinent l'avenir du parc",
        "Atelier de cartographie coopérative : vingt propositions remises à la mairie.",
    ),
    "grandeborne": (
        "À la Grande Borne, le marché du dimanche reprend des couleurs",
        "Commerçants et habitants se sont réunis en table ronde pour le faire revivre.",
    ),
    "valfourre": (
        "Val Fourré : la bibliothèque de rue fête ses deux ans",
        "Des livres en cinq langues, prêtés au pied des immeubles par des parents lecteurs.",
    ),
    "bosquets": (
        "Les Bosquets en podcast : paroles de mères du quartier",
        "Une série de quatre épisodes enregistrée à l'atelier radio du centre social.",
    ),
    "courtillieres": (
        "Le Serpentin des Courtillières rénové, ses habitants témoignent",
        "Ce qui a changé, ce qui manque encore : reportage dans la longue barre de Pantin.",
    ),
    "valdargent": (
        "Au Val d'Argent, un atelier d'éducation aux médias pour les collégiens",
        "Reconnaître une fausse information, écrire un article : dix séances au collège.",
    ),
}


def _shared_story(portal: Neighbourhood, news: ArticleIndexPage, categories) -> None:
    """The neighbourhood's own reportage, shared with the network, once."""
    story = SHARED_STORIES.get(portal.schema_name)
    if portal.kind != "neighbourhood" or story is None:
        return
    title, intro = story
    if news.get_children().filter(slug="reportage-du-reseau").exists():
        return
    article = ArticlePage(
        title=title,
        slug="reportage-du-reseau",
        date=timezone.localdate() - datetime.timedelta(days=2),
        intro=f"<p>{intro}</p>",
        body=[("paragraph", f"<p>{intro} Un reportage de la rédaction citoyenne.</p>")],
        authors="La rédaction citoyenne",
        shared_with_network=True,
    )
    article.categories = [categories["vie-du-quartier"]]
    _publish_under(news, article)


def seed_portal(portal: Neighbourhood) -> None:
    """News, events of each category, two residents' blogs and a journal issue."""
    news = ArticleIndexPage.objects.filter(locale__language_code="fr").first()
    agenda = EventIndexPage.objects.filter(locale__language_code="fr").first()
    if news is None or agenda is None:
        return
    categories = _categories()
    actors = _actors(portal)
    # A pilot of the demo network shares its own reportage rather than the common one.
    articles = _articles(
        news,
        categories,
        share=portal.schema_name not in SHARED_STORIES,
        items=FEDERATION_ARTICLES if portal.kind == "federation" else ARTICLES,
        first_actors=actors[:2],
    )
    _shared_story(portal, news, categories)
    # A first article published by an older seed without its actors gets them now.
    _link_actors(articles[:1], actors[:2])
    _events(agenda, portal)
    posts = _blogs(portal)
    _journal(news, [*articles[:2], *posts[:1]])
    _sheets(portal)


def _categories() -> dict[str, ArticleCategory]:
    return {
        slug: ArticleCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in CATEGORIES
    }


def _publish_under(parent: Page, page: Page) -> Page:
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing:
        return existing.specific
    return publish_new_child(parent, page, before_publishing=cover_before_publishing)


def cover_before_publishing(page: Page) -> None:
    """The drawn cover ``_covers`` would give a live page of its type, put on before its
    first publication instead of by a second one (each publication of a page took about
    a quarter of a second of a portal's seeding): for the demo steps that publish
    articles, events or posts (``publish_new_child``'s ``before_publishing``)."""
    alt = COVER_ALTS.get(type(page))
    if alt and not page.cover_id:
        give_cover(page, alt)


def _articles(
    news: ArticleIndexPage,
    categories,
    share: bool = True,
    items: list | None = None,
    first_actors: list[Actor] | None = None,
) -> list[ArticlePage]:
    today = timezone.localdate()
    articles = []
    for number, (title, slug, category, tags, intro, text) in enumerate(items or ARTICLES):
        existing = news.get_children().filter(slug=slug).first()
        if existing:
            articles.append(existing.specific)
            continue
        article = ArticlePage(
            title=title,
            slug=slug,
            date=today - datetime.timedelta(days=6 * number),
            intro=f"<p>{intro}</p>",
            body=[("paragraph", f"<p>{text}</p>")],
            authors="L'équipe d'animation et les habitants",
            shared_with_network=share and number == 1,
        )
        article.categories = [categories[category]]
        article.tags.add(*tags)
        if number == 0 and first_actors:
            # In its first revision, not added by a second publication (``_link_actors``).
            article.actors.set(first_actors)
        articles.append(_publish_under(news, article))
    return articles


# The alternative text of each type's drawn cover.
COVER_ALTS: dict[type[Page], str] = {
    ArticlePage: "Illustration : des immeubles du quartier sous le ciel",
    EventPage: "Illustration : la rue du quartier un jour de rencontre",
    BlogPostPage: "Illustration : le quartier vu par ses habitants",
}


def _covers() -> None:
    """A picture drawn in the portal's colour, with its alternative text, for each live
    demo article, event and post that has none (the pages other steps published), so that
    the home page and the listings look like a media's (``core.demo_images``). Drafts (a
    proposal turned into an article) stay drafts, without one."""
    for model, alt in COVER_ALTS.items():
        cover_pages(model.objects.live().filter(cover__isnull=True), alt)


def draw_demo_pictures() -> None:
    """The demo's pictures, once every step has added its pages: a cover for each live
    article, event and post, a logo for each actor (the map's included)."""
    _covers()
    draw_actor_logos()


def draw_actor_logos() -> None:
    """A square drawn in the portal's colours for each actor without a logo. Shown beside
    the actor's name, which says who it is, with an empty alternative text; the image's
    title names the actor for the media library."""
    accent = portal_identity().accent_colour
    root = Collection.get_first_root_node()
    for actor in Actor.objects.filter(logo__isnull=True):
        actor.logo = demo_cover(
            accent, f"acteur-{actor.pk}", f"Logo : {actor.name}", (320, 320), root
        )
        actor.save(update_fields=["logo"])


def _events(agenda: EventIndexPage, portal: Neighbourhood) -> None:
    now = timezone.localtime()
    # Two upcoming events of each portal are shared with the network, not the same two
    # everywhere: the federation's agenda then shows every kind of event.
    upcoming = sum(1 for *_, in_days, _hour in EVENTS if in_days >= 0)
    first = sum(map(ord, portal.schema_name)) % upcoming
    shared = {first, (first + 2) % upcoming}
    for number, (title, category, in_days, hour) in enumerate(EVENTS):
        start = (now + datetime.timedelta(days=in_days)).replace(
            hour=hour, minute=0, second=0, microsecond=0
        )
        event = EventPage(
            title=title,
            slug=f"{category.replace('_', '-')}-{'passe' if in_days < 0 else 'a-venir'}",
            start=start,
            end=start + datetime.timedelta(hours=2),
            category=category,
            intro="<p>Ouvert à toutes et à tous, entrée libre.</p>",
            place_name="Centre social",
            address="12 rue des Lilas",
            audience="Tout public",
            organiser="L'équipe du média citoyen",
            shared_with_network=in_days >= 0 and number in shared,
        )
        _publish_under(agenda, event)


def _blogs(portal: Neighbourhood) -> list[BlogPostPage]:
    if not BlogIndexPage.objects.exists():  # the federation has no residents' blogs
        return []
    users = get_user_model().objects
    published = []
    for number, (title, writers, posts) in enumerate(BLOGS, start=1):
        blog = BlogPage.objects.filter(title=title).first() or open_blog(title, writers)
        email = f"blog{number}@{portal.schema_name}.quartiers.example"
        writer = users.filter(username=email).first()
        if writer is None:
            writer = users.create_user(username=email, email=email, first_name=writers)
            writer.set_unusable_password()
            writer.save()
            writer.groups.add(*_contributor_groups(blog))
        for post_number, (post_title, live) in enumerate(posts):
            slug = f"billet-{post_number + 1}"
            existing = blog.get_children().filter(slug=slug).first()
            if existing:
                if existing.live:
                    published.append(existing.specific)
                continue
            post = BlogPostPage(
                title=post_title,
                slug=slug,
                owner=writer,
                date=timezone.localdate() - datetime.timedelta(days=3 * post_number),
                intro="<p>Un billet écrit par un habitant du quartier.</p>",
                body=[("paragraph", "<p>Le quartier vu de ma fenêtre, et de mon cœur.</p>")],
            )
            add_new_post(blog, post, writer, live, cover_before_publishing if live else None)
            if live:
                published.append(post)
    return published


def _contributor_groups(blog: BlogPage) -> list[Group]:
    return [Group.objects.get(name=CONTRIBUTORS), blog_group(blog)]


def _journal(news: ArticleIndexPage, pages: list[Page]) -> None:
    if JournalIssuePage.objects.exists():
        return
    issue = JournalIssuePage(
        title="Le quartier prend la parole",
        slug="journal-numero-1",
        number=1,
        editorial="<p>Premier numéro papier, écrit par les habitants.</p>",
    )
    issue.items = [JournalIssueItem(page=page) for page in pages]
    _publish_under(news, issue)


SHEETS = {
    "round_table": (
        "Organiser une table ronde « Paroles de territoires »",
        "Réunir habitants, associations et institutions pour faire l'état des lieux du "
        "quartier, en donnant la parole d'abord à celles et ceux qu'on entend peu.",
        [
            ("Accueil et règles du jeu", "10 min", "Bâton de parole"),
            ("État des lieux en petits groupes", "45 min", "World café"),
            ("Restitution et priorités", "30 min", "Vote par gommettes"),
        ],
    ),
    "media_literacy": (
        "Atelier d'éducation aux médias : démêler le vrai du faux",
        "Deux heures pour apprendre à vérifier une information, une image ou une vidéo "
        "avant de la partager.",
        [
            ("Quiz d'ouverture", "15 min", "Vrai ou faux debout-assis"),
            ("Enquête sur une rumeur du quartier", "60 min", "Travail en binômes"),
        ],
    ),
    "pitch": (
        "Atelier pitch : trois minutes pour convaincre",
        "Aider des porteurs de projet du quartier à présenter leur idée clairement devant "
        "des partenaires.",
        [
            ("Écrire son pitch", "30 min", "Canevas en cinq questions"),
            ("Passages filmés et retours", "60 min", "Critique bienveillante"),
        ],
    ),
    "breakfast": (
        "Petit-déjeuner réseau des acteurs locaux",
        "Un rendez-vous mensuel et convivial où les structures du quartier se présentent "
        "et montent des projets ensemble.",
        [
            ("Tour des nouvelles", "20 min", "Une minute chacun"),
            ("Mises en relation", "40 min", "Speed-meeting"),
        ],
    ),
    "mapping": (
        "Cartographie coopérative des ressources du quartier",
        "Repérer avec les habitants les lieux, les personnes et les structures qui font "
        "vivre le quartier, et les rendre visibles sur une carte partagée.",
        [
            ("Balade repérage", "90 min", "Marche exploratoire"),
            ("Mise en carte", "60 min", "Carte papier géante"),
        ],
    ),
    "workshop": (
        "Atelier participatif : des idées aux graines de projet",
        "Transformer les besoins repérés en projets concrets portés par des groupes "
        "d'habitants et d'acteurs.",
        [
            ("Freins et leviers", "40 min", "Arbre à problèmes"),
            ("Graines de projet", "50 min", "Groupes d'action"),
        ],
    ),
}
MODULE_ORDER = list(SHEETS)
SHEET_TAGS = {
    "round_table": "table ronde",
    "media_literacy": "éducation aux médias",
    "pitch": "pitch",
    "breakfast": "petit-déjeuner",
    "mapping": "cartographie",
    "workshop": "atelier",
}


def _sheets(portal: Neighbourhood) -> None:
    """Two or three sheets of different modules, chosen by the portal's place in the network."""
    section = MethodologyIndexPage.objects.filter(locale__language_code="fr").first()
    if section is None or MethodologyPage.objects.exists():
        return
    start = sum(map(ord, portal.schema_name)) % len(MODULE_ORDER)
    count = 3 if portal.kind == "federation" else 2
    for offset in range(count):
        module = MODULE_ORDER[(start + offset) % len(MODULE_ORDER)]
        title, summary, steps = SHEETS[module]
        sheet = MethodologyPage(
            title=title,
            module=module,
            summary=summary,
            objectives=f"<p>{summary}</p>",
            audience="Habitants, associations, partenaires",
            duration="Une demi-journée",
            team="Un animateur ou une animatrice, un partenaire local",
            programme=[
                (
                    "step",
                    {
                        "title": name,
                        "duration": duration,
                        "technique": technique,
                        "description": "",
                    },
                )
                for name, duration, technique in steps
            ],
            what_worked="<p>Commencer par un moment convivial ; inviter personnellement.</p>",
            what_did_not="<p>Les soirs de semaine après 20 h : peu de monde.</p>",
        )
        sheet.tags.add(SHEET_TAGS[module], "participation")
        _publish_under(section, sheet)


ACTORS = [
    ("Centre social", Actor.Kind.ASSOCIATION, "12 rue des Lilas", True),
    ("Boulangerie du marché", Actor.Kind.SHOP, "3 place du Marché", True),
    ("Collège Jean-Jaurès", Actor.Kind.SCHOOL, "45 avenue de la République", True),
    ("La Fabrique, tiers-lieu", Actor.Kind.THIRD_PLACE, "8 impasse des Ateliers", False),
]


def _actors(portal: Neighbourhood) -> list[Actor]:
    actors = []
    for name, kind, address, featured in ACTORS:
        actor, created = Actor.objects.get_or_create(
            name=name, defaults={"kind": kind, "address": address, "featured": featured}
        )
        if created:
            actor.description = f"<p>{name}, acteur du quartier de {portal.city}.</p>"
            actor.save()
        actors.append(actor)
    return actors


def _link_actors(articles: list[ArticlePage], actors: list[Actor]) -> None:
    for article in articles:
        if not article.actors.exists():
            article.actors.set(actors)
            article.save_revision().publish()
