"""One version for the book: ``pyproject.toml``, ``CITATION.cff``, ``.zenodo.json`` and ``CHANGELOG.md`` agree.

The citations printed in ``README.md`` and ``book/how-to-cite.md`` must name it too.

A citation names a version, so every file that states one must state the same, and the
release date with it. :func:`problems` lists each disagreement by file (``python -m
medcrypt.book check`` prints them and a test keeps the list empty); :func:`front_line`
is the line the runner writes on the front page of every build: the version, its release
date, and the date and commit of the build the reader is looking at.
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from pathlib import Path

import yaml

from ..paths import REPO_ROOT
from ..results import git_commit

#: Where the front page (``book/intro.md``) gets :func:`front_line` when the runner stages the book.
VERSION_MARKER = "<!-- release: the runner writes the version and build here -->"
#: A release heading of ``CHANGELOG.md``: ``## 0.2.0 — 2026-12-07``.
CHANGELOG_HEADING = re.compile(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


class ReleaseError(ValueError):
    """A release file that is missing or cannot be read; the message names the file and what to fix."""


def _read(path: Path, parse):
    if not path.exists():
        raise ReleaseError(f"{path.name} is missing; the book's version is stated in pyproject.toml, CITATION.cff, "
                           ".zenodo.json and CHANGELOG.md")
    try:
        return parse(path.read_text())
    except (ValueError, yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise ReleaseError(f"{path.name} cannot be read ({type(exc).__name__}: {exc}); fix its syntax") from None


def _changelog(text: str) -> tuple[str, str]:
    heading = CHANGELOG_HEADING.search(text)
    if heading is None:
        raise ValueError("no release heading such as '## 0.2.0 — 2026-12-07'")
    return heading.group(1), heading.group(2)


def versions(root: Path = REPO_ROOT) -> dict[str, tuple[str, str | None]]:
    """File name -> (version, release date or None) as each release file states them."""
    project = _read(root / "pyproject.toml", tomllib.loads)["project"]
    citation = _read(root / "CITATION.cff", yaml.safe_load)
    zenodo = _read(root / ".zenodo.json", json.loads)
    return {"pyproject.toml": (str(project["version"]), None),
            "CITATION.cff": (str(citation["version"]), str(citation["date-released"])),
            ".zenodo.json": (str(zenodo["version"]), str(zenodo["publication_date"])),
            "CHANGELOG.md": _read(root / "CHANGELOG.md", _changelog)}


def problems(root: Path = REPO_ROOT) -> list[str]:
    """Each file whose version or release date differs from ``pyproject.toml`` and ``CHANGELOG.md``'s newest entry."""
    try:
        stated = versions(root)
    except ReleaseError as exc:
        return [str(exc)]
    version = stated["pyproject.toml"][0]
    date = stated["CHANGELOG.md"][1]
    out = [f"{name} says version {v}, pyproject.toml says {version}" for name, (v, _) in stated.items() if v != version]
    out += [f"{name} dates the release {d}, CHANGELOG.md's newest entry {date}"
            for name, (_, d) in stated.items() if d is not None and d != date]
    for page in ("README.md", "book/how-to-cite.md"):  # the citations printed for readers
        cited = set(re.findall(r"\(Version (\d+\.\d+\.\d+)\)", (root / page).read_text())) if (root / page).exists() else set()
        out += [f"{page} cites version {v}, pyproject.toml says {version}" for v in sorted(cited - {version})]
    return out


def build_commit(root: Path = REPO_ROOT) -> str:
    """The short commit hash of ``root``'s checkout, or "no git checkout" (:func:`medcrypt.results.git_commit`)."""
    return git_commit(root)


def front_line(root: Path = REPO_ROOT, today: datetime.date | None = None) -> str:
    """The front page's line: version and release date, then this build's date and commit."""
    version, released = versions(root)["CHANGELOG.md"]
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    return (f"**Version {version}** (released {released}; see the changelog in the repository). "
            f"This copy was built on {today.isoformat()} from commit `{build_commit(root)}`.")
