"""Execute the book's chapters with papermill, then build the HTML with Jupyter Book 1.

    python -m medcrypt.book all --profile ci     # execute every chapter, then build
    python -m medcrypt.book execute --profile full --only 01_metrics
    python -m medcrypt.book build                 # rebuild HTML from the last execution
    python -m medcrypt.book pdf                   # the whole book as one PDF (needs TeX Live: make pdf)
    python -m medcrypt.book check                 # pairing, no outputs, Colab badge; the literature base

Everything is written under ``_build/`` (``source/`` holds the staged book with executed
notebooks, ``<profile>/results/`` the chapters' JSON, ``<profile>/weights/`` trained models,
``_build/html/`` the site built from the last execution), so a run never touches the
source tree. Each profile has its own results and weights, so chapters 8 and 9 never mix
a ``ci`` run's models or numbers with a ``full`` run's. Jupyter Book runs with execution
off, nit-picky and warnings as errors: a cell that raises, a missing glue key or a broken
reference fails the build.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from . import release
from .. import formatting
from ..paths import REPO_ROOT
BUILD_DIR = REPO_ROOT / "_build"
NOTEBOOK_DIR = "notebooks"
KERNEL = "python3"

# Parameters injected into each chapter's cell tagged `parameters`. The `full` profile is
# each notebook's own defaults; `ci` shrinks the work so the whole book runs in minutes on 2 CPU cores.
PROFILES: dict[str, dict[str, dict[str, Any]]] = {
    "ci": {
        "01_metrics": {"n_images": 300},
        "02_baselines": {"n_images": 200, "throughput_images": 1000, "throughput_repeats": 3},
        "03_gan": {"n_train": 640, "n_test": 200, "translation_epochs": 2, "keygen_epochs": 8, "keygen_samples": 1024,
                   "n_key_samples": 200},
        "04_autoencoder": {"n_train": 640, "n_test": 200, "keyed_epochs": 4, "latent_sizes": [16, 32, 98],
                           "hybrid_epochs": 3, "classifier_epochs": 3},
        "05_invertible": {"n_train": 128, "n_test": 100, "epochs": 1, "throughput_images": 200},
        "06_feedforward": {"n_train": 256, "n_test": 100, "epochs": 3, "fresh_eve_epochs": 2, "fresh_eve_hidden": 256,
                           "throughput_images": 200, "keystream_bits": 1_000_000, "spectrum_starts": 16,
                           "spectrum_iterations": 1000, "entropy_mantissas": [14, 16, 18, 20, 22, 24],
                           "entropy_pairs": 32},
        "07_learnable": {"n_train": 1000, "n_test": 200, "epochs": 3, "n_pairs": [100], "attack_steps": 60,
                         "jigsaw_counts": [2, 5, 10], "jigsaw_alone": 10, "jigsaw_images": 100},
        "08_attacks": {},  # the chapter reads its sizes from protocol.settings(profile): medcrypt.attacks.protocol
        "09_comparison": {"bench_images": 500, "bench_repeats": 1},
        "10_clinic": {"samples": ["CT_small.dcm", "MR_small.dcm"], "repeats": 8, "n_8bit": 100},
        "11_evaluate": {"images": 60},
    },
    "full": {},
}


#: A visible code cell is a few lines: longer logic belongs in src/medcrypt, bookkeeping is hidden.
MAX_VISIBLE_LINES = 15
#: A hidden cell has a cap too, so that nothing moves into hiding to escape the visible one.
MAX_HIDDEN_LINES = 25
#: Each chapter ends with this many ``{exercise}`` blocks, each with a folded ``{solution}``.
EXERCISES_PER_CHAPTER = range(3, 7)
HIDDEN_TAGS = {"hide-input", "remove-input", "remove-cell", "hide-cell"}


class BookError(RuntimeError):
    """The book could not be executed, built or checked; the message says what to fix."""


def config(root: Path = REPO_ROOT) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text())


def repository_url(root: Path = REPO_ROOT) -> str:
    """The one place the repository URL is set: ``repository.url`` in ``_config.yml``."""
    return config(root)["repository"]["url"].rstrip("/")


def colab_url(stem: str, root: Path = REPO_ROOT) -> str:
    cfg = config(root)["repository"]
    path = repository_url(root).removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/{cfg.get('branch', 'main')}/{NOTEBOOK_DIR}/{stem}.ipynb"


def chapters(root: Path = REPO_ROOT) -> list[str]:
    """Notebook stems in ``_toc.yml`` order (``01_metrics``, ...)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return [Path(f).name for f in files if f.startswith(f"{NOTEBOOK_DIR}/")]


# ------------------------------------------------------------------ checks

def check_notebooks(root: Path = REPO_ROOT) -> list[str]:
    """Problems with the paired notebooks; an empty list means all is well.

    Each ``notebooks/NN_name.py`` must have an ``.ipynb`` with the same cells, no outputs,
    a kernelspec (papermill needs it), a cell tagged ``parameters`` and, in its first
    cell, the Colab badge for its own path under the repository URL of ``_config.yml``.
    """
    import jupytext

    problems: list[str] = []
    folder = root / NOTEBOOK_DIR
    sources = sorted(folder.glob("*.py"))
    listed = set(chapters(root))
    for stem in listed - {p.stem for p in sources}:
        problems.append(f"_toc.yml lists {NOTEBOOK_DIR}/{stem} but {NOTEBOOK_DIR}/{stem}.py does not exist")
    for py in sources:
        ipynb = py.with_suffix(".ipynb")
        name = f"{NOTEBOOK_DIR}/{py.name}"
        if not ipynb.exists():
            problems.append(f"{name} has no paired .ipynb; run `jupytext --sync {name}`")
            continue
        text_nb = jupytext.read(py)
        json_nb = jupytext.read(ipynb)
        text_cells = [(c.cell_type, c.source.strip()) for c in text_nb.cells]
        json_cells = [(c.cell_type, c.source.strip()) for c in json_nb.cells]
        if text_cells != json_cells:
            problems.append(f"{ipynb.name} is out of sync with {py.name}; run `jupytext --sync {name}`")
        for cell in json_nb.cells:
            if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
                problems.append(f"{ipynb.name} carries outputs; clear them (`jupytext --sync {name}` "
                                "after `jupyter nbconvert --clear-output --inplace`)")
                break
        if json_nb.metadata.get("kernelspec", {}).get("name") != KERNEL:
            problems.append(f"{ipynb.name} has no '{KERNEL}' kernelspec; run `jupytext --set-kernel {KERNEL} {name}`")
        if not any("parameters" in c.metadata.get("tags", []) for c in json_nb.cells):
            problems.append(f"{ipynb.name} has no cell tagged 'parameters' for papermill")
        for number, cell in enumerate(json_nb.cells, 1):
            lines = len(cell.source.strip().splitlines())
            if cell.cell_type == "code" and lines > MAX_VISIBLE_LINES and not HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
                problems.append(f"{name}: cell {number} shows {lines} lines of code (at most {MAX_VISIBLE_LINES}); "
                                "move the logic into src/medcrypt or tag the cell hide-input if it is bookkeeping")
            if cell.cell_type == "code" and lines > MAX_HIDDEN_LINES and HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
                problems.append(f"{name}: hidden cell {number} has {lines} lines of code (at most {MAX_HIDDEN_LINES}); "
                                "move the logic into src/medcrypt with a test, and call it")
        if py.stem in listed:
            badge = colab_url(py.stem, root)
            if not json_nb.cells or badge not in json_nb.cells[0].source:
                problems.append(f"{ipynb.name}: the first cell must hold the Colab badge linking {badge}")
            install = repository_url(root) + ".git"
            if not any(install in c.source and "google.colab" in c.source for c in json_nb.cells):
                problems.append(f"{ipynb.name} needs a Colab-only install cell that installs git+{install}")
            problems.extend(check_exercises(name, py.read_text()))
    problems.extend(check_repository_links(root))
    return problems


EXERCISE = re.compile(r"^# ```\{exercise\}.*\n# :label: (\S+)", re.M)
SOLUTION = re.compile(r"^# ```\{solution\} (\S+)\n((?:# :\w+:.*\n)*)", re.M)


def check_exercises(name: str, source: str) -> list[str]:
    """A chapter ends with 3 to 6 labelled exercises, each with a solution folded by default."""
    labels = EXERCISE.findall(source)
    problems = []
    if len(labels) not in EXERCISES_PER_CHAPTER or len(labels) != source.count("```{exercise}"):
        problems.append(f"{name}: {source.count('```{exercise}')} exercise blocks, {len(labels)} with a `:label:` "
                        f"on their second line; a chapter ends with {EXERCISES_PER_CHAPTER.start} to "
                        f"{EXERCISES_PER_CHAPTER.stop - 1}, each labelled")
    solutions = {label: options for label, options in SOLUTION.findall(source)}
    for label in labels:
        if label not in solutions:
            problems.append(f"{name}: exercise `{label}` has no ```{{solution}} {label}``` block")
        elif ":class: dropdown" not in solutions[label]:
            problems.append(f"{name}: the solution of `{label}` must be folded (`:class: dropdown`)")
    return problems


def pages_url(root: Path = REPO_ROOT) -> str:
    """Where GitHub Pages publishes the book: https://<owner>.github.io/<repository>/."""
    owner, name = repository_url(root).split("github.com/")[1].split("/")[:2]
    return f"https://{owner}.github.io/{name}/"


GITHUB_REPO = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+")


def check_repository_links(root: Path = REPO_ROOT) -> list[str]:
    """Every GitHub repository link in the book's files must be the one in ``_config.yml``."""
    url = repository_url(root)
    files = [root / "README.md", root / "CITATION.cff", *sorted((root / "book").glob("*.md")),
             *sorted((root / NOTEBOOK_DIR).glob("*.py"))]
    problems = []
    for path in files:
        if not path.exists():
            continue
        for found in sorted(set(GITHUB_REPO.findall(path.read_text()))):
            if found.removesuffix(".git") != url:
                problems.append(f"{path.relative_to(root)} links {found}, but _config.yml's repository.url is {url}")
    return problems


# ------------------------------------------------------------------ execution

def stage(build_dir: Path = BUILD_DIR, root: Path = REPO_ROOT) -> Path:
    """Copy the book's prose and configuration into ``build_dir/source``."""
    source = build_dir / "source"
    (source / NOTEBOOK_DIR).mkdir(parents=True, exist_ok=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(root / name, source / name)
    shutil.copytree(root / "book", source / "book", dirs_exist_ok=True)
    front = source / "book" / "intro.md"
    if front.exists() and release.VERSION_MARKER in front.read_text():
        front.write_text(front.read_text().replace(release.VERSION_MARKER, release.front_line(root)))
    page = source / "book" / "reproducibility.md"
    log = build_dir / "execution_times.json"
    if page.exists() and TIMES_MARKER in page.read_text():
        times = chapter_times_markdown(json.loads(log.read_text()) if log.exists() else {}, chapters(root))
        page.write_text(page.read_text().replace(TIMES_MARKER, times))
    return source


def profile_dirs(profile: str, build_dir: Path = BUILD_DIR) -> dict[str, Path]:
    """The ``results_dir`` and ``weights_dir`` of ``profile``: ``build_dir/<profile>/results`` and ``.../weights``.

    Each profile keeps its own, so that chapters 8 and 9 of a run only see what chapters of
    the same profile wrote: a ``ci`` run after a ``full`` one must not attack or compare
    the other profile's models and numbers.
    """
    folder = (build_dir / profile).resolve()
    return {"results_dir": folder / "results", "weights_dir": folder / "weights"}


def execute(profile: str = "ci", only: list[str] | None = None, build_dir: Path = BUILD_DIR,
            root: Path = REPO_ROOT) -> dict[str, float]:
    """Run chapters in ``_toc.yml`` order under ``profile``; returns each chapter's wall time in seconds.

    Chapters get the profile's own results and weights folders (:func:`profile_dirs`); the
    executed notebooks all go to ``build_dir/source``, so the HTML shows the last execution.
    """
    import papermill

    from ..metrics import device_name

    if profile not in PROFILES:
        raise BookError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    names = chapters(root)
    if only:
        unknown = set(only) - set(names)
        if unknown:
            raise BookError(f"not in _toc.yml: {', '.join(sorted(unknown))}; chapters are {', '.join(names)}")
        names = [n for n in names if n in only]
    source = stage(build_dir, root)
    # Progress bars in an executed notebook are stored as text, one line per refresh, and
    # nobody watches them there: the kernel runs without them (tqdm reads TQDM_* defaults
    # from the environment); finish_page removes any that a call switched on explicitly.
    os.environ["TQDM_DISABLE"] = "1"
    folders = {k: str(v) for k, v in profile_dirs(profile, build_dir).items()}
    times: dict[str, float] = {}
    for name in names:
        output = source / NOTEBOOK_DIR / f"{name}.ipynb"
        source_nb = root / NOTEBOOK_DIR / f"{name}.ipynb"
        declared = papermill.inspect_notebook(str(source_nb))
        shared = {"profile": profile, **folders}
        parameters = {**{k: v for k, v in shared.items() if k in declared}, **PROFILES[profile].get(name, {})}
        print(f"[book] executing {name} ({profile}) with {parameters}", flush=True)
        start = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(source_nb), str(output), parameters=parameters,
                kernel_name=KERNEL, cwd=str(output.parent), progress_bar=False,
            )
        except papermill.PapermillExecutionError as exc:
            raise BookError(f"{name} raised during execution; the executed copy with the traceback is "
                            f"{output}\n{exc}") from None
        times[name] = round(time.perf_counter() - start, 1)
        finish_page(output, profile, times[name], Path(folders["results_dir"]) / f"{name}.json")
        print(f"[book] {name}: {times[name]} s", flush=True)
    log = build_dir / "execution_times.json"
    previous = json.loads(log.read_text()) if log.exists() else {}
    previous[profile] = {**previous.get(profile, {}), **times}
    previous.setdefault(RUN_KEY, {})[profile] = {"date": datetime.date.today().isoformat(), "device": device_name()}
    log.write_text(json.dumps(previous, indent=2))
    return times


RUN_KEY = "_runs"  # execution_times.json: profile -> chapter -> seconds, and under this key each profile's date/device
TIMES_MARKER = "<!-- chapter times: the runner writes the table here -->"


def chapter_times_markdown(log: dict, chapters_in_order: list[str]) -> str:
    """The reproducibility page's table of chapter wall times, from ``execution_times.json`` (never typed)."""
    profiles = [p for p in PROFILES if p in log]
    if not profiles:
        return "No chapter has been executed in this build folder yet."
    runs = log.get(RUN_KEY, {})
    header = "| Chapter | " + " | ".join(f"`{p}` profile (s)" for p in profiles) + " |"
    lines = [header, "|---|" + "---:|" * len(profiles)]
    for chapter in chapters_in_order:
        cells = [f"{log[p][chapter]:,.0f}" if chapter in log[p] else formatting.MISSING for p in profiles]
        lines.append(f"| {chapter} | " + " | ".join(cells) + " |")
    totals = [f"{sum(log[p].get(c, 0) for c in chapters_in_order) / 60:,.1f} min" for p in profiles]
    lines.append("| **all chapters** | " + " | ".join(f"**{t}**" for t in totals) + " |")
    about = "; ".join(f"`{p}`: executed {runs[p]['date']} on {runs[p]['device']}" for p in profiles if p in runs)
    return "\n".join(lines) + (f"\n\nMeasured by the runner ({about})." if about else "")


def finish_page(notebook: Path, profile: str, seconds: float, results_file: Path | None = None) -> None:
    """Prepare an executed chapter for its page: hide papermill's parameters, say which run it shows.

    * The injected-parameters cell holds the build machine's absolute paths: it is tagged
      ``remove-cell`` (it stays in the executed ``.ipynb``, so a reader can see what ran).
    * Under the title goes a note naming the profile, date, machine, training device and
      versions of the run (:func:`medcrypt.results.run_banner`), from the chapter's results
      metadata when it wrote some.
    """
    import nbformat

    from ..metrics import device_name
    from ..results import run_banner, versions

    if not Path(notebook).exists():
        return
    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
        if cell.cell_type == "code":
            cell.outputs = with_plain_tables(without_progress_bars(cell.outputs))
    metadata = json.loads(results_file.read_text()).get("metadata", {}) if results_file and results_file.exists() else {}
    metadata.setdefault("versions", versions())  # the kernel ran in this environment
    banner = run_banner(profile, seconds, datetime.date.today().isoformat(), device_name(), metadata,
                        training_data(metadata))
    nb.cells = [c for c in nb.cells if "run-banner" not in c.metadata.get("tags", [])]
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(banner, metadata={"tags": ["run-banner"]}))
    nbformat.write(nb, str(notebook))


PROGRESS_LINE = re.compile(r"^[^\n]*\d+%\|[^\n]*\|[^\n]*$|^\s*$")


def without_progress_bars(outputs: list) -> list:
    """A cell's outputs without the text a progress bar left on stderr (the page is not a terminal).

    Only stderr text made of progress-bar lines, or nothing at all, goes; a warning, or a
    bar with anything else in the same output, stays.
    """
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            lines = re.split(r"[\r\n]+", output.get("text", ""))
            if all(PROGRESS_LINE.match(line) for line in lines):
                continue
        kept.append(output)
    return kept


OBJECT_REPR = re.compile(r"<[\w.]+ (?:object )?at 0x[0-9a-fA-F]+>")


def with_plain_tables(outputs: list) -> list:
    """Outputs whose table has only an HTML form get a plain-text one too, for the PDF.

    LaTeX cannot take HTML, so the PDF shows an output's ``text/plain``; for a pandas
    Styler that is ``<pandas.io.formats.style.Styler at 0x...>``. It becomes the table's
    cells in aligned columns (the pages keep the HTML).
    """
    for output in outputs:
        data = output.get("data", {})
        html, plain = data.get("text/html", ""), data.get("text/plain", "")
        if "<table" in html and OBJECT_REPR.fullmatch(plain.strip() if isinstance(plain, str) else "".join(plain).strip()):
            data["text/plain"] = table_text(html)
    return outputs


def table_text(html: str) -> str:
    """The tables of an HTML fragment as text: each row's cells in columns padded to a common width."""
    from bs4 import BeautifulSoup

    blocks = []
    for table in BeautifulSoup(html, "html.parser").find_all("table"):
        rows, spanned = [], {}  # spanned: column -> rows a rowspan still covers below
        for tr in table.find_all("tr"):
            row, cells = [], iter(tr.find_all(["th", "td"]))
            while True:
                if spanned.get(len(row), 0) > 0:  # a cell of a row above reaches down here: blank
                    spanned[len(row)] -= 1
                    row.append("")
                    continue
                cell = next(cells, None)
                if cell is None:
                    break
                span = int(cell.get("colspan", 1) or 1)
                for offset in range(span):
                    spanned[len(row)] = int(cell.get("rowspan", 1) or 1) - 1
                    row.append(" ".join(cell.get_text(" ").split()) if offset == 0 else "")
            rows.append(row)
        rows = [row for row in rows if any(row)]
        widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(max(map(len, rows), default=0))]
        blocks.append("\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows))
    return "\n\n".join(blocks)


def training_data(metadata: dict) -> tuple[str, int, int, int] | None:
    """(dataset, images used, images in the local copy, official count) for a chapter that trained on a split.

    A chapter that records ``n_train`` trained on its first dataset's training split: all
    of the local copy when ``n_train`` is None. None when the chapter trained on nothing
    or the copy cannot be read here.
    """
    from ..data import split_sizes

    dataset = metadata.get("dataset") or (metadata.get("datasets") or [None])[0]
    if "n_train" not in metadata or not dataset:
        return None
    try:
        found, official = split_sizes(dataset)
    except Exception:  # no local copy (a results file from another machine): say nothing rather than guess
        return None
    used = metadata["n_train"] if metadata["n_train"] is not None else found
    return dataset, min(int(used), found), found, official


def build(build_dir: Path = BUILD_DIR, root: Path = REPO_ROOT) -> Path:
    """Build the HTML from the staged, executed book; returns the folder holding ``index.html``."""
    source = stage(build_dir, root)
    missing = [n for n in chapters(root) if not (source / NOTEBOOK_DIR / f"{n}.ipynb").exists()]
    if missing:
        raise BookError(f"not executed yet: {', '.join(missing)}; run `python -m medcrypt.book execute` first")
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(source), "--path-output", str(build_dir),
               "-W", "-n", "--keep-going", "--all"]
    print("[book]", " ".join(command), flush=True)
    if subprocess.run(command).returncode != 0:
        raise BookError("jupyter-book build failed; the warnings above say where")
    html = build_dir / "_build" / "html"
    print(f"[book] open {html / 'index.html'}", flush=True)
    return html


#: Where the PDF goes in the built site (the front page links it there).
PDF_NAME = "book.pdf"


def pdf(build_dir: Path = BUILD_DIR, root: Path = REPO_ROOT) -> Path:
    """Build the whole book as one PDF (Sphinx's LaTeX builder, xelatex) from the staged, executed book.

    Needs Debian's TeX Live (``make pdf`` installs it). The PDF is copied into the HTML
    folder as ``book.pdf`` when one is there, so that the site ships the file its front page links.
    """
    source = stage(build_dir, root)
    missing = [n for n in chapters(root) if not (source / NOTEBOOK_DIR / f"{n}.ipynb").exists()]
    if missing:
        raise BookError(f"not executed yet: {', '.join(missing)}; run `python -m medcrypt.book execute` first")
    if not shutil.which("xelatex") or not shutil.which("latexmk"):
        raise BookError("the PDF needs xelatex and latexmk: `make pdf` installs Debian's TeX Live")
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(source), "--path-output", str(build_dir),
               "--builder", "pdflatex", "-W", "-n", "--keep-going"]
    print("[book]", " ".join(command), flush=True)
    start = time.perf_counter()
    if subprocess.run(command).returncode != 0:
        raise BookError(f"the PDF build failed; the LaTeX log is in {build_dir / '_build' / 'latex'}")
    built = build_dir / "_build" / "latex" / PDF_NAME
    html = build_dir / "_build" / "html"
    if html.is_dir():
        shutil.copy2(built, html / PDF_NAME)
    print(f"[book] {built} in {time.perf_counter() - start:.0f} s", flush=True)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m medcrypt.book", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["execute", "build", "all", "check", "pdf"])
    parser.add_argument("--profile", default="full", choices=sorted(PROFILES))
    parser.add_argument("--only", nargs="*", help="chapter stems to execute, such as 01_metrics")
    parser.add_argument("--build-dir", type=Path, default=BUILD_DIR,
                        help="where executed notebooks, results and HTML go (default: _build)")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            from . import literature

            problems = (check_notebooks() + literature.validate() + literature.search_problems()
                        + literature.citation_problems() + release.problems())
            for problem in problems:
                print(f"[check] {problem}")
            if problems:
                return 1
            print(f"[check] {len(list((REPO_ROOT / NOTEBOOK_DIR).glob('*.py')))} paired notebooks in sync, no outputs; "
                  "the literature base is sound and every bibliography entry is cited; one version in the release files")
            return 0
        if args.command in ("execute", "all"):
            execute(args.profile, args.only, build_dir=args.build_dir)
        if args.command in ("build", "all"):
            build(args.build_dir)
        if args.command == "pdf":
            pdf(args.build_dir)
    except BookError as exc:
        print(f"[book] error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
