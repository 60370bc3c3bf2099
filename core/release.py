"""The name of the running release, part of every cache key (``CACHE_RELEASE``).

A deploy must never serve what older code put in the cache (a pickled page, a fragment of
a template since changed, a remembered settings object missing a new field). So every key
starts with the release: the project's version, plus the commit being run when the code
is a git checkout (read from ``.git`` directly, in well under a millisecond: no
subprocess). Set ``CACHE_RELEASE`` in the environment to choose it yourself (a deploy
tool's build number, for instance); every server sharing a cache must then agree on it.
"""

from __future__ import annotations

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


def default_release(base_dir: Path) -> str:
    """``<version>`` or ``<version>-<commit>``: changes with each deploy of new code."""
    commit = git_commit(base_dir)
    version = project_version(base_dir)
    return f"{version}-{commit}" if commit else version
