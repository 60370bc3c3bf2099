"""The name of the running release, part of every cache key (``CACHE_RELEASE``).

A deploy must never serve what older code put in the cache (a pickled page, a fragment of
a template since changed, a remembered settings object missing a new field). So every key
starts with the release: the project's version, plus the commit being run when the code
is a git checkout (read from ``.git`` directly, in well under a millisecond: no
subprocess), else a digest of the code itself (a tarball, an image built without
``.git``: the version alone would stay the same from one deploy to the next). Both are
the same in every worker and on every server running the same code. Set
``CACHE_RELEASE`` in the environment to choose it yourself (a deploy tool's build number,
for instance); every server sharing a cache must then agree on it.
"""

from __future__ import annotations

import hashlib
import tomllib
from importlib import metadata
from pathlib import Path


def project_version(base_dir: Path) -> str:
    """The version of the installed ``quartiers`` package, else of ``pyproject.toml``."""
    try:
        return metadata.version("quartiers")
    except metadata.PackageNotFoundError:
        pass
    try:
        with (base_dir / "pyproject.toml").open("rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0"


def git_commit(base_dir: Path) -> str:
    """The commit checked out in ``base_dir`` (12 hex digits), or "" when unknown."""
    try:
        git = base_dir / ".git"
        if git.is_file():  # a worktree: ".git" says where its own git directory is
            git = (base_dir / git.read_text().removeprefix("gitdir:").strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head[:12]  # a detached checkout
        ref = head.removeprefix("ref:").strip()
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text().strip()).resolve()
        for directory in (git, common):
            if (directory / ref).is_file():
                return (directory / ref).read_text().strip()[:12]
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line.split()[0][:12]
    except OSError:
        pass
    return ""


# What the cached answers are made of: code, templates, e-mails, catalogues, static sources.
CODE_SUFFIXES = frozenset({".py", ".html", ".txt", ".mo", ".css", ".js", ".json"})


def code_digest(base_dir: Path) -> str:
    """A digest (12 hex digits) of the project's packages under ``base_dir`` (the tests
    left out): the same for the same files wherever they are unpacked, another as soon as
    one of them changes. About 400 files, read once per process, only without git."""
    digest = hashlib.sha256()
    packages = sorted(
        path
        for path in base_dir.iterdir()
        if path.name != "tests" and (path / "__init__.py").is_file()
    )
    for package in packages:
        for path in sorted(package.rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(path.relative_to(base_dir).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def default_release(base_dir: Path) -> str:
    """``<version>-<commit>``, or ``<version>-<digest of the code>`` without git: changes
    with each deploy of new code, and only then."""
    version = project_version(base_dir)
    return f"{version}-{git_commit(base_dir) or code_digest(base_dir)}"
