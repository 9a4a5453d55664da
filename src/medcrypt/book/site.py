"""Checks of the built book as readers meet it: links, a real browser, the Colab path, the citation.

* :func:`check_links`: every internal link and image of the HTML resolves (offline).
* :func:`serve` and :func:`inspect_page`: the HTML served on localhost and read by headless
  Chromium (Debian's ``chromium`` and ``chromedriver``; a browser download is impossible
  offline), page by page.
* :func:`colab_path`: a fresh virtual environment with only what a chapter's Colab install
  cell installs, then the chapter run by papermill.
* :func:`citation_forms`: the BibTeX and APA forms of ``CITATION.cff`` that the
  how-to-cite page must show.
* :func:`external_resources`: scripts, images, styles and fonts that a page would fetch
  from another host (none: the book reads offline, MathJax included).
* :func:`pdf_pages`, :func:`pdf_defects`, :func:`chapter_pages`, :func:`pdf_images`, :func:`ink`:
  the PDF read back with poppler (text, images, rendered pages), for ``tests/test_pdf.py``.
* :func:`setup`: a Sphinx extension (listed in ``_config.yml``) that shows the chapters'
  Colab badge from the book's own static files instead of colab.research.google.com.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from ..paths import REPO_ROOT


# ------------------------------------------------------------------ internal links

class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name"):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and name == "href" and attrs.get("rel") == "canonical"):
                self.links.append((tag, attrs[name]))


def check_links(html_dir: str | Path) -> list[str]:
    """Broken internal links, missing images and missing anchors in the built HTML ("" problems when sound)."""
    root = Path(html_dir)
    if not (root / "index.html").exists():
        raise FileNotFoundError(f"{root} holds no built book (index.html); run `make book` or `make test` first")
    # _static/ holds the theme's Jinja templates (not pages) and _sources/ the page sources.
    pages = {path: _Collector() for path in root.rglob("*.html")
             if not path.relative_to(root).parts[0] in ("_static", "_sources")}
    for path, collector in pages.items():
        collector.feed(path.read_text(errors="replace"))
    problems = []
    for path, collector in pages.items():
        for tag, target in collector.links:
            parts = urlsplit(target)
            if parts.scheme or target.startswith(("//", "mailto:", "data:", "javascript:")):
                continue  # external: not checked offline
            file = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if file.is_dir():
                file = file / "index.html"
            where = f"{path.relative_to(root)}: <{tag}> {target}"
            if not file.exists():
                problems.append(f"{where}: missing {file.relative_to(root.resolve()) if file.is_relative_to(root.resolve()) else file}")
            elif parts.fragment and file.suffix == ".html" and file in pages and \
                    unquote(parts.fragment) not in pages[file].ids:
                problems.append(f"{where}: no anchor #{parts.fragment}")
    return problems


# ------------------------------------------------------------------ nothing fetched from another host

#: Tags whose attribute a browser fetches while showing the page (a link a reader clicks is not one).
FETCHED = {("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"), ("source", "src"),
           ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("input", "src")}
CSS_URL = re.compile(r"""url\(\s*['"]?((?:https?:)?//[^'")\s]+)|@import\s+['"]((?:https?:)?//[^'"]+)""")


class _Fetched(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value and ((tag, name) in FETCHED or (tag == "link" and name == "href" and
                                                     {"stylesheet", "preload", "icon", "modulepreload"}
                                                     & set((attrs.get("rel") or "").split()))):
                self.urls.append(f"<{tag} {name}> {value}")
        self.urls.extend(f"<{tag} style> {u}" for m in CSS_URL.finditer(attrs.get("style") or "") for u in m.groups() if u)

    def handle_data(self, data):  # inline <style> blocks
        self.urls.extend(f"<style> {u}" for m in CSS_URL.finditer(data) for u in m.groups() if u)


def _remote(target: str) -> bool:
    return bool(re.match(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", target.split("> ", 1)[-1], re.I))


def external_resources(html_dir: str | Path) -> list[str]:
    """What a page or a style sheet of the built book would fetch from another host ("" problems when none).

    Offline, a script from a CDN leaves raw TeX on the page and a remote image a broken icon,
    so every script, image, style sheet and font must come from the build itself.
    """
    root = Path(html_dir)
    problems = []
    for path in sorted(root.rglob("*.html")):
        if path.relative_to(root).parts[0] in ("_sources",):
            continue
        collector = _Fetched()
        collector.feed(path.read_text(errors="replace"))
        problems.extend(f"{path.relative_to(root)}: {url}" for url in collector.urls if _remote(url))
    for path in sorted(root.rglob("*.css")):
        for match in CSS_URL.finditer(path.read_text(errors="replace")):
            problems.extend(f"{path.relative_to(root)}: url({u})" for u in match.groups() if u)
    return problems


#: The image of the Colab badge in each chapter's first cell, and the local copy the pages show instead.
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
LOCAL_BADGE = "/book/_static/colab-badge.svg"


def _local_badge(app, doctree):
    from docutils import nodes

    for image in doctree.findall(nodes.image):
        if image.get("uri") == COLAB_BADGE:
            image["uri"] = LOCAL_BADGE
            image.attributes.pop("candidates", None)


def _for_the_pdf(app, doctree, docname):
    """The PDF's form of a page: the Colab badge as the words of its link (LaTeX takes no SVG
    without ImageMagick), and no code a page folds away (``hide-input``, ``hide-cell``): paper cannot unfold it."""
    from docutils import nodes

    if app.builder.format == "html":
        return
    for image in list(doctree.findall(nodes.image)):
        if image.get("uri") == COLAB_BADGE or image.get("uri", "").lstrip("/") == LOCAL_BADGE.lstrip("/"):
            image.replace_self(nodes.Text(image.get("alt") or "Open in Colab"))
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") == "cell_code" and cell.get("hide_mode") in ("input", "input+output", "all"):
            for child in list(cell.children):
                if child.get("nb_element") == "cell_code_source":
                    cell.remove(child)


def setup(app):
    """Sphinx extension: the chapters' Colab badge comes from the book's static files (it reads offline).

    The notebooks keep the usual badge URL (GitHub and Jupyter show it); only the pages
    swap it, when a page is read and before Sphinx collects its images (priority below the
    collector's 500). The doctrees serve every builder, so the PDF's writer, when it
    resolves a page, turns the badge into the words of its link and leaves out folded code.
    """
    app.connect("doctree-read", _local_badge, priority=400)
    app.connect("doctree-resolved", _for_the_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# ------------------------------------------------------------------ serving and a real browser

@contextlib.contextmanager
def serve(html_dir: str | Path):
    """Serve ``html_dir`` on a free localhost port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def chromium_driver(width: int = 1280, height: int = 2000):
    """Headless Chromium through Selenium, with the system browser and driver (no download)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        raise RuntimeError("the browser check needs Debian's chromium and chromium-driver: "
                           "apt-get install -y chromium chromium-driver (.ci/run does this when they are missing)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 f"--window-size={width},{height}", "--disable-background-networking", "--no-first-run"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


#: Text that must never appear on a rendered page.
PLACEHOLDERS = re.compile(r"(?<![\w.])(nan|NaN|None)(?![\w.])")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|-{10,}\n\w+(Error|Exception)\s")


def inspect_page(driver, url: str, screenshot: str | Path | None = None) -> dict:
    """What a reader sees on one page: tables, figures, the Colab link, error boxes, maths left as raw TeX."""
    driver.get(url)
    for _ in range(50):  # wait for images to finish loading
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    # MathJax (bundled, see _config.yml) typesets after the load: wait for it, then count maths left as raw TeX.
    driver.set_script_timeout(20)
    driver.execute_async_script("""const done = arguments[arguments.length - 1];
        (window.MathJax && MathJax.startup && MathJax.startup.promise ? MathJax.startup.promise : Promise.resolve())
            .then(() => done(true), () => done(false));""")
    maths = driver.execute_script("""const all = document.querySelectorAll('article span.math, article div.math');
        return [all.length, Array.from(all).filter(m => !m.querySelector('mjx-container')).length];""")
    body = driver.find_element("tag name", "body").text
    tables = driver.execute_script("""
        return Array.from(document.querySelectorAll('article table')).map(t => t.innerText);""")
    images = driver.execute_script("""
        return Array.from(document.querySelectorAll('article img')).map(i => ({src: i.src,
            loaded: i.complete && i.naturalWidth > 0}));""")
    colab = driver.execute_script("""
        return Array.from(document.querySelectorAll('a[href*="colab.research.google.com"]')).map(a => a.href);""")
    warnings = driver.execute_script("""
        return Array.from(document.querySelectorAll('.system-message, .problematic, div.error'))
                    .map(e => e.innerText.slice(0, 200));""")
    outputs = driver.execute_script("""
        return Array.from(document.querySelectorAll('.cell_output')).map(e => e.innerText).join('\\n');""")
    error_outputs = driver.execute_script("""
        return document.querySelectorAll('.cell_output .traceback, .cell_output .output.error').length;""")
    if screenshot is not None:
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1280, min(max(height, 800), 16000))
        driver.save_screenshot(str(screenshot))
    return {"title": driver.title, "text": body, "tables": tables, "images": images, "colab": colab,
            "warnings": warnings, "tracebacks": bool(error_outputs or TRACEBACK.search(outputs)),
            "maths": maths[0], "raw_maths": maths[1],
            "numeric_tables": [t for t in tables if re.search(r"\d\.\d", t)],
            "placeholders": sorted({m.group(0) for t in tables for m in PLACEHOLDERS.finditer(t)})}


# ------------------------------------------------------------------ the Colab path

def colab_install_target(notebook: str | Path) -> str:
    """The package that a chapter's Colab cell installs (its ``pip install`` argument)."""
    import nbformat

    cell = next(c for c in nbformat.read(str(notebook), as_version=4).cells if c.cell_type == "code")
    if 'if "google.colab" in sys.modules' not in cell.source:
        raise ValueError(f"{notebook}: the first code cell is not the guarded Colab install cell")
    found = re.search(r'"(git\+https://[^"]+)"', cell.source)
    if not found:
        raise ValueError(f"{notebook}: the Colab cell installs no git+https package")
    return found.group(1)


def colab_path(chapter: str | list[str] = "01_metrics", workdir: str | Path | None = None,
               profile_parameters: dict | None = None, python: str = sys.executable) -> dict:
    """Simulate chapters' Colab runs: a fresh venv with only their install cell's package, then papermill.

    The repository is installed from this checkout as a stand-in for the ``git+https``
    URL of the cell (no network). papermill and ipykernel are added as the harness that
    Colab's own runtime provides. Several chapters (a list) share one install, as they
    would share one Colab runtime. Returns the timings; raises if a chapter fails.
    """
    from . import runner as book

    chapters = [chapter] if isinstance(chapter, str) else list(chapter)
    notebooks = {name: REPO_ROOT / book.NOTEBOOK_DIR / f"{name}.ipynb" for name in chapters}
    targets = {colab_install_target(nb) for nb in notebooks.values()}
    if len(targets) != 1:
        raise ValueError(f"the chapters' Colab cells install different packages: {sorted(targets)}")
    workdir = Path(workdir or REPO_ROOT / "_build" / "colab-path")
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    venv = workdir / "venv"
    start = time.perf_counter()
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    # --no-compile: pip would byte-compile every module of torch and its CUDA wheels up front (measured:
    # the install's CPU time fell from 143 s to 85 s without it); Python compiles what a chapter imports.
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-compile"]
    # The cell runs `pip install git+<repository>`; this checkout stands in for the repository.
    subprocess.run(pip + [str(REPO_ROOT)], check=True)
    subprocess.run(pip + ["papermill", "ipykernel"], check=True)
    installed = time.perf_counter() - start
    import papermill

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    runs = {}
    for name, notebook in notebooks.items():
        parameters = {"profile": "ci", "results_dir": str(workdir / "results"), "weights_dir": str(workdir / "weights"),
                      **book.PROFILES["ci"].get(name, {}), **(profile_parameters or {})}
        declared = papermill.inspect_notebook(str(notebook))
        (workdir / f"{name}.yaml").write_text(yaml.safe_dump({k: v for k, v in parameters.items() if k in declared}))
        command = [str(venv / "bin" / "papermill"), str(notebook), str(workdir / f"{name}.ipynb"), "-k", "python3",
                   "--cwd", str(workdir), "-f", str(workdir / f"{name}.yaml"), "--no-progress-bar"]
        run_start = time.perf_counter()
        subprocess.run(command, check=True, env=env, cwd=workdir)
        runs[name] = time.perf_counter() - run_start
    return {"chapters": chapters, "install_target": targets.pop(), "install_s": installed, "run_s": runs,
            "output": str(workdir)}


# ------------------------------------------------------------------ the PDF

#: What a PDF shows when something went wrong: an unresolved reference, raw markup, an error, or the
#: repr of an object that had no text form (a table shown only as HTML).
PDF_DEFECTS = re.compile(r"\?\?|\\(?:begin|end)\{|\\(?:hyperref|detokenize|sphinx\w+)\b|Undefined control sequence"
                         r"|<[\w.]+ (?:object )?at 0x[0-9a-fA-F]+>")
#: The same in the LaTeX log: errors, unresolved references and glyphs the fonts lack.
LOG_DEFECTS = re.compile(r"^! .*|Undefined control sequence|LaTeX Warning: (?:Reference|Citation) .* undefined.*"
                         r"|Missing character: There is no .*", re.M)


def pdf_pages(pdf: str | Path) -> list[str]:
    """The text of each page of ``pdf`` (poppler's ``pdftotext``), in order."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def pdf_defects(text: str) -> list[str]:
    """Raw LaTeX, ``??`` of unresolved references and error text in a PDF's text ("" when clean)."""
    return [m.group(0) for m in PDF_DEFECTS.finditer(text)]


def log_defects(log: str) -> list[str]:
    return [m.group(0).strip() for m in LOG_DEFECTS.finditer(log)]


def chapter_pages(pages: list[str], title: str, next_title: str | None) -> range:
    """The pages (0-based) from the one that opens a chapter titled ``title`` to the one before ``next_title``.

    A chapter opens on the first page whose first lines hold its title (later pages repeat
    it in their running head) and that is not a page of the table of contents (dot leaders).
    """
    def opens(page: str, heading: str) -> bool:
        return heading.lower() in " ".join(page.split()[:40]).lower() and not re.search(r"(?:\. ){4}", page)

    start = min((i for i, page in enumerate(pages) if opens(page, title)), default=None)
    if start is None:
        raise ValueError(f"no page opens the chapter {title!r}")
    stop = next((i for i in range(start + 1, len(pages)) if next_title and opens(pages[i], next_title)), len(pages))
    return range(start, stop)


def pdf_images(pdf: str | Path, pages: range) -> int:
    """How many images (figures) ``pdfimages`` finds on ``pages`` (0-based) of ``pdf``."""
    listing = subprocess.run(["pdfimages", "-list", "-f", str(pages.start + 1), "-l", str(pages.stop), str(pdf)],
                             check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    return sum(1 for line in listing if line.split()[2] == "image")


def ink(pdf: str | Path, page: int, dpi: int = 40) -> float:
    """Share of the non-white pixels on one page (0-based) of ``pdf``, rendered by ``pdftoppm``."""
    import io

    import numpy as np
    from PIL import Image

    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(page + 1), "-l", str(page + 1),
                          str(pdf)], check=True, capture_output=True).stdout
    pixels = np.asarray(Image.open(io.BytesIO(png)))
    return float((pixels < 200).mean())


# ------------------------------------------------------------------ the citation

def citation_forms(cff: str | Path = REPO_ROOT / "CITATION.cff") -> dict[str, str]:
    """BibTeX and APA citations built from ``CITATION.cff``, as the how-to-cite page prints them."""
    data = yaml.safe_load(Path(cff).read_text())
    authors = data["authors"]
    year = str(data["date-released"])[:4]
    bib_authors = " and ".join(f"{a['family-names']}, {a['given-names']}" for a in authors)
    key = "_".join(a["family-names"].lower().replace("-", "_") for a in authors) + f"_{year}"
    bibtex = "\n".join([
        f"@software{{{key},",
        f"  author  = {{{bib_authors}}},",
        f"  title   = {{{data['title']}}},",
        f"  year    = {{{year}}},",
        f"  version = {{{data['version']}}},",
        f"  url     = {{{data['repository-code']}}}",
        "}",
    ])
    initials = [f"{a['family-names']}, {'. '.join(p[0] for p in a['given-names'].split())}." for a in authors]
    names = initials[0] if len(initials) == 1 else ", ".join(initials[:-1]) + ", & " + initials[-1]
    apa = f"{names} ({year}). *{data['title']}* (Version {data['version']}) [Computer software]. " \
          f"{data['repository-code']}"
    return {"bibtex": bibtex, "apa": apa}


def main(argv: list[str] | None = None) -> int:
    import argparse

    from . import runner as book

    parser = argparse.ArgumentParser(prog="python -m medcrypt.book.site", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("links", help="check internal links and images of the built HTML, and that it fetches nothing from another host")
    colab = sub.add_parser("colab", help="run chapters the way Colab would, in one fresh virtual environment")
    colab.add_argument("--chapter", nargs="+", default=["01_metrics"])
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.command == "links":
        html = book.BUILD_DIR / "_build" / "html"
        problems = check_links(html)
        remote = external_resources(html)
        pages = len([p for p in html.rglob("*.html") if p.relative_to(html).parts[0] not in ("_static", "_sources")])
        for problem in problems:
            print(f"[links] {problem}")
        for problem in remote:
            print(f"[links] fetched from another host: {problem}")
        print(f"[links] {pages} pages, {len(problems)} broken internal links or images, {len(remote)} scripts, "
              f"images or styles from another host ({time.perf_counter() - start:.1f} s)")
        return 1 if problems or remote else 0
    outcome = colab_path(args.chapter)
    ran = ", ".join(f"{name} in {seconds:.0f} s" for name, seconds in outcome["run_s"].items())
    print(f"[colab] installed {outcome['install_target']} (stand-in: this checkout) in {outcome['install_s']:.0f} s; "
          f"ran {ran}; executed copies in {outcome['output']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
