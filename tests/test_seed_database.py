"""The test database's seed (``tests/seed_database.py``) is copied only while the code it
was built from is the same: any change to what a build depends on gives another key."""

from __future__ import annotations

from pathlib import Path

from tests.seed_database import build_key


def project(tmp_path: Path) -> Path:
    """A project's tree as the key reads it: an app with a migration, the tests' files."""
    (tmp_path / "portal/migrations").mkdir(parents=True)
    (tmp_path / "portal/migrations/0001_initial.py").write_text("operations = []\n")
    (tmp_path / "portal/models.py").write_text("class Page: ...\n")
    (tmp_path / "portal/templates").mkdir()
    (tmp_path / "portal/templates/page.html").write_text("<p>page</p>\n")
    (tmp_path / "tests/pinboard/migrations").mkdir(parents=True)
    (tmp_path / "tests/pinboard/migrations/0001_initial.py").write_text("operations = []\n")
    for name in ("settings.py", "conftest.py", "seed_database.py", "test_pages.py"):
        (tmp_path / "tests" / name).write_text(f"# {name}\n")
    (tmp_path / "var").mkdir()
    (tmp_path / "var/notes.txt").write_text("run 1\n")
    return tmp_path


def test_the_key_changes_with_a_migration_the_models_the_tests_settings_or_the_server(
    tmp_path: Path,
):
    base = project(tmp_path)
    key = build_key(base, 180000)
    assert build_key(base, 180000) == key
    assert build_key(base, 170000) != key

    for path in (
        "portal/migrations/0001_initial.py",
        "portal/models.py",
        "tests/pinboard/migrations/0001_initial.py",
        "tests/settings.py",
        "tests/conftest.py",
    ):
        before = (base / path).read_text()
        (base / path).write_text(before + "# changed\n")
        assert build_key(base, 180000) != key, path
        (base / path).write_text(before)
        assert build_key(base, 180000) == key, path

    (base / "portal/migrations/0002_more.py").write_text("operations = []\n")
    assert build_key(base, 180000) != key


def test_the_key_stays_when_only_a_test_a_template_or_var_changed(tmp_path: Path):
    """Editing a test module (the usual loop) keeps the seed: it builds nothing."""
    base = project(tmp_path)
    key = build_key(base, 180000)
    (base / "tests/test_pages.py").write_text("def test_more(): ...\n")
    (base / "portal/templates/page.html").write_text("<p>autre</p>\n")
    (base / "var/notes.txt").write_text("run 2\n")
    assert build_key(base, 180000) == key
