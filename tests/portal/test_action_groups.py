"""Action groups: joining a seed is recorded with consent and counts once the address is
confirmed by a signed link (each relayed message carries a link to leave); the group's
contact runs its group from a signed link (members by name only, a relay to write to
them, news of the project, its status and next steps); news shows on the seed's page, its
RSS feed and the home page's block once an animator approved it (at once for a trusted
group)."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from core.abuse import STARTED_FIELD
from core.latest import source_for
from core.moderation import moderation_sources
from portal.factories import WorkshopPageFactory
from portal.models import Actor, ProjectSeed, SeedMember, SeedUpdate, WorkshopPage
from portal.workshops.forms import JoinSeedForm
from portal.workshops.tokens import group_token, member_confirm_token, member_leave_token
from tests.portal.conftest import form_opened_a_minute_ago, logged_in

pytestmark = pytest.mark.django_db

SEEDS = "/graines-de-projet/"
CONTACT = "groupe-velo@example.org"


def join_form(**overrides: object) -> dict:
    data = {
        "name": "Karim",
        "email": "karim@example.net",
        "message": "Je sais réparer les freins.",
        "consent": "on",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(JoinSeedForm),
    }
    data.update(overrides)
    return data


@pytest.fixture
def seed(alpha):
    with schema_context(alpha.schema_name):
        page = WorkshopPageFactory(
            title="Bouger dans le quartier",
            slug="bouger",
            seeds=[
                ProjectSeed(
                    title="Un atelier vélo au pied des tours",
                    status=ProjectSeed.Status.FORMING,
                    next_steps="Trouver un local",
                    contact_email=CONTACT,
                )
            ],
        )
        seed = ProjectSeed.objects.get(workshop=page)
        now = timezone.now()
        SeedMember.objects.create(
            seed=seed, name="Samia", email="samia@example.net", consent=True, confirmed_at=now
        )
        SeedMember.objects.create(
            seed=seed, name="Léon", email="leon@example.net", consent=True, confirmed_at=now
        )
    return seed


def _group_path(seed: ProjectSeed, portal, contact: str = CONTACT) -> str:
    with schema_context(portal.schema_name):
        return f"{SEEDS}groupe/{group_token(seed.pk, contact)}/"


# --- Joining ---------------------------------------------------------------------------------


def test_joining_a_seed_is_recorded_unconfirmed_and_mails_only_a_confirmation_link(
    seed, alpha, client_for, outbox
):
    response = client_for(alpha).post(f"{SEEDS}graine/{seed.pk}/rejoindre/", join_form())

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        member = SeedMember.objects.get(seed=seed, email="karim@example.net")
    assert member.name == "Karim"
    assert member.consent is True
    assert member.joined_at <= timezone.now()
    assert member.confirmed_at is None
    # The group hears nothing until the address is confirmed; the address gets only the
    # portal's words (nothing the visitor typed) and the link.
    [message] = outbox
    assert message.to == ["karim@example.net"]
    assert "Je sais réparer les freins." not in message.body
    assert f"http://alpha.localhost:8000{SEEDS}membre/confirmer/" in message.body


def _link(message, route: str) -> str:
    """The path of the ``route`` link in an e-mail (the host is the portal's own)."""
    [url] = [word for word in message.body.split() if f"{SEEDS}{route}/" in word]
    return url.removeprefix("http://alpha.localhost:8000")


def test_a_victims_address_joined_by_someone_else_gets_only_the_confirmation(
    seed, alpha, client_for, outbox
):
    client = client_for(alpha)
    client.post(
        f"{SEEDS}graine/{seed.pk}/rejoindre/",
        join_form(name="Victime", email="victime@example.net", message="<b>Achetez</b>"),
    )
    [confirmation] = outbox
    group_page = client.get(_group_path(seed, alpha))
    client.post(
        _group_path(seed, alpha),
        {"action": "message", "subject": "Réunion", "message": "Rendez-vous au local."},
    )

    assert confirmation.to == ["victime@example.net"]
    assert "Achetez" not in confirmation.body and "Victime" not in confirmation.body
    assert "Victime" not in group_page.text
    relayed = outbox[1:]
    assert sorted(m.to[0] for m in relayed) == ["leon@example.net", "samia@example.net"]
    assert all(message.to != [CONTACT] for message in outbox)


def test_opening_the_confirmation_link_confirms_nothing_until_the_button_is_pressed(
    seed, alpha, client_for, outbox
):
    client = client_for(alpha)
    client.post(f"{SEEDS}graine/{seed.pk}/rejoindre/", join_form())
    path = _link(outbox[0], "membre/confirmer")

    page = client.get(path)

    assert page.status_code == 200
    assert "Confirmer" in page.text
    assert "no-store" in page["Cache-Control"]
    with schema_context(alpha.schema_name):
        assert SeedMember.objects.get(email="karim@example.net").confirmed_at is None
    assert len(outbox) == 1


def test_the_confirmation_page_shows_the_message_it_confirms_and_who_gets_the_address(
    seed, alpha, client_for, outbox
):
    client = client_for(alpha)
    client.post(f"{SEEDS}graine/{seed.pk}/rejoindre/", join_form())
    # Someone else asks again with Karim's address before he confirms: the latest replaces
    # the first, and Karim's own link would confirm it.
    client_for(alpha).post(
        f"{SEEDS}graine/{seed.pk}/rejoindre/", join_form(message="Message que Karim n'a pas écrit")
    )

    page = client.get(_link(outbox[0], "membre/confirmer"))

    assert "Message que Karim n&#x27;a pas écrit" in page.text
    assert "Ce n'est pas votre message ? Ne confirmez pas" in page.text
    assert "jamais votre adresse" not in page.text
    assert "recevra aussi votre adresse" in page.text


def test_after_confirming_the_group_hears_and_relays_arrive_with_a_working_leave_link(
    seed, alpha, client_for, outbox
):
    client = client_for(alpha)
    client.post(f"{SEEDS}graine/{seed.pk}/rejoindre/", join_form())
    confirmed = client.post(_link(outbox[0], "membre/confirmer"))
    again = client.post(_link(outbox[0], "membre/confirmer"))

    assert confirmed.status_code == 200
    assert "C'est confirmé" in confirmed.text
    assert again.status_code == 200
    [notice] = outbox[1:]  # confirming twice tells the group once
    assert notice.to == [CONTACT]
    assert notice.reply_to == ["karim@example.net"]
    assert "Je sais réparer les freins." in notice.body
    assert "Karim" in client.get(_group_path(seed, alpha)).text

    outbox.clear()
    client.post(
        _group_path(seed, alpha),
        {"action": "message", "subject": "Réunion", "message": "Rendez-vous au local."},
    )
    [to_karim] = [m for m in outbox if m.to == ["karim@example.net"]]
    leave = _link(to_karim, "membre/quitter")
    leave_page = client.get(leave)
    left = client.post(leave)

    assert leave_page.status_code == 200
    assert "Quitter le groupe" in leave_page.text
    assert left.status_code == 200
    assert "Vous avez quitté le groupe" in left.text
    with schema_context(alpha.schema_name):
        assert not SeedMember.objects.filter(email="karim@example.net").exists()
    assert client.post(leave).status_code == 404  # already gone: a page, not an error
    outbox.clear()
    client.post(_group_path(seed, alpha), {"action": "message", "subject": "B", "message": "C"})
    assert sorted(m.to[0] for m in outbox) == ["leon@example.net", "samia@example.net"]


def test_confirmation_links_forged_foreign_or_expired_are_refused_in_french(
    seed, alpha, beta, client_for, outbox
):
    client_for(alpha).post(f"{SEEDS}graine/{seed.pk}/rejoindre/", join_form())
    path = _link(outbox[0], "membre/confirmer")
    with schema_context(alpha.schema_name):
        member = SeedMember.objects.get(email="karim@example.net")
    with schema_context(beta.schema_name):
        # The same member id signed by portal B's secret.
        made_at_beta = member_confirm_token(member.pk, member.email)
    # A link signed eight days ago.
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    with time_machine.travel(eight_days_ago, tick=False), schema_context(alpha.schema_name):
        old = member_confirm_token(member.pk, member.email)
    # A leave link is no confirmation link.
    with schema_context(alpha.schema_name):
        leave_as_confirm = member_leave_token(member.pk, member.email)

    responses = [
        client_for(alpha).post(path[:-5] + "abcd/"),
        client_for(alpha).post(f"{SEEDS}membre/confirmer/%C3%A9%00/"),
        client_for(beta).post(path),
        client_for(alpha).post(f"{SEEDS}membre/confirmer/{made_at_beta}/"),
        client_for(alpha).post(f"{SEEDS}membre/confirmer/{old}/"),
        client_for(alpha).post(f"{SEEDS}membre/confirmer/{leave_as_confirm}/"),
    ]

    for response in responses:
        assert response.status_code == 404
    # Portal B's host answers its own "page not found"; portal A's section explains.
    for response in (responses[0], responses[3], responses[4], responses[5]):
        assert "Ce lien ne fonctionne pas" in response.text
    assert "Un lien de confirmation vaut sept jours." in responses[4].text
    with schema_context(alpha.schema_name):
        assert SeedMember.objects.get(pk=member.pk).confirmed_at is None
    assert len(outbox) == 1


def test_joining_again_with_a_confirmed_address_changes_nothing_and_says_the_same(
    seed, alpha, client_for, outbox
):
    first = client_for(alpha).post(
        f"{SEEDS}graine/{seed.pk}/rejoindre/", join_form(email="nouveau@example.net"), follow=True
    )
    outbox.clear()
    again = client_for(alpha).post(
        f"{SEEDS}graine/{seed.pk}/rejoindre/",
        join_form(name="Usurpateur", email="samia@example.net", message="Spam"),
        follow=True,
    )

    with schema_context(alpha.schema_name):
        samia = SeedMember.objects.get(email="samia@example.net")
    assert samia.name == "Samia"
    assert samia.message == ""
    assert samia.confirmed_at is not None
    assert outbox == []
    said = "Si cette adresse n&#x27;est pas déjà inscrite au groupe"
    assert said in first.text and said in again.text


def test_joining_without_consent_is_refused_in_french_and_records_nothing(
    seed, alpha, client_for, outbox
):
    data = join_form()
    del data["consent"]

    response = client_for(alpha).post(f"{SEEDS}graine/{seed.pk}/rejoindre/", data)

    assert response.status_code == 400
    assert "Cochez cette case pour rejoindre le groupe." in response.text
    with schema_context(alpha.schema_name):
        assert not SeedMember.objects.filter(email="karim@example.net").exists()
    assert outbox == []


# --- The group's page ------------------------------------------------------------------------


def test_the_animator_sends_the_group_its_link(seed, alpha, client_for, animator_of, outbox):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    admin.post(
        f"/admin/ateliers/{seed.workshop_id}/suivi/", {"action": "group_link", "seed": seed.pk}
    )

    [message] = outbox
    assert message.to == [CONTACT]
    assert "http://alpha.localhost:8000/graines-de-projet/groupe/" in message.body


@pytest.mark.parametrize("forged", ["²", "9" * 25, "abc"])
def test_a_forged_group_or_news_in_the_admin_gets_a_french_message_not_a_500(
    seed, alpha, client_for, animator_of, outbox, forged
):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    link = admin.post(
        f"/admin/ateliers/{seed.workshop_id}/suivi/",
        {"action": "group_link", "seed": forged},
        follow=True,
    )
    news = admin.post(
        "/admin/ateliers/nouvelles/", {"update": forged, "decision": "approve"}, follow=True
    )

    assert link.status_code == 200 and "pas d&#x27;adresse e-mail" in link.text
    assert news.status_code == 200 and "Cette nouvelle n&#x27;existe plus." in news.text
    assert outbox == []


def test_the_group_page_lists_members_by_name_never_their_address(seed, alpha, client_for):
    response = client_for(alpha).get(_group_path(seed, alpha))

    assert response.status_code == 200
    assert "Samia" in response.text
    assert "Léon" in response.text
    assert "samia@example.net" not in response.text
    assert "no-store" in response["Cache-Control"]


def test_the_group_writes_to_its_members_through_the_portal(seed, alpha, client_for, outbox):
    response = client_for(alpha).post(
        _group_path(seed, alpha),
        {"action": "message", "subject": "Réunion jeudi", "message": "Rendez-vous au local."},
    )

    assert response.status_code == 302
    assert sorted(message.to[0] for message in outbox) == ["leon@example.net", "samia@example.net"]
    for message in outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert "Rendez-vous au local." in message.body
        assert f"http://alpha.localhost:8000{SEEDS}membre/quitter/" in message.body
        # The contact's address stays private: not in a header, not in the text.
        assert message.reply_to == []
        assert CONTACT not in message.body
        assert CONTACT not in str(message.message())


def test_a_group_link_is_refused_when_forged_foreign_or_for_a_former_contact(
    seed, alpha, beta, client_for, outbox
):
    path = _group_path(seed, alpha)
    former = _group_path(seed, alpha, contact="ancien@example.org")

    forged = client_for(alpha).get(path[:-5] + "abcd/")
    elsewhere = client_for(beta).get(path)
    elsewhere_post = client_for(beta).post(
        path, {"action": "message", "subject": "Spam", "message": "Spam"}
    )
    old_contact = client_for(alpha).get(former)

    for response in (forged, elsewhere, elsewhere_post, old_contact):
        assert response.status_code == 404
        assert "Samia" not in response.text
    assert outbox == []


def test_odd_posts_on_the_group_page_give_a_page_not_an_error(seed, alpha, client_for, outbox):
    path = _group_path(seed, alpha)

    unknown = client_for(alpha).post(path, {"action": "<b>"})
    empty = client_for(alpha).post(path, {"action": "message", "subject": "a\nb"})
    bad_status = client_for(alpha).post(path, {"action": "progress", "status": "zz"})

    assert unknown.status_code == 400
    assert empty.status_code == 400
    assert bad_status.status_code == 400
    assert outbox == []


# --- News, status and next steps -------------------------------------------------------------


def test_news_waits_for_approval_then_reaches_the_seed_page_its_feed_and_the_home_block(
    seed, alpha, client_for, animator_of
):
    browser = client_for(alpha)
    seed_page = f"{SEEDS}graine/{seed.pk}/"

    browser.post(_group_path(seed, alpha), {"action": "update", "text": "Le local est trouvé !"})
    before = browser.get(seed_page)
    feed_before = browser.get(f"{seed_page}rss/")
    with schema_context(alpha.schema_name):
        waiting = {source.key: source.waiting_count() for source in moderation_sources()}
        update = SeedUpdate.objects.get(seed=seed)
    admin = logged_in(client_for(alpha), animator_of(alpha))
    admin.post("/admin/ateliers/nouvelles/", {"update": update.pk, "decision": "approve"})
    after = client_for(alpha).get(seed_page)
    feed_after = client_for(alpha).get(f"{seed_page}rss/")
    listing = client_for(alpha).get(SEEDS)
    with schema_context(alpha.schema_name):
        home_items = source_for("seed_updates", "home").items(5)

    assert waiting["seed-updates"] == 1
    assert "Le local est trouvé" not in before.text
    assert "Le local est trouvé" not in feed_before.text
    assert "Le local est trouvé" in after.text
    assert "Le local est trouvé" in feed_after.text
    assert feed_after["Content-Type"].startswith("application/rss+xml")
    assert "Le local est trouvé" in listing.text
    assert [item.text for item in home_items] == ["Le local est trouvé !"]
    assert home_items[0].path == seed_page


def test_a_refused_news_is_never_shown(seed, alpha, client_for, animator_of):
    client_for(alpha).post(
        _group_path(seed, alpha), {"action": "update", "text": "Pub : achetez !"}
    )
    with schema_context(alpha.schema_name):
        update = SeedUpdate.objects.get(seed=seed)
    admin = logged_in(client_for(alpha), animator_of(alpha))

    admin.post("/admin/ateliers/nouvelles/", {"update": update.pk, "decision": "reject"})
    again = admin.post("/admin/ateliers/nouvelles/", {"update": update.pk, "decision": "approve"})

    assert again.status_code == 302
    for path in (f"{SEEDS}graine/{seed.pk}/", f"{SEEDS}graine/{seed.pk}/rss/", SEEDS, "/"):
        assert "achetez" not in client_for(alpha).get(path).text


def test_a_trusted_group_publishes_at_once(seed, alpha, client_for):
    with schema_context(alpha.schema_name):
        ProjectSeed.objects.filter(pk=seed.pk).update(trusted=True)

    client_for(alpha).post(
        _group_path(seed, alpha), {"action": "update", "text": "Atelier samedi."}
    )

    assert "Atelier samedi." in client_for(alpha).get(f"{SEEDS}graine/{seed.pk}/").text


def test_the_group_changes_status_and_next_steps_and_a_republish_keeps_them(
    seed, alpha, client_for
):
    client_for(alpha).post(
        _group_path(seed, alpha),
        {"action": "progress", "status": "active", "next_steps": "Ouvrir le samedi"},
    )
    with schema_context(alpha.schema_name):
        page = WorkshopPage.objects.get(pk=seed.workshop_id)
        page.get_latest_revision().publish()  # the animator publishes the workshop again
        kept = ProjectSeed.objects.get(pk=seed.pk)

    assert kept.status == ProjectSeed.Status.ACTIVE
    assert kept.next_steps == "Ouvrir le samedi"
    assert "Ouvrir le samedi" in client_for(alpha).get(f"{SEEDS}graine/{seed.pk}/").text


def test_another_portal_sees_none_of_these_seed_pages(seed, beta, client_for):
    for path in (f"{SEEDS}graine/{seed.pk}/", f"{SEEDS}graine/{seed.pk}/rss/"):
        assert client_for(beta).get(path).status_code == 404


# --- The infolettre's blocks -----------------------------------------------------------------


def test_the_letter_gets_the_groups_news_the_next_workshops_and_the_new_actors(seed, alpha):
    since = timezone.now() - datetime.timedelta(days=1)
    with schema_context(alpha.schema_name):
        SeedUpdate.objects.create(
            seed=seed, text="Première sortie", status="approved", published_at=timezone.now()
        )
        SeedUpdate.objects.create(seed=seed, text="Pas encore validée")
        WorkshopPageFactory(
            title="Atelier jardins", date=timezone.localdate() + datetime.timedelta(days=10)
        )
        Actor.objects.create(name="Ressourcerie du coin")
        old = Actor.objects.create(name="Vieille association")
        Actor.objects.filter(pk=old.pk).update(created_at=since - datetime.timedelta(days=30))
        news = source_for("seed_updates", "letter").letter_lines(5, since)
        workshops = source_for("next_workshops", "letter").letter_lines(5, since)
        actors = source_for("new_actors", "letter").letter_lines(5, since)

    assert [line.title for line in news] == ["Un atelier vélo au pied des tours : Première sortie"]
    assert news[0].path == f"{SEEDS}graine/{seed.pk}/"
    assert [line.title for line in workshops] == ["Atelier jardins"]
    assert "Ressourcerie du coin" in [line.title for line in actors]
    assert "Vieille association" not in [line.title for line in actors]


# --- Upkeep ----------------------------------------------------------------------------------


def test_requests_never_confirmed_are_forgotten_after_the_set_days_on_every_portal(
    seed, alpha, beta, settings
):
    from io import StringIO

    from django.core.management import call_command

    settings.SEED_MEMBER_UNCONFIRMED_DAYS = 3
    long_ago = timezone.now() - datetime.timedelta(days=4)
    with schema_context(alpha.schema_name):
        stale = SeedMember.objects.create(
            seed=seed, name="Inconnu", email="typed-by-someone@example.net", joined_at=long_ago
        )
        recent = SeedMember.objects.create(seed=seed, name="Nadia", email="nadia@example.net")
        confirmed_long_ago = SeedMember.objects.create(
            seed=seed,
            name="Ancien",
            email="ancien@example.net",
            joined_at=long_ago,
            confirmed_at=long_ago,
        )
    with schema_context(beta.schema_name):
        page = WorkshopPageFactory(
            title="Atelier de Beta",
            slug="atelier-beta",
            seeds=[ProjectSeed(title="Jardin partagé", status=ProjectSeed.Status.FORMING)],
        )
        stale_at_beta = SeedMember.objects.create(
            seed=ProjectSeed.objects.get(workshop=page),
            name="Oublié",
            email="oublie@example.net",
            joined_at=long_ago,
        )

    output = StringIO()
    call_command("seed_members_maintenance", stdout=output)
    again = StringIO()
    call_command("seed_members_maintenance", stdout=again)  # nothing left to do

    with schema_context(alpha.schema_name):
        left = set(SeedMember.objects.values_list("pk", flat=True))
    with schema_context(beta.schema_name):
        assert not SeedMember.objects.filter(pk=stale_at_beta.pk).exists()
    assert stale.pk not in left
    assert {recent.pk, confirmed_long_ago.pk} <= left
    assert "alpha … 1 inscription(s) non confirmée(s) effacée(s)" in output.getvalue()
    assert "beta … 1 inscription(s)" in output.getvalue()
    assert "0 inscription(s) non confirmée(s) effacée(s)." in again.getvalue()
