"""One version across the release files (medcrypt.book.release), and the front page that shows it."""

import datetime
import json
import shutil

import pytest

from medcrypt.book import release, runner
from medcrypt.paths import REPO_ROOT

FILES = ("pyproject.toml", "CITATION.cff", ".zenodo.json", "CHANGELOG.md", "README.md")


@pytest.fixture
def copy(tmp_path):
    for name in FILES:
        shutil.copy2(REPO_ROOT / name, tmp_path / name)
    return tmp_path


def test_the_repository_states_one_version_and_one_date():
    assert release.problems() == []
    stated = release.versions()
    assert len({version for version, _ in stated.values()}) == 1
    assert len({date for _, date in stated.values() if date is not None}) == 1


def test_a_file_with_another_version_is_named(copy):
    (copy / "CITATION.cff").write_text((copy / "CITATION.cff").read_text().replace("version: 0.", "version: 9."))
    assert [p for p in release.problems(copy) if p.startswith("CITATION.cff says version 9.")]


def test_a_release_date_that_differs_is_named(copy):
    data = json.loads((copy / ".zenodo.json").read_text())
    data["publication_date"] = "1999-01-01"
    (copy / ".zenodo.json").write_text(json.dumps(data))
    assert release.problems(copy) == [f".zenodo.json dates the release 1999-01-01, CHANGELOG.md's newest entry "
                                      f"{release.versions()['CHANGELOG.md'][1]}"]


@pytest.mark.parametrize("name, damage, says", [
    (".zenodo.json", "{not json", ".zenodo.json cannot be read"),
    ("CHANGELOG.md", "# Changelog\n\nnothing released\n", "CHANGELOG.md cannot be read"),
    ("CITATION.cff", None, "CITATION.cff is missing"),
])
def test_a_missing_or_broken_file_gets_an_error_that_names_it(copy, name, damage, says):
    if damage is None:
        (copy / name).unlink()
    else:
        (copy / name).write_text(damage)
    assert release.problems(copy)[0].startswith(says)


def test_the_front_page_shows_the_version_and_this_build(tmp_path):
    source = runner.stage(tmp_path)
    front = (source / "book" / "intro.md").read_text()
    version, released = release.versions()["CHANGELOG.md"]
    assert release.VERSION_MARKER not in front
    assert f"**Version {version}** (released {released}" in front
    assert f"built on {datetime.datetime.now(datetime.timezone.utc).date().isoformat()}" in front
    assert f"commit `{release.build_commit()}`" in front
    assert release.VERSION_MARKER in (REPO_ROOT / "book" / "intro.md").read_text()  # the source stays clean


def test_a_printed_citation_of_another_version_is_named(copy):
    readme = (copy / "README.md").read_text()
    (copy / "README.md").write_text(readme.replace("(Version 0.", "(Version 7."))
    assert [p for p in release.problems(copy) if p.startswith("README.md cites version 7.")]
