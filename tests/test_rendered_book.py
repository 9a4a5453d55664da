"""The built book in a real browser: headless Chromium visits every chapter page over localhost.

Runs after the build (``make test`` calls ``pytest -m browser``); the default test run
skips it. Screenshots of every page go to ``_build/screenshots/``.
"""

import json
import time
from pathlib import Path

import pytest

from medcrypt.book import site
from medcrypt.book import runner as book

pytestmark = pytest.mark.browser
HTML = book.BUILD_DIR / "_build" / "html"
SHOTS = book.BUILD_DIR / "screenshots"


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
        k: {key: v[key] for key in ("title", "colab", "warnings", "tracebacks", "placeholders")} |
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
    assert (SHOTS / f"{chapter}.png").stat().st_size > 10_000


def test_front_page_renders(pages):
    assert "Reproducible Survey" in pages["index"]["text"]
    assert not pages["index"]["warnings"]
