"""The built book in a real browser: headless Chromium visits every chapter page over localhost.

Runs after the build (``make test`` calls ``pytest -m browser``); the default test run
skips it. Screenshots of every page go to ``_build/screenshots/``.
"""

import json
import os
import time
from pathlib import Path

import pytest

from medcrypt.book import site
from medcrypt.book import runner as book

pytestmark = pytest.mark.browser
BUILD = Path(os.environ.get("BOOK_BUILD_DIR", book.BUILD_DIR))  # another build folder: BOOK_BUILD_DIR=...
HTML = BUILD / "_build" / "html"
SHOTS = BUILD / "screenshots"


@pytest.fixture(scope="module")
def pages():
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built book in {HTML}; run `make test` (or `python -m medcrypt.book all --profile ci`) first")
    SHOTS.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    reports = {}
    with site.serve(HTML) as base:
        driver = site.chromium_driver()
        try:
            for chapter in book.chapters():
                reports[chapter] = site.inspect_page(driver, f"{base}/notebooks/{chapter}.html",
                                                     screenshot=SHOTS / f"{chapter}.png")
            reports["index"] = site.inspect_page(driver, f"{base}/index.html", screenshot=SHOTS / "index.png")
        finally:
            driver.quit()
    seconds = time.perf_counter() - start
    (SHOTS / "report.json").write_text(json.dumps({"seconds": seconds, "pages": {
        k: {key: v[key] for key in ("title", "colab", "warnings", "tracebacks", "placeholders", "maths", "raw_maths")} |
        {"tables": len(v["tables"]), "numeric_tables": len(v["numeric_tables"]),
         "images": len(v["images"]), "images_loaded": sum(i["loaded"] for i in v["images"])}
        for k, v in reports.items()}}, indent=2))
    print(f"[browser] {len(reports)} pages in {seconds:.1f} s; screenshots in {SHOTS}")
    return reports


@pytest.mark.parametrize("chapter", book.chapters())
def test_chapter_page_renders_with_live_numbers_figures_and_a_colab_link(pages, chapter):
    page = pages[chapter]
    number = int(chapter.split("_")[0])  # 0: the survey's front matter, which is not numbered
    assert page["title"].startswith(f"{number}." if number else "How this survey was made"), \
        f"{chapter}: unexpected page title {page['title']!r}"
    assert page["numeric_tables"], f"{chapter}: no table with numbers on the page"
    assert not page["placeholders"], f"{chapter}: tables show {page['placeholders']}"
    assert any(image["loaded"] for image in page["images"]), f"{chapter}: no figure image loaded"
    assert page["colab"] and all(link.endswith(f"notebooks/{chapter}.ipynb") for link in page["colab"]), \
        f"{chapter}: Colab links {page['colab']} must open notebooks/{chapter}.ipynb"
    assert not page["tracebacks"], f"{chapter}: a cell output shows a Python traceback"
    assert not page["warnings"], f"{chapter}: Sphinx warning boxes: {page['warnings']}"
    assert not page["raw_maths"], f"{chapter}: {page['raw_maths']} of {page['maths']} formulas left as raw TeX " \
        "(MathJax is bundled in book/_static/mathjax and must load from there)"
    assert (SHOTS / f"{chapter}.png").stat().st_size > 10_000


#: The text of an element up to its first formula after some words (a typeset formula reads differently in
#: .text and in the DOM); a formula before any word is skipped, so a solution may open with one.
LEADING_WORDS = """const out = [];
    const walk = n => { if (n.nodeType === 1 && n.matches('.math, mjx-container, script')) {
                          if (out.join('').trim()) throw 0; return; }
                        if (n.nodeType === 3) out.push(n.textContent); n.childNodes.forEach(walk); };
    try { walk(arguments[0]); } catch (stop) {}
    return out.join(' ');"""


def test_folded_solutions_stay_hidden_until_clicked():
    """Chapter 1's solutions are folded (`:class: dropdown`): a reader sees none until a click opens it."""
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built book in {HTML}; run `make test` first")
    with site.serve(HTML) as base:
        driver = site.chromium_driver(height=1200)
        try:
            driver.get(f"{base}/notebooks/01_metrics.html")
            for _ in range(50):
                if driver.execute_script("return document.readyState") == "complete":
                    break
                time.sleep(0.1)
            solutions = driver.find_elements("css selector", "div.solution.dropdown")
            assert len(solutions) >= 3, "chapter 1 ends with at least three folded solutions"
            for solution in solutions:
                content = solution.find_element("css selector", ".admonition-title ~ *")
                words = " ".join(driver.execute_script(LEADING_WORDS, content).split()[:6])
                assert words, "a solution with no text"
                assert not content.is_displayed() and words not in solution.text, f"shown before a click: {words!r}"
                button = solution.find_element("css selector", ".admonition-title button.toggle-button")
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
                button.click()
                for _ in range(40):
                    if content.is_displayed():
                        break
                    time.sleep(0.05)
                assert content.is_displayed() and words in " ".join(solution.text.split()), \
                    f"still hidden after the click: {words!r}"
        finally:
            driver.quit()


def test_front_page_renders(pages):
    assert "Reproducible Survey" in pages["index"]["text"]
    assert not pages["index"]["warnings"]
