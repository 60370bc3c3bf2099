"""The shared address book: exports parsed back by real parsers, with the public fields
only; a CSV import previewed line by line, and nothing created from a file with errors
unless the animator confirms the good lines; each portal's book stays its own."""

import csv
import io
import json
from decimal import Decimal

import pytest
import vobject
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from portal.models import Actor
from tests.conftest import PASSWORD
from tests.portal.conftest import logged_in

pytestmark = pytest.mark.django_db

EXPORT = "/admin/acteurs/exporter/"
IMPORT = "/admin/acteurs/importer/"
SECRETS = ("Mme Secret", "Directrice absente le lundi")


@pytest.fixture
def book(alpha, beta):
    with schema_context(alpha.schema_name):
        library = Actor.objects.create(
            name="Médiathèque des Lilas",
            kind=Actor.Kind.CULTURE,
            address="3 rue des Lilas",
            latitude=Decimal("48.871800"),
            longitude=Decimal("2.385000"),
            website="https://mediatheque.example.org/",
            public_email="contact@mediatheque.example.org",
            public_phone="01 23 45 67 89",
            description="<p>Prêt de livres &amp; ateliers.</p>",
            contact_person="Mme Secret",
            notes="Directrice absente le lundi",
        )
        library.themes.set(["lecture"])
        library.save()
        bakery = Actor.objects.create(name="Boulangerie Saïd", kind=Actor.Kind.SHOP)
    with schema_context(beta.schema_name):
        Actor.objects.create(name="Théâtre de Bêta", kind=Actor.Kind.CULTURE)
    return {"library": library, "bakery": bakery}


def test_the_csv_export_reads_back_in_a_spreadsheet_without_private_fields(
    book, alpha, client_for, animator_of
):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    response = admin.get(EXPORT, {"format": "csv"})

    assert response["Content-Disposition"].startswith('attachment; filename="acteurs-alpha-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["nom"] for row in rows] == ["Boulangerie Saïd", "Médiathèque des Lilas"]
    library = rows[1]
    assert library["type"] == "culture"
    assert library["thèmes"] == "lecture"
    assert library["latitude"] == "48.871800"
    assert library["présentation"] == "Prêt de livres & ateliers."
    assert not any(secret in response.content.decode() for secret in SECRETS)
    assert "notes" not in rows[0] and "contact_person" not in rows[0]


def test_the_vcard_export_is_parsed_back_with_the_public_contact_only(
    book, alpha, client_for, animator_of
):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    response = admin.get(EXPORT, {"format": "vcard", "type": "culture"})

    cards = list(vobject.readComponents(response.content.decode()))
    assert len(cards) == 1
    card = cards[0]
    assert card.fn.value == "Médiathèque des Lilas"
    assert card.org.value == ["Médiathèque des Lilas"]
    assert card.email.value == "contact@mediatheque.example.org"
    assert card.tel.value == "01 23 45 67 89"
    assert card.url.value == "https://mediatheque.example.org/"
    assert card.adr.value.street == "3 rue des Lilas"
    assert card.geo.value == "48.871800;2.385000"
    assert not any(secret in response.content.decode() for secret in SECRETS)


def test_the_geojson_export_is_valid_rfc_7946_in_longitude_latitude_order(
    book, alpha, client_for, animator_of
):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    response = admin.get(EXPORT, {"format": "geojson"})

    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["name"]: f for f in data["features"]}
    assert set(features) == {"Boulangerie Saïd", "Médiathèque des Lilas"}
    library = features["Médiathèque des Lilas"]
    assert library["type"] == "Feature"
    assert library["geometry"] == {"type": "Point", "coordinates": [2.385, 48.8718]}
    longitude, latitude = library["geometry"]["coordinates"]
    assert -180 <= longitude <= 180 and -90 <= latitude <= 90
    assert library["properties"]["url"].startswith("http://alpha.localhost:8000/acteurs/acteur/")
    # Unlocated actors keep their place with a null geometry, as RFC 7946 allows.
    assert features["Boulangerie Saïd"]["geometry"] is None
    assert not any(secret in response.content.decode() for secret in SECRETS)
    assert not {"notes", "contact_person"} & set(library["properties"])


def test_an_export_of_a_selection_holds_only_the_selection(book, alpha, client_for, animator_of):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    by_type = admin.get(EXPORT, {"format": "geojson", "type": "shop"})
    by_words = admin.get(EXPORT, {"format": "geojson", "q": "Médiathèque"})
    screen = admin.get(EXPORT, {"type": "shop"})

    assert [f["properties"]["name"] for f in json.loads(by_type.content)["features"]] == [
        "Boulangerie Saïd"
    ]
    assert [f["properties"]["name"] for f in json.loads(by_words.content)["features"]] == [
        "Médiathèque des Lilas"
    ]
    assert "1 acteur dans la sélection." in screen.text


def test_a_selection_of_forged_ids_exports_the_real_ones_only(book, alpha, client_for, animator_of):
    admin = logged_in(client_for(alpha), animator_of(alpha))
    with schema_context(alpha.schema_name):
        library = Actor.objects.get(name="Médiathèque des Lilas")

    response = admin.get(EXPORT, {"format": "csv", "id": [library.pk, "²", "9" * 25, "x"]})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert response.status_code == 200
    assert [row["nom"] for row in rows] == ["Médiathèque des Lilas"]


def test_another_portals_admin_exports_only_its_own_actors(book, beta, client_for, animator_of):
    admin = logged_in(client_for(beta), animator_of(beta))

    response = admin.get(EXPORT, {"format": "csv"})

    assert "Théâtre de Bêta" in response.content.decode()
    assert "Médiathèque" not in response.content.decode()


def test_a_contributor_cannot_export_nor_import(book, alpha, client_for):
    with schema_context(alpha.schema_name):
        user = get_user_model().objects.create_user(
            username="redacteur", email="r@example.org", password=PASSWORD
        )
        user.groups.add(Group.objects.get(name="Contributeurs"))
    browser = logged_in(client_for(alpha), user)

    assert browser.get(EXPORT, {"format": "csv"}).status_code in (302, 403)
    assert browser.get(IMPORT).status_code in (302, 403)


GOOD_AND_BAD = (
    "nom;type;thèmes;adresse;latitude;longitude;site web;e-mail\n"
    "Repair café;Tiers-lieu;réparation;8 rue des Lilas;48,87;2,38;https://repair.example;\n"
    ";association;;;;;;\n"
    "Club de boxe;sport de combat;;;;;;\n"
    "Boulangerie Saïd;shop;pain;1 place du Marché;;;;contact@boulangerie.example\n"
    "Jardin;association;;;95;2,38;;\n"
    "Atelier;association;;;;;pas-un-site;pas-un-mail\n"
)


def _upload(admin, content: str, name: str = "acteurs.csv"):
    return admin.post(IMPORT, {"file": SimpleUploadedFile(name, content.encode("utf-8"))})


def test_the_import_preview_tells_what_would_change_and_each_bad_line_in_french(
    book, alpha, client_for, animator_of
):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    preview = _upload(admin, GOOD_AND_BAD)

    text = preview.text.replace("&#x27;", "'").replace("&quot;", '"')
    assert "1 acteur sera créé." in text
    assert "1 acteur sera mis à jour." in text
    assert "4 lignes en erreur." in text
    assert "Ligne 3" in text and "Le nom est obligatoire." in text
    assert "Ligne 4" in text and "Type inconnu : « sport de combat »." in text
    assert "Ligne 6" in text and "« latitude » doit être comprise entre -90 et 90." in text
    assert "Site web invalide : « pas-un-site »." in text
    assert "E-mail invalide : « pas-un-mail »." in text
    with schema_context(alpha.schema_name):
        assert Actor.objects.count() == 2


def test_a_file_with_errors_creates_nothing_unless_the_good_lines_are_confirmed(
    book, alpha, client_for, animator_of
):
    admin = logged_in(client_for(alpha), animator_of(alpha))
    preview = _upload(admin, GOOD_AND_BAD)
    payload = preview.context["payload"]

    refused = admin.post(IMPORT, {"payload": payload})
    with schema_context(alpha.schema_name):
        count_after_refusal = Actor.objects.count()
    confirmed = admin.post(IMPORT, {"payload": payload, "good_lines_only": "1"})

    assert refused.status_code == 400
    assert count_after_refusal == 2
    assert confirmed.status_code == 302
    with schema_context(alpha.schema_name):
        assert sorted(Actor.objects.values_list("name", flat=True)) == [
            "Boulangerie Saïd",
            "Médiathèque des Lilas",
            "Repair café",
        ]
        repair = Actor.objects.get(name="Repair café")
        assert repair.kind == Actor.Kind.THIRD_PLACE
        assert repair.latitude == Decimal("48.870000")
        bakery = Actor.objects.get(name="Boulangerie Saïd")
        assert bakery.address == "1 place du Marché"
        assert bakery.public_email == "contact@boulangerie.example"
        assert bakery.theme_names() == ["pain"]


def test_a_clean_file_goes_in_after_its_preview_and_an_export_comes_back_unchanged(
    book, alpha, client_for, animator_of
):
    admin = logged_in(client_for(alpha), animator_of(alpha))
    exported = admin.get(EXPORT, {"format": "csv"}).content.decode("utf-8-sig")

    preview = _upload(admin, exported)
    admin.post(IMPORT, {"payload": preview.context["payload"]})

    assert "2 acteurs seront mis à jour." in preview.text
    assert admin.get(EXPORT, {"format": "csv"}).content.decode("utf-8-sig") == exported
    with schema_context(alpha.schema_name):
        library = Actor.objects.get(name="Médiathèque des Lilas")
        assert library.notes == "Directrice absente le lundi"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"\n\n", "Le fichier est vide."),
        (b"name;kind\nA;shop\n", "dont « nom »"),
        (b"nom;type\n", "aucun acteur"),
        (b"\xff\xfe\x00\x00" * 10 + b"\x81\x8d\x8f\x90\x9d", "pas un texte lisible"),
    ],
)
def test_an_unusable_file_is_refused_with_a_french_message(
    book, alpha, client_for, animator_of, content, message
):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    response = admin.post(IMPORT, {"file": SimpleUploadedFile("x.csv", content)})

    assert response.status_code == 400
    assert message in response.text.replace("&#x27;", "'")


def test_lines_the_database_could_not_hold_are_told_in_the_preview_and_the_rest_goes_in(
    book, alpha, client_for, animator_of
):
    admin = logged_in(client_for(alpha), animator_of(alpha))
    site = "https://repair.example.org/" + "a" * 200
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".fr"  # 311: a valid address
    lines = [
        "nom;id;site web;e-mail;thèmes",
        "Garage solidaire;²;;;",
        f"Repair café;;{site};;",
        f"Atelier vélo;;;{email};",
        f"Jardin partagé;;;;{'ﬃ' * 100}",
    ]

    preview = _upload(admin, "\n".join(lines) + "\n")
    confirmed = admin.post(IMPORT, {"payload": preview.context["payload"], "good_lines_only": "1"})

    text = preview.text.replace("&#x27;", "'")
    assert "3 lignes en erreur." in text
    assert "L'identifiant ² ne correspond à aucun acteur de ce portail." in text
    assert "« site web » dépasse 200 caractères." in text
    assert "« e-mail » dépasse 254 caractères." in text
    assert confirmed.status_code == 302
    with schema_context(alpha.schema_name):
        garden = Actor.objects.get(name="Jardin partagé")
        assert garden.theme_names() == ["ﬃ" * 100]
        assert not Actor.objects.filter(name__in=["Repair café", "Atelier vélo"]).exists()


def test_a_tampered_preview_is_refused(book, alpha, client_for, animator_of):
    admin = logged_in(client_for(alpha), animator_of(alpha))

    response = admin.post(IMPORT, {"payload": "nom\nPirate"}, follow=True)

    assert "chargez-le à nouveau" in response.text
    with schema_context(alpha.schema_name):
        assert Actor.objects.count() == 2


def test_an_import_at_one_portal_never_reaches_another(book, alpha, beta, client_for, animator_of):
    admin = logged_in(client_for(alpha), animator_of(alpha))
    preview = _upload(admin, "nom;type\nThéâtre de Bêta;culture\nNouveau lieu;other\n")

    admin.post(IMPORT, {"payload": preview.context["payload"]})

    assert "2 acteurs seront créés." in preview.text  # Bêta's theatre is new here
    with schema_context(beta.schema_name):
        assert list(Actor.objects.values_list("name", flat=True)) == ["Théâtre de Bêta"]
