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


def test_glued_text_is_not_bold():
    """MyST-NB's own stylesheet sets {glue:text} in bold; the book's stylesheet, loaded after it, undoes that."""
    import re

    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "_config.yml").read_text())["sphinx"]["config"]
    static = Path(__file__).resolve().parents[1] / config["html_static_path"][0]
    css = "".join((static / name).read_text() for name in config.get("html_css_files", []))
    rule = re.search(r"span\.pasted-text\s*\{([^}]*)\}", css)
    assert rule and re.search(r"font-weight:\s*(inherit|normal)", rule.group(1)), "glued text would render bold"


def test_external_resources_finds_what_a_page_fetches_from_another_host(tmp_path):
    _page(tmp_path / "index.html", '<a href="https://example.org/paper">a link is clicked, not fetched</a>'
          '<script src="_static/mathjax/tex-mml-chtml.js"></script><img src="_images/plot.png">'
          '<link rel="stylesheet" href="_static/theme.css"><link rel="canonical" href="https://x.github.io/book/">')
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "theme.css").write_text("body { background: url('../_images/local.png'); }")
    assert site.external_resources(tmp_path) == []
    _page(tmp_path / "notebooks" / "a.html",
          '<script defer src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>'
          f'<img alt="Open in Colab" src="{site.COLAB_BADGE}"><link rel="stylesheet" href="//fonts.example.com/f.css">'
          '<div style="background: url(https://example.org/bg.png)"></div>')
    (tmp_path / "_static" / "fonts.css").write_text("@import 'https://fonts.googleapis.com/css?family=Lato';")
    problems = site.external_resources(tmp_path)
    assert len(problems) == 5, problems
    assert any("cdn.jsdelivr.net" in p for p in problems) and any("colab-badge.svg" in p for p in problems)
    assert any("fonts.googleapis.com" in p and p.startswith("_static/fonts.css") for p in problems)


def test_pages_show_a_local_colab_badge_and_bundled_mathjax():
    import yaml
    from docutils import nodes
    from docutils.utils import new_document

    doctree = new_document("page")
    doctree += nodes.image(uri=site.COLAB_BADGE, alt="Open in Colab")
    doctree += nodes.image(uri="../_images/plot.png")
    site._local_badge(None, doctree)
    assert [image["uri"] for image in doctree.findall(nodes.image)] == [site.LOCAL_BADGE, "../_images/plot.png"]

    class Builder:
        format = "html"

    app = type("App", (), {"builder": Builder()})()
    site._for_the_pdf(app, doctree, "page")  # the pages keep the image
    assert len(list(doctree.findall(nodes.image))) == 2
    Builder.format = "latex"
    doctree.next_node(nodes.image)["uri"] = site.LOCAL_BADGE.lstrip("/")  # as Sphinx's image collector leaves it
    site._for_the_pdf(app, doctree, "page")  # the PDF gets the words
    assert [image["uri"] for image in doctree.findall(nodes.image)] == ["../_images/plot.png"]
    assert "Open in Colab" in doctree.astext()
    folded = nodes.container(nb_element="cell_code", hide_mode="input")
    folded += nodes.container(nb_element="cell_code_source")
    folded += nodes.container(nb_element="cell_code_output")
    shown = nodes.container(nb_element="cell_code")
    shown += nodes.container(nb_element="cell_code_source")
    doctree += [folded, shown]
    site._for_the_pdf(app, doctree, "page")  # the PDF leaves out folded code, not its output nor shown code
    assert [c["nb_element"] for c in folded.children] == ["cell_code_output"]
    assert [c["nb_element"] for c in shown.children] == ["cell_code_source"]
    assert (REPO / site.LOCAL_BADGE.lstrip("/")).read_text().lstrip().startswith("<svg")
    sphinx = yaml.safe_load((REPO / "_config.yml").read_text())["sphinx"]
    assert "medcrypt.book.site" in sphinx["extra_extensions"]
    static = REPO / sphinx["config"]["html_static_path"][0]
    mathjax = static / sphinx["config"]["mathjax_path"]
    assert mathjax.is_file() and "3.2.2" in mathjax.read_text()[:2_000_000], "the bundled MathJax must be 3.2.2"
    assert len(list((mathjax.parent / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))) >= 20
    assert (mathjax.parent / "input" / "tex" / "extensions" / "ams.js").is_file()


def test_the_front_page_links_the_pdf_that_the_build_ships():
    """book/intro.md links ../book.pdf; `python -m medcrypt.book pdf` copies the PDF there, and the link check
    (run after it in make test) fails when the file is missing."""
    from medcrypt.book import runner as book

    assert f'<a href="../{book.PDF_NAME}">' in (REPO / "book" / "intro.md").read_text()
    makefile = (REPO / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:")[1].split("\n\n")[0]
    assert test_recipe.index("pdf-check") < test_recipe.index("medcrypt.book.site links")
    assert test_recipe.index("medcrypt.book all") < test_recipe.index("pdf-check")
