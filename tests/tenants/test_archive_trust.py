"""An export is trusted only when the network signed it, and even a signed one cannot
reach past the new portal's schema: crafted archives are refused with nothing left."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import json
import shutil
import tarfile
import tempfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from portal.factories import ArticlePageFactory
from tenants.models import Neighbourhood
from tenants.portability import PortabilityError, export_portal, import_portal
from tests.tenants.archive_craft import contents_of, craft, network_key

# Lists or backs up every schema of the database: no spare portal schema (tests/portal_pool.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spare_schemas")]

TITLE = "La disco-soupe de la place"


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federe", kind=Neighbourhood.Kind.FEDERATION)


@pytest.fixture(scope="module")
def exported(alpha, django_db_blocker, tmp_path_factory):
    """alpha, with a published article (committed), exported once."""
    with django_db_blocker.unblock():
        with schema_context(alpha.schema_name):
            ArticlePageFactory(title=TITLE, slug="disco-soupe")
        archive = export_portal(alpha, tmp_path_factory.mktemp("export") / "alpha.tar.gz")
        connection.set_schema_to_public()
    return archive


@pytest.fixture
def work(tmp_path, monkeypatch):
    """The folder where an import unpacks, watched for leftovers."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def assert_refused_with_nothing_left(archive: Path, work: Path, match: str) -> None:
    with pytest.raises(PortabilityError, match=match):
        import_portal(archive, "gamma")

    assert not schema_exists("gamma")
    assert not Neighbourhood.objects.filter(schema_name="gamma").exists()
    assert not schema_exists("alpha__import_hold")
    assert not (settings.MEDIA_ROOT / "gamma").exists()
    assert list(work.iterdir()) == []


def with_sql(exported: Path, target: Path, extra: str) -> Path:
    """A copy of the export with ``extra`` SQL at the end, signed with the network's key
    (as a thief of the key would sign it)."""
    manifest, members = contents_of(exported)
    members["schema.sql"] += f"\n{extra}\n".encode()
    return craft(target, manifest, members)


def test_an_unsigned_archive_is_refused_and_nothing_is_created(exported, tmp_path, work):
    manifest, members = contents_of(exported)
    archive = craft(tmp_path / "unsigned.tar.gz", manifest, members, signed=False)

    assert_refused_with_nothing_left(archive, work, "non signée par le réseau")


def test_an_archive_signed_with_another_networks_key_is_refused(exported, tmp_path, work):
    manifest, members = contents_of(exported)
    archive = craft(tmp_path / "other.tar.gz", manifest, members, key=b"k" * 64)

    assert_refused_with_nothing_left(archive, work, "signature .* ne correspond pas")


def test_a_member_changed_after_signing_is_refused(exported, tmp_path, work):
    manifest, members = contents_of(exported)
    changed = dict(members)
    changed["schema.sql"] = members["schema.sql"].replace(TITLE.encode(), b"Piratage")
    archive = craft(tmp_path / "tampered.tar.gz", manifest, changed, listed=members)

    assert_refused_with_nothing_left(archive, work, "modifiée après sa signature")


def test_a_member_slipped_in_after_signing_is_refused(exported, tmp_path, work):
    manifest, members = contents_of(exported)
    slipped = {**members, "media/images/intrus.svg": b"<svg onload='alert(1)'/>"}
    archive = craft(tmp_path / "slipped.tar.gz", manifest, slipped, listed=members)

    assert_refused_with_nothing_left(archive, work, "élément non signé")


MARKER = Path(tempfile.gettempdir()) / f"quartiers-pwned-{uuid.uuid4().hex}"


def intruder_group_in(schema: str) -> bool:
    with schema_context(schema):
        from django.contrib.auth.models import Group

        return Group.objects.filter(name="Intrus").exists()


def superuser_intrus_in(schema: str) -> bool:
    with schema_context(schema):
        return get_user_model().objects.filter(username="intrus").exists()


def role_intrus_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = 'intrus'")
        return cursor.fetchone() is not None


@pytest.mark.parametrize(
    ("sql", "harm"),
    [
        pytest.param(
            "INSERT INTO beta.auth_group VALUES (9999, 'Intrus');",
            lambda: intruder_group_in("beta"),
            id="write-into-another-portal",
        ),
        pytest.param(
            "INSERT INTO federe.auth_user VALUES (9999, 'x', NULL, true, 'intrus', '', '', "
            "'i@example.org', true, true, '2026-01-01');",
            lambda: superuser_intrus_in("federe"),
            id="superuser-row-at-the-federation",
        ),
        pytest.param(
            "CREATE ROLE intrus SUPERUSER LOGIN PASSWORD 'intrus';",
            role_intrus_exists,
            id="create-role",
        ),
        pytest.param(
            f"COPY (SELECT 1) TO PROGRAM 'touch {MARKER}';",
            MARKER.exists,
            id="copy-to-program",
        ),
        pytest.param(
            "RESET ROLE;\nINSERT INTO beta.auth_group VALUES (9999, 'Intrus');",
            lambda: intruder_group_in("beta"),
            id="step-out-of-the-role",
        ),
        pytest.param(
            "SELECT pg_catalog.set_config('role', 'postgres', false);\n"
            "INSERT INTO beta.auth_group VALUES (9999, 'Intrus');",
            lambda: intruder_group_in("beta"),
            id="set-config-role",
        ),
        pytest.param(
            "CREATE TABLE alpha.piege (a text DEFAULT pg_catalog.pg_read_file('/etc/passwd'));",
            lambda: False,
            id="function-in-a-default",
        ),
    ],
)
def test_sql_reaching_outside_the_new_schema_is_refused_even_when_signed(
    exported, beta, federation, tmp_path, work, sql, harm
):
    archive = with_sql(exported, tmp_path / "crafted.tar.gz", sql)

    assert_refused_with_nothing_left(archive, work, "instruction SQL interdite")
    assert not harm()


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param(f"COPY (SELECT 1) TO PROGRAM 'touch {MARKER}'", id="copy-to-program"),
        pytest.param("INSERT INTO beta.auth_group (name) VALUES ('Intrus')", id="other-schema"),
        pytest.param("CREATE ROLE intrus SUPERUSER", id="create-role"),
        pytest.param("CREATE TABLE public.intrus (a int)", id="public"),
    ],
)
def test_the_replay_role_cannot_leave_the_new_schema_even_past_the_check(beta, sql):
    # The second wall on its own: statements that the check would refuse, given straight
    # to the replay, are refused by PostgreSQL.
    from tenants.portability import replay_confined

    refused = pytest.raises(DatabaseError, match=r"permission denied|must be superuser")
    with schema_context(get_public_schema_name()), refused, transaction.atomic():
        replay_confined([sql], "delta", "delta")

    assert not MARKER.exists()
    assert not intruder_group_in("beta")
    assert not role_intrus_exists()
    assert not schema_exists("delta")


def test_a_manifest_saying_federation_still_makes_a_neighbourhood(
    exported, tmp_path, federation, django_capture_on_commit_callbacks
):
    manifest, members = contents_of(exported)
    archive = craft(tmp_path / "kind.tar.gz", {**manifest, "kind": "federation"}, members)

    with django_capture_on_commit_callbacks(execute=True):
        gamma = import_portal(archive, "gamma", domain="gamma.localhost", name="Copie")

    assert gamma.kind == Neighbourhood.Kind.NEIGHBOURHOOD
    assert list(
        Neighbourhood.objects.filter(kind=Neighbourhood.Kind.FEDERATION).values_list(
            "schema_name", flat=True
        )
    ) == ["federe"]


def test_a_gzip_bomb_is_refused_without_filling_the_disk(exported, tmp_path, work, settings):
    settings.ARCHIVE_MAX_BYTES = 4 * 1024 * 1024
    manifest, members = contents_of(exported)
    members["media/documents/bombe.txt"] = bytes(64 * 1024 * 1024)  # ~64 kB compressed
    archive = craft(tmp_path / "bomb.tar.gz", manifest, members)

    assert archive.stat().st_size < 1024 * 1024
    assert_refused_with_nothing_left(archive, work, "dépasse la taille permise")


def test_a_member_declared_larger_than_the_bound_is_refused_before_it_is_read(
    exported, tmp_path, work
):
    manifest, _members = contents_of(exported)
    declared = 100 * 1024**3  # 100 GB, of which the archive holds nothing
    body = {
        **manifest,
        "members": {"schema.sql": {"size": declared, "sha256": hashlib.sha256().hexdigest()}},
    }
    data = json.dumps(body).encode()
    signature = hmac.new(network_key(), data, hashlib.sha256).hexdigest()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in (("manifest.json", data), ("manifest.sig", signature.encode())):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    header = tarfile.TarInfo("schema.sql")
    header.size = declared
    archive = tmp_path / "declared.tar.gz"
    # The tar's end is cut: only the header of the huge member follows the signed ones.
    body_bytes = raw.getvalue().rstrip(b"\0")
    body_bytes += b"\0" * (-len(body_bytes) % 512) + header.tobuf(tarfile.PAX_FORMAT)
    archive.write_bytes(gzip.compress(body_bytes))

    assert_refused_with_nothing_left(archive, work, "trop volumineux")


@pytest.fixture
def gamma_files_removed():
    """The imported portal's schema goes with the test's transaction; its files on disk
    (the copied media, the sharing images drawn as its pages are served) go here."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT / "gamma", ignore_errors=True)


def test_a_genuine_export_imports_and_serves_its_pages(
    exported, client_for, django_capture_on_commit_callbacks, gamma_files_removed
):
    with django_capture_on_commit_callbacks(execute=True):
        gamma = import_portal(exported, "gamma", domain="gamma.localhost", name="Copie")

    page = client_for(gamma).get("/actualites/disco-soupe/")

    assert page.status_code == 200
    assert TITLE in page.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'quartiers_import_%'")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'gamma'")
        assert cursor.fetchone()[0] == connection.settings_dict["USER"]


@pytest.mark.parametrize("origin", ["public", "pg_catalog", "tpl_neighbourhood"])
def test_a_manifest_naming_a_system_schema_as_origin_is_refused(exported, tmp_path, work, origin):
    manifest, members = contents_of(exported)
    sql = members["schema.sql"].decode().replace("alpha.", f"{origin}.")
    members["schema.sql"] = sql.replace("SCHEMA alpha", f"SCHEMA {origin}").encode()
    archive = craft(tmp_path / "origin.tar.gz", {**manifest, "slug": origin}, members)

    assert_refused_with_nothing_left(archive, work, "identifiant d'origine invalide")


def test_a_dump_full_of_accents_is_cut_into_its_statements_at_the_right_places():
    # Statements are found by their byte offsets in one pass, then each parsed alone
    # (parsing a whole French dump at once is quadratic in pglast: bench/dump_check.py).
    from tenants.dump_check import DumpChecker

    row = "INSERT INTO alpha.t VALUES (%d, '%s');\n"
    sql = "".join(row % (number, "é" * 300 + "ü€𝄞") for number in range(200))

    statements = DumpChecker({"alpha"}).statements(sql)

    assert len(statements) == 200
    assert statements[1] == "INSERT INTO alpha.t VALUES (1, '" + "é" * 300 + "ü€𝄞')"
    assert statements[-1].startswith("INSERT INTO alpha.t VALUES (199, 'é")
