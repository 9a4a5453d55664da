"""The book as one PDF (``make pdf``: Sphinx's LaTeX builder and xelatex), read back with poppler.

The tests marked ``pdf`` run after the PDF build (``make test`` and ``make book`` call
``pytest -m pdf``; the default run skips them): every chapter is in it, no raw LaTeX or
unresolved reference shows, the LaTeX log has no error or missing glyph, and chapter 1's
figures, tables, equations and Unicode are on its pages. ``BOOK_BUILD_DIR`` names another
build folder.
"""

import html
import os
import re
from pathlib import Path

import nbformat
import pytest

from medcrypt.book import runner as book
from medcrypt.book import site

BUILD = Path(os.environ.get("BOOK_BUILD_DIR", book.BUILD_DIR))
LATEX = BUILD / "_build" / "latex"
PDF = LATEX / book.PDF_NAME
CHAPTER = "01_metrics"
#: Characters the chapters type in prose that pdflatex's fonts would drop (xelatex keeps them).
UNICODE = "×≤≥→←≈≠±χ²αβγδεμσπ∞"


def test_pdf_defects_find_raw_latex_and_unresolved_references():
    assert site.pdf_defects("Fig. 1.2 shows the NPCR of 99.61 % (is it?); a ≤ b") == []
    assert site.pdf_defects("see Fig. ?? and \\begin{figure} Undefined control sequence") == \
        ["??", "\\begin{", "Undefined control sequence"]
    assert site.pdf_defects("\\sphinxincludegraphics{x}") == ["\\sphinxincludegraphics"]
    assert site.pdf_defects("<pandas.io.formats.style.Styler at 0x7f16ac89f190>") == \
        ["<pandas.io.formats.style.Styler at 0x7f16ac89f190>"]
    log = "! LaTeX Error: File `bbm.sty' not found.\nLaTeX Warning: Reference `a' on page 3 undefined on input line 5.\n" \
          "Missing character: There is no ≤ in font lmroman10-regular!\nOverfull \\hbox (2.0pt too wide)"
    assert len(site.log_defects(log)) == 3


def test_chapter_pages_start_after_the_table_of_contents():
    pages = ["Contents\n1. Threat model . . . . . 3\n2. Classical baselines . . . . . 9", "Preface text",
             "1. Threat model\nAn attacker ...", "Survey   1. Threat model\nmore of chapter 1",
             "2. Classical baselines\nAES ...", "Survey   2. Classical baselines\nCTR mode"]
    assert site.chapter_pages(pages, "1. Threat model", "2. Classical baselines") == range(2, 4)
    assert site.chapter_pages(pages, "2. Classical baselines", None) == range(4, 6)
    with pytest.raises(ValueError, match="no page opens"):
        site.chapter_pages(pages, "3. GAN-based methods", None)


def _title(chapter: str) -> str:
    """The chapter's title: the first markdown heading of its notebook."""
    nb = nbformat.read(str(book.REPO_ROOT / book.NOTEBOOK_DIR / f"{chapter}.ipynb"), as_version=4)
    return next(line[2:].strip() for cell in nb.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("# "))


@pytest.fixture(scope="module")
def pages():
    if not PDF.exists():
        pytest.fail(f"no PDF at {PDF}; run `make pdf` (or `python -m medcrypt.book pdf`) first")
    return site.pdf_pages(PDF)


@pytest.mark.pdf
def test_every_chapter_is_in_the_pdf_in_order(pages):
    titles = [_title(chapter) for chapter in book.chapters()]
    starts = [site.chapter_pages(pages, title, None).start for title in titles]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), dict(zip(titles, starts))


@pytest.mark.pdf
def test_no_raw_latex_unresolved_reference_or_missing_glyph(pages):
    found = [(number + 1, defect) for number, page in enumerate(pages) for defect in site.pdf_defects(page)]
    assert not found, f"(page, defect): {found[:20]}"
    log = (LATEX / PDF.with_suffix(".log").name).read_text(errors="replace")
    assert not site.log_defects(log), site.log_defects(log)[:20]


@pytest.mark.pdf
def test_a_chapter_keeps_its_figures_tables_equations_and_unicode(pages):
    chapters = book.chapters()
    following = chapters[chapters.index(CHAPTER) + 1]
    span = site.chapter_pages(pages, _title(CHAPTER), _title(following))
    text = " ".join(" ".join(pages[i] for i in span).split())
    executed = nbformat.read(str(BUILD / "source" / book.NOTEBOOK_DIR / f"{CHAPTER}.ipynb"), as_version=4)
    shown = [c for c in executed.cells if not {"remove-cell", "remove-output"} & set(c.metadata.get("tags", []))]
    outputs = [o for c in shown if c.cell_type == "code" for o in c.get("outputs", [])]
    # Figures: an image for each PNG the chapter shows, and a rendered page with ink on it.
    figures = sum("image/png" in o.get("data", {}) for o in outputs)
    assert figures and site.pdf_images(PDF, span) >= figures, (figures, site.pdf_images(PDF, span))
    first = next(i for i in span if site.pdf_images(PDF, range(i, i + 1)))
    assert site.ink(PDF, first) > 0.05, f"page {first + 1} holds an image but renders almost blank"
    # Tables: every column header of the chapter's tables is in its text.
    headers = {" ".join(html.unescape(h).split()) for o in outputs
               for h in re.findall(r"<th[^>]*>([^<]+)</th>", o.get("data", {}).get("text/html", ""))}
    headers = {h for h in headers if re.search(r"[A-Za-z]{3}", h)}
    assert headers, "the chapter shows no table"
    missing = [h for h in headers if not all(word in text for word in h.split())]
    assert not missing, f"table headers not in the PDF: {missing}"
    # Equations: the NPCR and UACI definitions, typeset (pdftotext reads the sum sign as X, ≠ as 6=), no TeX left.
    assert re.search(r"NPCR\s*=", text) and re.search(r"UACI\s*=", text), "the NPCR and UACI equations are missing"
    assert re.search(r"\|C1 \(j\) − C2 \(j\)\|", text), "UACI's numerator |C1(j) − C2(j)| is not typeset"
    assert not re.search(r"\\(?:frac|sum|mathrm|left|right)\b", text)
    # Unicode typed in the prose (outside maths) survives.
    prose = " ".join(re.sub(r"\$[^$]*\$", " ", c.source) for c in shown if c.cell_type == "markdown")
    typed = {ch for ch in UNICODE if ch in prose}
    assert typed and not {ch for ch in typed if ch not in text}, f"lost: {typed - set(text)}"


def test_a_styled_table_gets_a_plain_text_form_for_the_pdf():
    """LaTeX shows an output's text/plain; a pandas Styler's is its repr, so the runner writes the table's cells."""
    styled = ('<style>td {color: red}</style><table><thead><tr><th class="blank">&nbsp;</th><th>NPCR (%)</th>'
              '<th colspan="2">UACI (%)</th></tr></thead><tbody><tr><th rowspan="2">28×28</th><td>99.61</td><td>33.4</td>'
              '<td>0.1</td></tr><tr><td>99.6</td><td>33.5</td><td>0.2</td></tr></tbody></table>')
    outputs = [{"output_type": "execute_result", "data": {"text/html": styled,
                                                          "text/plain": "<pandas.io.formats.style.Styler at 0x7f16ac>"}},
               {"output_type": "execute_result", "data": {"text/html": "<table><tr><td>1</td></tr></table>",
                                                          "text/plain": "   a\n0  1"}}]
    book.with_plain_tables(outputs)
    assert outputs[0]["data"]["text/plain"] == ("       NPCR (%)  UACI (%)\n"
                                                "28×28  99.61     33.4      0.1\n"
                                                "       99.6      33.5      0.2")
    assert outputs[1]["data"]["text/plain"] == "   a\n0  1"  # a DataFrame's own text stays
