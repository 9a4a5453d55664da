"""Offline checks of the built book: internal links, the Colab cell, the citation forms."""

import shutil
import subprocess
from pathlib import Path

import pytest

from medcrypt.book import release, site

REPO = Path(__file__).resolve().parents[1]


def _page(path: Path, body: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body>{body}</body></html>")


def test_check_links_finds_broken_links_missing_images_and_anchors(tmp_path):
    _page(tmp_path / "index.html", '<a href="notebooks/a.html#results">ok</a> <a href="https://example.org/x">ext</a>'
          '<img src="_images/plot.png"> <a href="#top">top</a><span id="top"></span>')
    _page(tmp_path / "notebooks" / "a.html", '<h2 id="results">R</h2><a href="../missing.html">gone</a>'
          '<img src="../_images/absent.png"><a href="../index.html#nowhere">bad anchor</a>')
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "plot.png").write_bytes(b"png")
    _page(tmp_path / "_static" / "template.html", '<link href="{{ pathto(x) }}">')  # theme templates are skipped
    problems = site.check_links(tmp_path)
    assert len(problems) == 3
    assert any("missing.html" in p for p in problems) and any("absent.png" in p for p in problems)
    assert any("no anchor #nowhere" in p for p in problems)
    with pytest.raises(FileNotFoundError, match="no built book"):
        site.check_links(tmp_path / "notebooks")


def test_every_chapter_has_a_guarded_colab_install_cell_for_the_repository():
    from medcrypt.book import runner as book

    for chapter in book.chapters():
        target = site.colab_install_target(REPO / "notebooks" / f"{chapter}.ipynb")
        assert target == "git+" + book.repository_url() + ".git"


def test_citation_forms_match_the_cff_and_the_how_to_cite_page():
    forms = site.citation_forms()
    page = (REPO / "book" / "how-to-cite.md").read_text()
    assert forms["bibtex"] in page, "book/how-to-cite.md must show the BibTeX built from CITATION.cff"
    assert forms["apa"] in page, "book/how-to-cite.md must show the APA form built from CITATION.cff"
    assert "Naranjo-Velasco, K., & Choi, J. (2026)." in forms["apa"]
    assert f"version = {{{release.versions()['pyproject.toml'][0]}}}" in forms["bibtex"]


@pytest.mark.skipif(shutil.which("cffconvert") is None and not (REPO / ".venv" / "bin" / "cffconvert").exists(),
                    reason="cffconvert is not installed")
def test_citation_cff_validates():
    exe = shutil.which("cffconvert") or str(REPO / ".venv" / "bin" / "cffconvert")
    result = subprocess.run([exe, "--validate", "-i", str(REPO / "CITATION.cff")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_first_screen_has_the_online_book_colab_and_citation():
    from medcrypt.book import runner as book

    first_screen = "\n".join((REPO / "README.md").read_text().splitlines()[:25])
    assert book.pages_url() in first_screen
    for chapter in book.chapters():
        assert book.colab_url(chapter) in first_screen
    assert "CITATION.cff" in first_screen and site.citation_forms()["apa"].split(" *")[0] in first_screen
    assert f'url: "{book.pages_url()}"' in (REPO / "CITATION.cff").read_text()


def test_workflows_run_exactly_the_makefile_commands():
    import yaml

    folder = REPO / ".github" / "workflows"
    flows = {path.stem: yaml.safe_load(path.read_text()) for path in folder.glob("*.yml")}
    runs = {name: [step["run"] for job in flow["jobs"].values() for step in job["steps"] if "run" in step]
            for name, flow in flows.items()}
    assert runs == {"ci": ["make test"], "book": ["make book PROFILE=full"], "scheduled": ["make book PROFILE=full"]}
    triggers = {name: flow[True] if True in flow else flow["on"] for name, flow in flows.items()}  # YAML 1.1: on = True
    assert {"push", "pull_request"} <= set(triggers["ci"]) and "schedule" in triggers["scheduled"]
    uses = [step.get("uses", "") for job in flows["book"]["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
