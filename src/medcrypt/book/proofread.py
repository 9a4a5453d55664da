"""Proofreading the book the way a copy editor would, so that a class of defect cannot come back.

Two checks, both run by ``make test``:

* :func:`check_html` reads the built HTML (``python -m medcrypt.book.proofread html``) and
  reports what a reader must never see: build-machine paths, raw values (``inf``,
  ``nan``, ``None``, ``True``, ``False``), counts printed as floats ("2.0 of 7.0"), numbers
  with more decimals than anyone reads, snake_case column headers, figures without a
  caption, duplicated headings and bibliography keys shown as text; in exercise, solution
  and proof blocks (folded solutions included) the same, and no block empty or titled twice.
* :func:`typed_numbers` reads the chapter sources (``python -m medcrypt.book.proofread sources``)
  and lists every number typed into a markdown cell outside glue, maths, citations and
  cross-references. A number is allowed only when ``tests/typed_numbers/<source>.yml`` names it,
  with the reason it is not a measured result (a definition, a parameter, a value from a
  cited source). A new measured number typed by hand fails the test.

Every rule is a small function with a test that breaks it once (``tests/test_proofread.py``).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..paths import REPO_ROOT
ALLOWED_NUMBERS = REPO_ROOT / "tests" / "typed_numbers"


# ------------------------------------------------------------------ rules on text

#: Absolute paths of a build machine (Linux, macOS, Windows) and installed-package paths.
MACHINE_PATH = re.compile(r"(?<![\w/.:~-])/(?:home|work|tmp|Users|root|opt|mnt|var|usr|srv|private)/[^\s\"'<>)]*"
                          r"|\b[A-Z]:\\[^\s\"'<>]+|site-packages")
#: Python and pandas placeholders that reach a reader when a value is printed raw.
RAW_VALUE = re.compile(r"(?<![\w.+\-])[+-]?(?:inf|nan|NaN|NaT|<NA>|True|False)(?!\w|\.\w)"
                       r"|(?<![\w.])None(?=\s*[,.;:)\]|]|\s*$)")
#: A count printed as a float: "2.0 of 7.0", "of 7.0", "3.0 images".
FLOAT_COUNT = re.compile(r"\b\d+\.0+\s+(?:of|out of)\b|\b\d+\s+(?:of|out of)\s+\d+\.0+\b(?!\.?\d)|\b\d+\.0+\s+(?:images?|tests?|ciphers?|"
                         r"pairs?|keys?|quer(?:y|ies)|bits?|epochs?|seeds?|runs?|papers?|pixels?|trials?|chosen|known)\b")
#: More decimals than a reader can use (0.000000, 0.995861); scientific notation is the way to print small values.
#: (A DOI's "10.11591/…" and an arXiv id "arXiv:1610.06918" are identifiers, not values.)
LONG_DECIMALS = re.compile(r"(?<![\w./:])(?<!arXiv )\d+\.\d{5,}(?![\w/.])")
# A file name such as CT_small.dcm is a name, not a code identifier: an extension right after it exempts it.
SNAKE_CASE = re.compile(r"\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b(?!\.[A-Za-z]{2,4}\b)")
#: Citation labels of the "alpha" style or a BibTeX "and others" that the author-year style cannot render.
BAD_CITATION_LABEL = re.compile(r"\[[A-Z][A-Za-z]+\d{2}[a-z]?\]|\band others\b|\bet al\.?,\s*\d{4}\]")
RAW_CELLS = {"None", "nan", "NaN", "inf", "-inf", "+inf", "True", "False", "<NA>", "NaT", "null"}
HEADING_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|§\s*\d+(?:\.\d+)*)\s+")


def machine_paths(text: str) -> list[str]:
    return MACHINE_PATH.findall(text)


def raw_values(text: str) -> list[str]:
    return [m.group(0).strip() for m in RAW_VALUE.finditer(text)]


def float_counts(text: str) -> list[str]:
    return FLOAT_COUNT.findall(text)


def long_decimals(text: str) -> list[str]:
    """Numbers printed with 5 or more decimals that carry more than 4 significant digits (0.995861) or none
    (0.000000). A small value to 3 significant digits (a p-value of 0.00463) reads as intended."""
    found = []
    for number in LONG_DECIMALS.findall(text):
        digits = number.replace(".", "").lstrip("0")
        if len(digits) > 4 or not digits:
            found.append(number)
    return found


def snake_case_header(text: str) -> list[str]:
    return SNAKE_CASE.findall(text)


def bad_citation_labels(text: str) -> list[str]:
    return BAD_CITATION_LABEL.findall(text)


def bib_keys(bib: str | Path = REPO_ROOT / "book" / "references.bib") -> set[str]:
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", Path(bib).read_text()))


def keys_shown(text: str, keys: set[str]) -> list[str]:
    """Bibliography keys that appear as words of ``text`` (a citation the reader sees as ``ding2020deepedn``)."""
    words = set(re.findall(r"[A-Za-z][\w:-]*\d{4}[\w:-]*", text))
    return sorted(words & keys)


def heading_key(text: str) -> str:
    """A heading without its permalink sign and section number: '7.5 Summary#' and 'Summary' are the same heading."""
    text = text.replace("#", "").replace("¶", "").strip()
    return HEADING_NUMBER.sub("", text).strip().lower()


# ------------------------------------------------------------------ the built pages

@dataclass(frozen=True)
class Problem:
    page: str
    rule: str
    found: str

    def __str__(self) -> str:
        return f"{self.page}: {self.rule}: {self.found}"


def _content(soup):
    """The page's article (the theme's navigation and footer are not the book's text)."""
    return soup.select_one("article") or soup.select_one("main") or soup.body or soup


def _prose_and_outputs(article):
    """A copy of the article without code a reader reads as code: input cells, inline and block code, maths."""
    import copy

    part = copy.copy(article)
    for selector in ("div.cell_input", "script", "style", "span.math", "div.math", "mjx-container",
                     "a.headerlink", "nav"):
        for node in part.select(selector):
            node.decompose()
    for node in part.select("code, pre, div.highlight"):
        if not node.find_parent("div", class_="cell_output"):
            node.decompose()
    return part


#: sphinx-exercise's exercises and solutions and sphinx-proof's definitions, algorithms, remarks...
#: (``div.proof.definition``). A folded solution is in the page as well: the browser hides it
#: until clicked, so every rule above reads it like the prose around it.
BLOCKS = "div.exercise, div.solution, div.proof"


def _block_kind(block) -> str:
    classes = block.get("class", [])
    return classes[1] if classes[0] == "proof" and len(classes) > 1 else classes[0]


def _block_title(block) -> str:
    """A block's title without its number: 'Exercise 3 (Why ...)' -> '(Why ...)'."""
    import copy

    title = block.select_one(".admonition-title")
    if title is None:
        return ""
    title = copy.copy(title)
    for number in title.select(".caption-number"):
        number.decompose()
    return " ".join(title.get_text(" ").split())


def check_blocks(article) -> list[tuple[str, str]]:
    """(rule, found) for exercise, solution and proof blocks: one without content, two with one title."""
    found = []
    seen = set()
    for block in article.select(BLOCKS):
        kind, title = _block_kind(block), _block_title(block)
        body = [child for child in block.find_all(recursive=False) if "admonition-title" not in child.get("class", [])]
        if not any(child.get_text(strip=True) or child.find("img") for child in body):
            found.append(("empty exercise, solution or proof block", f"{kind} {title or block.get('id', '')}".strip()))
        if title and (kind, title.lower()) in seen:
            found.append(("duplicated block title", f"{kind} {title}"))
        seen.add((kind, title.lower()))
    return found


def check_page(html: str, page: str, keys: set[str] = frozenset()) -> list[Problem]:
    """Every rule on one built page; ``keys`` are the bibliography keys that must not show as text.

    The text rules read the prose, the outputs and the exercise, solution and proof blocks
    (:data:`BLOCKS`, folded solutions included); code, maths and navigation are left out."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    article = _content(soup)
    problems: list[Problem] = []

    def report(rule, found):
        problems.extend(Problem(page, rule, f) for f in dict.fromkeys(found))

    shown = _prose_and_outputs(article)
    everything = article.get_text(" ")
    text = shown.get_text(" ")
    report("build-machine path", machine_paths(everything))
    report("raw value", raw_values(text))
    report("count printed as a float", float_counts(text))
    report("citation label", bad_citation_labels(text))
    report("bibliography key shown as text", keys_shown(text, set(keys)))
    # Long decimals: in tables and prose, not in printed logs (a loss curve's log may carry them).
    for node in shown.select("table, p, li"):
        if node.name == "table" or not node.find_parent("div", class_="cell_output"):
            report("more than 4 decimals", long_decimals(node.get_text(" ")))
    for cell in shown.select("td, th"):
        if cell.get_text(strip=True) in RAW_CELLS:
            report("raw value", [cell.get_text(strip=True)])
    for header in article.select("th"):
        report("snake_case column header", snake_case_header(header.get_text(" ")))
    for image in article.select("img"):
        source = image.get("src", "")
        if "badge" in source or "shields.io" in source or "logo" in source:
            continue
        figure = image.find_parent("figure")
        caption = figure.find("figcaption") if figure else None
        if caption is None or not caption.get_text(strip=True):
            report("figure without a caption", [source])
        elif re.search(r"\.(png|jpe?g|svg)$", image.get("alt", "")):
            report("figure whose alt text is its file path", [source])
    for rule, found in check_blocks(article):
        report(rule, [found])
    seen: dict[str, str] = {}
    for heading in article.select("h1, h2, h3, h4, h5, h6"):
        key = heading_key(heading.get_text(""))
        if key in seen:
            report("duplicated heading", [f"{seen[key]!r} and {heading.get_text('').strip('#¶ ')!r}"])
        seen.setdefault(key, heading.get_text("").strip("#¶ "))
    return list(dict.fromkeys(problems))


def book_pages(html_dir: Path) -> list[Path]:
    """The book's own pages: chapters, book pages and the front page (not the theme's search and index)."""
    return sorted([*html_dir.glob("notebooks/*.html"), *html_dir.glob("book/*.html"), html_dir / "index.html"])


def check_html(html_dir: str | Path, bib: str | Path = REPO_ROOT / "book" / "references.bib") -> list[Problem]:
    """Every rule on every page of the built book (empty when the book reads clean)."""
    html_dir = Path(html_dir)
    if not (html_dir / "index.html").exists():
        raise FileNotFoundError(f"{html_dir} holds no built book (index.html); run `make book` or `make test` first")
    keys = bib_keys(bib)
    problems = []
    for path in book_pages(html_dir):
        if path.exists():
            problems.extend(check_page(path.read_text(errors="replace"), str(path.relative_to(html_dir)), keys))
    return problems


# ------------------------------------------------------------------ numbers typed into chapter sources

STRIP = [
    re.compile(r"\{glue(?::\w+)?\}`[^`]*`"),  # glued values
    re.compile(r"\{(?:cite|cite:p|cite:t|numref|ref|doc|eq|math)\}`[^`]*`"),  # citations, references, roles
    re.compile(r"```.*?```", re.S),  # fenced blocks (code, figures, tables; prose directives are opened first)
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\$\$.*?\$\$", re.S), re.compile(r"\$[^$\n]+\$"),  # maths
    re.compile(r"\]\([^)]*\)"), re.compile(r"https?://\S+"),  # link targets and URLs
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"^\s*#+\s*[\d.]*", re.M),  # heading marks and their section numbers
    # cross-references: section 3.4, sections 2.3–2.5, chapter 8, §1.8, table 9.4, SP 800-22, FIPS 197
    re.compile(r"(?:[Ss]ections?|[Cc]hapters?|§|[Tt]ables?|[Ff]igures?|SP|FIPS|RFC|ISO|Part|Appendix)\s*"
               r"\d+(?:[.\-–]\d+)*(?:\s*(?:,|and|or|to|–)\s*\d+(?:\.\d+)*)*"),
]
#: "on a CPU" is a measured fact about a run: a chapter glues the device it actually used.
TYPED_DEVICE = re.compile(r"\b(?:on|with)\s+(?:a|the|one|two|\d+)\s+(?:CPU|GPU)s?\b(?:\s+cores?)?", re.I)
NUMBER = re.compile(r"(?<![\w.])[-+−]?\d+(?:[,.]\d+)*(?:\s*%)?")


#: Directives whose body is prose the reader reads: exercises, solutions, definitions and notes are
#: checked like the text around them (their options, such as ``:label:``, are not).
PROSE_DIRECTIVES = re.compile(r"^(?:exercise|solution|prf:\w+|admonition|note|warning|important|tip|caution|"
                              r"seealso|attention|hint|margin|dropdown|glossary)$")
FENCE = re.compile(r"```\{([^}]*)\}([^\n]*)\n((?:[ \t]*:[\w-]+:[^\n]*\n)*)(.*?)```", re.S)


def open_prose_directives(markdown: str) -> str:
    """``markdown`` with each prose directive's fence and options removed and its title and body kept."""
    def opened(match: re.Match) -> str:
        name, title, _, body = match.groups()
        if not PROSE_DIRECTIVES.match(name.strip()):
            return match.group(0)
        if name.strip() == "solution":
            title = ""  # a solution's argument is the label of its exercise
        return f"\n{title.strip()}\n\n{open_prose_directives(body)}\n"
    return FENCE.sub(opened, markdown)


def markdown_numbers(markdown: str) -> list[tuple[str, str]]:
    """(number, sentence) for every number typed into ``markdown`` outside glue, maths, code and references."""
    text = open_prose_directives(markdown)
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", text):
        for match in NUMBER.finditer(sentence):
            found.append((match.group(0).replace("−", "-").replace(" ", ""), " ".join(sentence.split())))
    return found


def source_markdown(path: Path) -> list[str]:
    """The markdown cells of a chapter source (``notebooks/*.py``) or the text of a book page (``book/*.md``)."""
    if path.suffix == ".md":
        return [path.read_text()]
    import jupytext

    return [cell.source for cell in jupytext.read(path).cells if cell.cell_type == "markdown"]


def sources(root: Path = REPO_ROOT) -> list[Path]:
    return sorted([*(root / "notebooks").glob("*.py"), *(root / "book").glob("*.md")])


def allowed_numbers(folder: Path = ALLOWED_NUMBERS) -> dict[str, dict[str, str]]:
    """``{source name: {number: why it is not a measured result}}``, one YAML file per source.

    ``tests/typed_numbers/03_gan.yml`` holds the numbers allowed in ``notebooks/03_gan.py``
    (``book/intro.md`` -> ``intro.yml``), each mapped to its reason.
    """
    import yaml

    allowed = {}
    for path in sorted(Path(folder).glob("*.yml")):
        entries = yaml.safe_load(path.read_text()) or {}
        for suffix in (".py", ".md"):
            allowed[path.stem + suffix] = {str(k): str(v) for k, v in entries.items()}
    return allowed


def typed_devices(markdown: str) -> list[str]:
    """Phrases such as "on a CPU" typed into a chapter's markdown (outside glue and code)."""
    text = markdown
    for pattern in STRIP[:4]:
        text = pattern.sub(" ", text)
    return TYPED_DEVICE.findall(text)


def typed_numbers(root: Path = REPO_ROOT, allowed: dict[str, dict[str, str]] | None = None) -> list[Problem]:
    """Numbers typed into the book's markdown that the allow-list does not explain, and typed devices in chapters."""
    allowed = allowed_numbers() if allowed is None else allowed
    problems = []
    for path in sources(root):
        ok = allowed.get(path.name, {})
        for markdown in source_markdown(path):
            if path.suffix == ".py":
                problems += [Problem(str(path.relative_to(root)), "typed device (glue the device the run used)", found)
                             for found in typed_devices(markdown)]
            for number, sentence in markdown_numbers(markdown):
                if number not in ok:
                    problems.append(Problem(str(path.relative_to(root)), f"typed number {number}", sentence[:160]))
    return problems


def main(argv: list[str] | None = None) -> int:
    from . import runner as book

    parser = argparse.ArgumentParser(prog="python -m medcrypt.book.proofread", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["html", "sources"])
    parser.add_argument("--html", type=Path, default=book.BUILD_DIR / "_build" / "html")
    args = parser.parse_args(argv)
    problems = check_html(args.html) if args.what == "html" else typed_numbers()
    for problem in problems:
        print(f"[proofread] {problem}")
    where = args.html if args.what == "html" else "the chapter sources"
    print(f"[proofread] {len(problems)} problems in {where}")
    if problems and args.what == "sources":
        print("[proofread] glue each measured number, or add a number that is not a result to "
              "tests/typed_numbers/<source>.yml with the reason")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
