"""The release that starts every cache key follows the code deployed, from git or not: a
deploy of other code never reads what older code cached, and the servers of one deploy
agree on it."""

from pathlib import Path

from core.release import default_release


def _unpacked(root: Path, heading: str) -> Path:
    """A deploy without ``.git`` (a tarball, an image built without it): same version."""
    (root / "home" / "templates" / "home").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "quartiers"\nversion = "1.4.0"\n')
    (root / "home" / "__init__.py").write_text("")
    (root / "home" / "templates" / "home" / "home_page.html").write_text(heading)
    return root


def test_two_deploys_of_different_code_without_git_have_different_releases(tmp_path):
    before = _unpacked(tmp_path / "avant", "<h1>{{ page.title }}</h1>")
    after = _unpacked(tmp_path / "apres", '<h1 class="titre">{{ page.title }}</h1>')

    assert default_release(before) != default_release(after)


def test_the_same_code_unpacked_on_two_servers_has_the_same_release(tmp_path):
    one = _unpacked(tmp_path / "serveur-1", "<h1>{{ page.title }}</h1>")
    other = _unpacked(tmp_path / "serveur-2", "<h1>{{ page.title }}</h1>")

    assert default_release(one) == default_release(other)
