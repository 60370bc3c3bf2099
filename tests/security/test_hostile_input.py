"""Hostile input at every public form, query parameter and route of a portal, and at the
Host header: never a 500, nothing shown unescaped, nothing stored when it is refused.

Table-driven: each public entry point is one ``Target`` line in ``TARGETS``. A form added
later (an actor's proposal, a newsletter subscription, a registration to an event) is
tested by adding its line: its path, its method, the fields a visitor controls and the
valid data those hostile values replace.

Requests go through the real middleware (tenant routing, CSRF off as in Django's test
client) to the real views and a real PostgreSQL. After each refused submission every
table of the portal's content has the row count it had before.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import quote, quote_from_bytes

import psycopg
import pytest
from axes.utils import reset as axes_reset
from django.apps import apps
from django.core import mail
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils.html import escape
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from classifieds import lifecycle
from classifieds.factories import ClassifiedFactory
from classifieds.forms import POSTS_PER_IP, ReportForm
from classifieds.models import Classified
from consultations import lifecycle as consultation_lifecycle
from consultations.factories import ConsultationPageFactory
from consultations.models import ConsultationPage
from core import rate_limits
from core.abuse import STARTED_FIELD, TOO_MANY
from newsletter.forms import SubscribeForm
from portal.actors.forms import ActorProposalForm
from portal.factories import ArticlePageFactory, EventPageFactory, WorkshopPageFactory
from portal.models import Actor, ProjectSeed
from portal.workshops.forms import JoinSeedForm
from portal.workshops.tokens import group_token
from registrations.forms import RegistrationForm
from tenants.accounts import NetworkAccount
from tenants.factories import PortalAccountFactory
from tenants.group_names import ANIMATORS
from tenants.second_factor import SecondFactorDevice, SecondFactorFailure, new_key
from tests.classifieds.conftest import ad_form, contact_form, form_opened_a_minute_ago
from tests.conftest import PASSWORD, host
from tests.consultations.conftest import HOSTILE_SLUG, hostile_answer_base
from tests.proposals.conftest import event_form, subject_form
from tests.reactions.conftest import reaction_form

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    # Modest for `make test`; QUARTIERS_HYPOTHESIS_EXAMPLES=500 for a longer hunt.
    max_examples=int(os.environ.get("QUARTIERS_HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    # The portal and its ad are made once per test, not per example: on purpose, each
    # example checks row counts before and after itself.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# What an attacker sends. Each carries the marker "q8x", so that an unescaped copy in a
# page can be told from the page's own markup.
PAYLOADS = [
    "<script>q8x()</script>",
    '"><img src=x onerror=q8x()>',
    "'><svg/onload=q8x()>",
    "javascript:q8x()",
    "</textarea><script>q8x()</script>",
    "{{ q8x }}{% debug %}",
    "' OR 1=1 --",
    "'; DROP TABLE classifieds_classified; -- q8x",
    "\x00q8x\x00",
    "q8x\r\nSet-Cookie: pris=1",
    "../../../../etc/passwd",
    "%00%2e%2e%2fq8x",
    "\u202eexe.q8x\u202c",
    "Z̷̢͓̈a̵l̶g̸o̵ 🚲 عربي q8x",
    "${jndi:ldap://q8x}",
    "@" * 300,
]
# An unescaped copy of any of these in a response is a cross-site scripting hole.
UNESCAPED = ["<script>q8x", "<img src=x onerror=q8x", "<svg/onload=q8x", 'href="javascript:q8x']

numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
).map(str)
malformed_dates = st.sampled_from(
    ["2024-02-30", "0000-00-00", "9999-99-99", "2024-13", "1e309", "NaN", "-1", "2024-W99"]
)
hostile_text = st.one_of(
    st.text(max_size=200),
    st.sampled_from(PAYLOADS),
    st.tuples(st.sampled_from(PAYLOADS), st.text(max_size=40)).map("".join),
    st.integers(min_value=1_000, max_value=20_000).map(lambda n: "é" * n),
    numbers,
    malformed_dates,
)
# Raw query-string bytes: not even UTF-8.
hostile_bytes = st.one_of(hostile_text.map(lambda text: text.encode()), st.binary(max_size=60))


# The sign-in forms: django-axes counts their refused passwords.
SIGN_IN_PATHS = ("/admin/login/", "/reseau/espace/connexion/")


@dataclass(frozen=True)
class Target:
    """One public entry point and the inputs a visitor controls there."""

    name: str
    method: str
    path: str  # ``{ad}`` is replaced by the published ad's id
    fields: tuple[str, ...] = ()
    # Valid data the hostile values replace (POST only), built for the portal.
    base: Callable[..., dict] | None = None
    files: tuple[str, ...] = ()
    portal: str = "alpha"
    # Strategies for parts of the path (``{year}``...), else ``hostile_text``.
    path_parts: dict[str, st.SearchStrategy] = field(default_factory=dict)
    # Brings the client to the page first (the code pages: a right password waiting).
    prepare: Callable[[Client, dict], None] | None = None

    @property
    def signs_in(self) -> bool:
        """Whether a password is checked on the way (here or in ``prepare``): django-axes
        counts the failures."""
        return self.prepare is not None or self.path.startswith(SIGN_IN_PATHS)

    @property
    def reports_the_ad(self) -> bool:
        """Whether an example may change the published ad (a report sends it back to
        moderation): the others leave it as it is."""
        return "{ad}" in self.path


def password_waiting(kind: str) -> Callable[[Client, dict], None]:
    """A right password of an animator of alpha waiting for its code: at alpha's admin
    (``kind`` "code": they have an app; "enrol": they have none), or at the space."""

    def prepare(client: Client, portals: dict) -> None:
        email = f"hostile-{kind}@example.org"
        account = NetworkAccount.objects.filter(email=email).first()
        if account is None:
            # Once a test: the examples share its transaction, and the account made for
            # the first one is still there for the others.
            with schema_context(portals["alpha"].schema_name):
                PortalAccountFactory(username=email, roles=[ANIMATORS])
            account = NetworkAccount.objects.get(email=email)
        # Wrong codes of earlier examples would lock the step: start each one afresh.
        SecondFactorFailure.objects.filter(account=account).delete()
        if kind == "enrol":
            SecondFactorDevice.objects.filter(account=account).delete()
        else:
            SecondFactorDevice.objects.get_or_create(account=account, defaults={"key": new_key()})
        if kind == "space":
            client.post("/reseau/espace/connexion/", {"email": email, "password": PASSWORD})
        else:
            client.post("/admin/login/", {"username": email, "password": PASSWORD})

    return prepare


TARGETS = [
    Target("search", "GET", "/recherche/", ("q", "page")),
    # The fediverse's addresses (fediverse/): what any remote server may send.
    Target("fediverse webfinger", "GET", "/.well-known/webfinger", ("resource", "rel")),
    Target("fediverse outbox", "GET", "/ap/outbox", ("page",)),
    Target("fediverse nodeinfo", "GET", "/nodeinfo/2.1"),
    Target(
        "fediverse object",
        "GET",
        "/ap/articles/{object}",
        path_parts={"object": st.integers(min_value=-1, max_value=10**30).map(str)},
    ),
    Target(
        "fediverse inbox",
        "POST",
        "/ap/inbox",
        ("type", "actor", "object"),
        base=lambda portal: {"type": "Follow", "actor": "https://masto.example/users/a"},
    ),
    Target("search (English)", "GET", "/en/recherche/", ("q", "page")),
    Target("news filters", "GET", "/actualites/", ("categorie", "tag", "page")),
    Target("news feed", "GET", "/actualites/rss/", ("categorie", "tag")),
    Target("agenda", "GET", "/agenda/", ("page", "mois", "categorie")),
    Target("past events", "GET", "/agenda/passes/", ("page",)),
    Target(
        "agenda month",
        "GET",
        "/agenda/mois/{year}-{month}/",
        ("page",),
        path_parts={
            "year": st.from_regex(r"\A\d{4}\Z"),
            "month": st.from_regex(r"\A\d{2}\Z"),
        },
    ),
    Target("agenda iCal", "GET", "/agenda/ical/", ("page", "categorie")),
    Target("agenda feed", "GET", "/agenda/rss/", ("page",)),
    Target("blogs", "GET", "/blogs/", ("page", "tag")),
    Target("methodology", "GET", "/methodologie/", ("page", "module")),
    Target("radio", "GET", "/radio-tv/", ("page", "jour")),
    Target("classifieds filters", "GET", "/petites-annonces/", ("kind", "category", "q", "page")),
    Target("classifieds feed", "GET", "/petites-annonces/rss/", ("kind", "category", "q")),
    Target(
        "classified by id",
        "GET",
        "/petites-annonces/annonce/{number}/",
        path_parts={"number": st.integers(min_value=0, max_value=10**30).map(str)},
    ),
    Target(
        "confirmation link",
        "GET",
        "/petites-annonces/confirmer/{token}/",
        path_parts={"token": st.from_regex(r"\A[A-Za-z0-9_-]{1,300}\Z")},
    ),
    Target(
        "management link",
        "GET",
        "/petites-annonces/gerer/{token}/",
        path_parts={"token": st.from_regex(r"\A[A-Za-z0-9_-]{1,300}\Z")},
    ),
    Target("any page path", "GET", "/actualites/{slug}/", path_parts={"slug": hostile_text}),
    Target(
        "classified post form",
        "POST",
        "/petites-annonces/deposer/",
        (
            "kind",
            "category",
            "title",
            "text",
            "price_kind",
            "price",
            "area",
            "contact_preference",
            "phone",
            "author_name",
            "author_email",
            "consent",
            "site_web",
            "formulaire_ouvert",
        ),
        base=ad_form,
        files=("photos",),
    ),
    Target(
        "contact relay",
        "POST",
        "/petites-annonces/annonce/{ad}/contacter/",
        ("sender_name", "sender_email", "message", "site_web", "formulaire_ouvert"),
        base=lambda portal: contact_form(portal),
    ),
    Target(
        "report an ad",
        "POST",
        "/petites-annonces/annonce/{ad}/signaler/",
        ("reason", "site_web", "formulaire_ouvert"),
        base=lambda portal: {
            "reason": "Annonce en double",
            "site_web": "",
            "formulaire_ouvert": form_opened_a_minute_ago(ReportForm, portal),
        },
    ),
    Target("actors directory", "GET", "/acteurs/", ("type", "theme", "q", "page")),
    Target("actors map data", "GET", "/acteurs/geojson/", ("type", "theme", "q")),
    Target(
        "actor proposal",
        "POST",
        "/acteurs/proposer/",
        (
            "name",
            "kind",
            "themes",
            "description",
            "address",
            "opening_hours",
            "website",
            "public_phone",
            "message",
            "proposer_name",
            "proposer_email",
            "site_web",
            "formulaire_ouvert",
        ),
        base=lambda portal: {
            "name": "Repair café des Rives",
            "kind": "association",
            "proposer_name": "Awa",
            "proposer_email": "awa@example.org",
            "site_web": "",
            "formulaire_ouvert": form_opened_a_minute_ago(ActorProposalForm, portal),
        },
    ),
    Target(
        "actor correction",
        "POST",
        "/acteurs/acteur/{actor}/corriger/",
        (
            "name",
            "kind",
            "description",
            "message",
            "proposer_name",
            "proposer_email",
            "site_web",
            "formulaire_ouvert",
        ),
        base=lambda portal: {
            "name": "Médiathèque des Lilas",
            "kind": "culture",
            "message": "Ouverte aussi le dimanche matin.",
            "proposer_name": "Awa",
            "proposer_email": "awa@example.org",
            "site_web": "",
            "formulaire_ouvert": form_opened_a_minute_ago(ActorProposalForm, portal),
        },
    ),
    Target("project seeds", "GET", "/graines-de-projet/", ("etat", "page")),
    Target(
        "join a project seed",
        "POST",
        "/graines-de-projet/graine/{seed}/rejoindre/",
        ("name", "email", "message", "consent", "site_web", "formulaire_ouvert"),
        base=lambda portal: {
            "name": "Karim",
            "email": "karim@example.org",
            "message": "Je peux aider le samedi.",
            "consent": "on",
            "site_web": "",
            "formulaire_ouvert": form_opened_a_minute_ago(JoinSeedForm, portal),
        },
    ),
    Target(
        "action group page",
        "POST",
        "/graines-de-projet/groupe/{group}/",
        ("action", "subject", "message", "text", "status", "next_steps"),
        base=lambda portal: {"action": "update", "text": "Le local est trouvé."},
    ),
    Target(
        "thematic address book",
        "GET",
        "/graines-de-projet/carnet/{book}/",
        ("page",),
        path_parts={"book": st.from_regex(r"\A[A-Za-z0-9_-]{1,300}\Z")},
    ),
    Target(
        "newsletter subscription",
        "POST",
        "/abonnement/",
        ("email", "topics", "source", "site_web", "formulaire_ouvert"),
        base=lambda portal: {
            "email": "lecteur@example.org",
            "source": "page",
            "site_web": "",
            "formulaire_ouvert": form_opened_a_minute_ago(SubscribeForm, portal),
        },
    ),
    Target(
        "newsletter links",
        "GET",
        "/abonnement/gerer/{token}/",
        path_parts={"token": hostile_text},
    ),
    Target(
        "event registration",
        "POST",
        "/agenda/{event}/inscription/",
        ("name", "email", "people", "accessibility_needs", "site_web", "formulaire_ouvert"),
        base=lambda portal: {
            "name": "Fatou",
            "email": "fatou@example.org",
            "people": "2",
            "accessibility_needs": "",
            "site_web": "",
            "formulaire_ouvert": form_opened_a_minute_ago(RegistrationForm, portal),
        },
    ),
    Target(
        "consultation answer",
        "POST",
        "/consultations/{consultation}/",
        (
            "votre_quartier",
            "vos_envies",
            "note",
            "votre_idee",
            "votre_e_mail_facultatif",
            "site_web",
            "formulaire_ouvert",
        ),
        base=hostile_answer_base,
    ),
    Target(
        "consultation confirmation link",
        "GET",
        "/consultations/{consultation}/confirmer/{token}/",
        path_parts={"token": st.from_regex(r"\A[A-Za-z0-9_-]{1,300}\Z")},
    ),
    Target(
        "federation hub filters",
        "GET",
        "/ressources/",
        ("module", "quartier", "langue", "tag", "q", "page"),
        portal="federation",
    ),
    Target("federation hub feed", "GET", "/ressources/rss/", ("q", "tag"), portal="federation"),
    Target(
        "reaction",
        "POST",
        "{article}reactions/",
        ("name", "email", "text", "site_web", STARTED_FIELD),
        base=lambda portal: reaction_form(portal),
    ),
    Target(
        "subject proposal",
        "POST",
        "/participer/sujet/",
        (
            "kind",
            "title",
            "text",
            "name",
            "email",
            "credit_consent",
            "consent",
            "credit_1",
            "site_web",
            "formulaire_ouvert",
        ),
        base=lambda portal: subject_form(portal),
        files=("photo_1",),
    ),
    Target(
        "event proposal",
        "POST",
        "/participer/evenement/",
        ("title", "start", "end", "place", "organiser", "text", "name", "email", "consent"),
        base=lambda portal: event_form(portal),
    ),
    Target(
        "animators' space sign-in",
        "POST",
        "/reseau/espace/connexion/",
        ("email", "password", "suivant"),
        base=lambda portal: {"email": "nadia@example.org", "password": "x", "suivant": "/"},
        portal="federation",
    ),
    Target(
        "animators' space sign-in page",
        "GET",
        "/reseau/espace/connexion/",
        ("suivant",),
        portal="federation",
    ),
    Target(
        "second factor code",
        "POST",
        "/admin/login/code/",
        ("code",),
        base=lambda portal: {"code": "123456"},
        prepare=password_waiting("code"),
    ),
    Target(
        "second factor enrolment",
        "POST",
        "/admin/login/code/activer/",
        ("code",),
        base=lambda portal: {"code": "123456"},
        prepare=password_waiting("enrol"),
    ),
    Target(
        "animators' space code",
        "POST",
        "/reseau/espace/connexion/code/",
        ("code",),
        base=lambda portal: {"code": "123456"},
        portal="federation",
        prepare=password_waiting("space"),
    ),
]

# Tables a refused submission must leave as they were (their many-to-many tables too).
# Not the records a refusal itself makes (sessions, django-axes' failed sign-ins) nor
# what showing a page may make (renditions, the audience's counts).
CONTENT_APPS = [
    "fediverse",
    "classifieds",
    "portal",
    "radio",
    "home",
    "newsletter",
    "registrations",
    "consultations",
    "proposals",
    "reactions",
    "carriers",
    "frontdoor",
    "network_space",
    "taggit",
    "wagtailcore",
    "wagtaildocs",
    "wagtailforms",
]


@functools.cache
def _content_tables() -> tuple[str, ...]:
    return tuple(
        model._meta.db_table
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy
    )


def _count_rows_sql(schema: str) -> str:
    quote = connection.ops.quote_name
    # Table names come from the models, quoted: nothing a visitor typed.
    counts = ", ".join(
        f"(SELECT count(*) FROM {quote(schema)}.{quote(table)})"  # noqa: S608
        for table in _content_tables()
    )
    return f"SELECT {counts}"


# The counting query of each schema, built once. Planning its 126 counts took 14 ms of
# the 17 a count cost, twice an example (a quarter of an example's time): it is sent as a
# prepared statement, which psycopg prepares once a database session (and prepares
# again should the session's statements have been deallocated meanwhile).
_count_sql: dict[str, str] = {}


def row_counts(schema: str) -> tuple[int, ...]:
    """Rows of every content table of the portal, in one round trip."""
    sql = _count_sql.get(schema) or _count_sql.setdefault(schema, _count_rows_sql(schema))
    with connection.cursor(), psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, prepare=True)
        return cursor.fetchone()


def forget_rate_limits(*portals: object) -> None:
    """Forget every rate-limit hit counted at ``portals``, whatever the limit and its key
    (``core.rate_limits`` files them under the portal's schema), so that an example is
    the first of its sender. Should the counters ever move where this does not reach,
    ``test_forgetting_the_rate_limits_lets_a_refused_sender_post_again`` fails."""
    # One statement for every portal: this runs before each of some 2,000 examples.
    rate_limits.forget_portals([portal.schema_name for portal in portals])


def forget_sign_in_failures(portal: object) -> None:
    """Forget django-axes' failed sign-ins at ``portal`` (its records live in the portal's
    schema): after five refused passwords for one e-mail from one address, later examples
    met the lockout page instead of the form (one in nine at the animators' space)."""
    with schema_context(portal.schema_name):
        axes_reset()


def assert_escaped(text: str) -> None:
    for marker in UNESCAPED:
        assert marker not in text, f"unescaped {marker!r} in the response"


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


@pytest.fixture(scope="module")
def portals(alpha, federation, django_db_blocker) -> dict[str, object]:
    """The portals, each visited once for the module (committed, as they are): settings
    rows Wagtail makes on first read exist before any example counts rows. No test
    changes what the visit made (each runs in a transaction rolled back at its end)."""
    with django_db_blocker.unblock():
        for portal in (alpha, federation):
            assert Client(HTTP_HOST=host(portal)).get("/").status_code == 200
    return {"alpha": alpha, "federation": federation}


@pytest.fixture(scope="module")
def places_to_take(alpha, django_db_blocker) -> dict[str, object]:
    """An event taking registrations, a project seed to join, an actor to correct and an
    article taking reactions."""
    with django_db_blocker.unblock(), schema_context(alpha.schema_name):
        event = EventPageFactory(slug="table-ronde", registrations_open=True, places=500)
        workshop = WorkshopPageFactory(
            seeds=[ProjectSeed(title="Jardin partagé", contact_email="jardin@example.org")]
        )
        actor = Actor.objects.create(name="Médiathèque des Lilas", kind=Actor.Kind.CULTURE)
        consultation = ConsultationPageFactory(
            slug=HOSTILE_SLUG,
            answer_mode=ConsultationPage.AnswerMode.ANONYMOUS,
            results_published=True,
        )
        seed = workshop.seeds.get()
        article = ArticlePageFactory(title="La fête des voisins")
        return {
            "article": article.url,
            "event": event.slug,
            "seed": seed.pk,
            "group": group_token(seed.pk, seed.contact_email),
            "actor": actor.pk,
            "consultation": consultation.slug,
        }


@pytest.fixture
def relay_ad(alpha) -> Classified:
    with schema_context(alpha.schema_name):
        return ClassifiedFactory(contact_preference=Classified.Contact.RELAY)


def hostile_upload(filename: str, content: bytes) -> SimpleUploadedFile:
    """A file with the name a hostile client sends (the test client needs a base name)."""
    try:
        return SimpleUploadedFile(filename, content)
    except SuspiciousFileOperation:  # "/", "..": a browser would send its own base name
        return SimpleUploadedFile("photo.jpg", content)


def build_query(values: dict[str, bytes]) -> str:
    return "&".join(f"{quote(name)}={quote_from_bytes(value)}" for name, value in values.items())


@pytest.fixture
def browsers(portals) -> dict[str, Client]:
    """One test client a portal for the test: its middleware is loaded once, not once an
    example; ``new_visitor`` makes it a browser that has never been there."""
    return {name: Client(HTTP_HOST=host(portal)) for name, portal in portals.items()}


def new_visitor(browser: Client) -> Client:
    """``browser`` without the cookies of earlier examples (session, CSRF, language): what
    a new ``Client`` would be, without loading the middleware again."""
    browser.cookies = SimpleCookie()
    return browser


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
@HYPOTHESIS
@given(data=st.data())
def test_hostile_input_never_breaks_a_page_nor_slips_through(
    target: Target, data, portals, browsers, relay_ad, places_to_take
):
    # Everything drawn first, in the order it always was (the same examples): an example
    # Hypothesis abandons mid-draw then costs no request.
    parts = {
        name: data.draw(target.path_parts.get(name, hostile_text), label=name)
        for name in target.path_parts
    }
    if target.method == "GET":
        chosen = (
            data.draw(st.sets(st.sampled_from(target.fields)), label="fields")
            if target.fields
            else set()
        )
        values = {name: data.draw(hostile_bytes, label=name) for name in sorted(chosen)}
    else:
        chosen = data.draw(st.sets(st.sampled_from(target.fields), min_size=1), label="fields")
        hostile = {name: data.draw(hostile_text, label=name) for name in sorted(chosen)}
        uploads = {}
        for name in target.files:
            if data.draw(st.booleans(), label=f"hostile {name}"):
                filename = data.draw(hostile_text, label=f"{name} name")[:200]
                content = data.draw(st.binary(max_size=2_000), label=f"{name} bytes")
                uploads[name] = hostile_upload(filename, content)

    portal = portals[target.portal]
    # Each example as the first of its sender: earlier examples' hits would refuse it.
    forget_rate_limits(*portals.values())
    mail.outbox = []
    path = target.path.format(
        ad=relay_ad.pk, **places_to_take, **{k: quote(v, safe="") for k, v in parts.items()}
    )
    browser = new_visitor(browsers[target.portal])
    if target.signs_in:
        forget_sign_in_failures(portal)
    if target.prepare is not None:
        target.prepare(browser, portals)
        mail.outbox = []
    if target.reports_the_ad:
        with schema_context(portals["alpha"].schema_name):
            # Reports from earlier examples may have sent the ad back to moderation.
            Classified.objects.filter(pk=relay_ad.pk).update(
                status=Classified.Status.PUBLISHED, report_count=0
            )
    before = row_counts(portal.schema_name)

    if target.method == "GET":
        response = browser.get(path, QUERY_STRING=build_query(values))
        accepted = False
    else:
        form = {**target.base(portal), **hostile, **uploads}
        response = browser.post(path, form)
        accepted = response.status_code == 302
        event("accepted" if accepted else f"refused ({response.status_code})")

    assert response.status_code < 500, response.content[:2000]
    body = response.content.decode(errors="replace")
    assert_escaped(body)
    after = row_counts(portal.schema_name)
    if not accepted:
        assert after == before, "a refused input changed the database"
        # Every form that e-mails someone when valid (tests/security/test_form_mail.py).
        assert mail.outbox == [], "a refused input sent an e-mail"
    elif target.name == "classified post form":
        show_accepted_ad(portal, browser)
    elif target.name == "consultation answer":
        show_accepted_answers(portal, browser)
    elif target.name == "contact relay":
        assert len(mail.outbox) == 1
        assert_escaped(str(getattr(mail.outbox[0], "alternatives", "")))


def test_forgetting_the_rate_limits_lets_a_refused_sender_post_again(portals, browsers):
    alpha = portals["alpha"]
    browser = new_visitor(browsers["alpha"])
    path = "/petites-annonces/deposer/"
    for _ in range(POSTS_PER_IP.limit):
        assert browser.post(path, ad_form(alpha)).status_code == 302
    refused = browser.post(path, ad_form(alpha))
    assert refused.status_code == 400
    assert escape(str(TOO_MANY)) in refused.content.decode()

    forget_rate_limits(alpha)

    assert browser.post(path, ad_form(alpha)).status_code == 302


def show_accepted_ad(portal, browser: Client) -> None:
    """A hostile ad that was accepted is published, then shown escaped everywhere."""
    with schema_context(portal.schema_name):
        classified = Classified.objects.order_by("-pk").first()
        lifecycle.confirm(classified)
        lifecycle.approve(classified, None)
    for path in (
        f"/petites-annonces/annonce/{classified.pk}/",
        "/petites-annonces/",
        "/petites-annonces/rss/",
        "/",
    ):
        response = browser.get(path)
        assert response.status_code == 200
        assert_escaped(response.content.decode())


def show_accepted_answers(portal, browser: Client) -> None:
    """Hostile answers that were accepted, free text chosen for the results, are shown
    escaped on the results page."""
    with schema_context(portal.schema_name):
        page = ConsultationPage.objects.get(slug=HOSTILE_SLUG)
        answers = page.get_submissions().values_list("pk", flat=True)
        consultation_lifecycle.choose_free_answers(page, [(pk, "votre_idee") for pk in answers])
    response = browser.get(f"/consultations/{HOSTILE_SLUG}/resultats/")
    assert response.status_code == 200
    assert_escaped(response.content.decode())


@HYPOTHESIS
@given(hostname=st.one_of(hostile_text, st.from_regex(r"\A[a-z0-9.-]{1,300}(:\d{1,6})?\Z")))
def test_hostile_host_headers_get_the_networks_own_answer(hostname: str, alpha):
    # Straight into the WSGI environ, as a proxy would pass it on.
    response = Client(HTTP_HOST=hostname.encode("utf-8", "surrogatepass").decode("latin-1")).get(
        "/"
    )

    assert response.status_code in (200, 301, 302, 400, 404)
    assert_escaped(response.content.decode(errors="replace"))
    assert "Portail Alpha" not in response.content.decode(errors="replace") or (
        hostname.split(":")[0].lower().removeprefix("www.") == host(alpha)
    )


HEADERS = [
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_COOKIE",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_RANGE",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_REFERER",
]


@HYPOTHESIS
@given(
    headers=st.dictionaries(st.sampled_from(HEADERS), hostile_text, min_size=1),
    cookie_name=st.sampled_from(["quartiers_session", "quartiers_csrf", "django_language"]),
    path=st.sampled_from(["/", "/petites-annonces/", "/admin/", "/agenda/ical/"]),
)
def test_hostile_headers_never_break_a_page(headers, cookie_name, path, alpha):
    if "HTTP_COOKIE" in headers:
        headers["HTTP_COOKIE"] = f"{cookie_name}={headers['HTTP_COOKIE']}"
    # WSGI carries headers as latin-1 strings.
    environ = {k: v.encode("utf-8", "surrogatepass").decode("latin-1") for k, v in headers.items()}

    response = Client(HTTP_HOST=host(alpha)).get(path, **environ)

    assert response.status_code in (200, 206, 302, 304, 400, 404, 416)
    assert_escaped(response.content.decode(errors="replace"))
