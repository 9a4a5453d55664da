"""The proofreading rules, each broken once on a page built like Jupyter Book's, and the source scan."""

import textwrap
from pathlib import Path

import pytest

from medcrypt.book import proofread

CLEAN = """
<html><body><nav>True False None inf /home/nav/path</nav>
<article class="bd-article">
<section id="s1"><h1>3. GAN-based methods<a class="headerlink" href="#s1">#</a></h1>
<p>They pass 5 of 7 NIST tests; lossless decryption gives a PSNR of ∞ (Ding <em>et al.</em>, 2020).</p>
<div class="cell docutils container">
  <div class="cell_input docutils container"><div class="highlight"><pre>retrain = False
results_dir = "results"  # a path in code is still shown: only relative ones
x = None</pre></div></div>
  <div class="cell_output docutils container"><div class="output text_plain highlight-myst-ansi">
  <pre>trained gan-translation in 12.3 s</pre></div></div>
</div>
<p>The code cell above sets <code class="docutils literal">retrain = False</code>; None of the ciphers is lossless.</p>
<table><thead><tr><th>Cipher</th><th>NPCR (%)</th><th>Encrypt images/s</th></tr></thead>
<tbody><tr><td>aes-ctr</td><td>99.61</td><td>3979666</td></tr>
<tr><td>identity</td><td>–</td><td>yes</td></tr></tbody></table>
<figure class="align-default" id="fig-x"><img alt="Loss curves of the generator and discriminator" src="../_images/a.png">
<figcaption><p><span class="caption-text">Losses of both networks.</span></p></figcaption></figure>
<p><img alt="Open in Colab" src="https://colab.research.google.com/assets/colab-badge.svg"></p>
<section id="s2"><h2>3.8 Summary<a class="headerlink" href="#s2">#</a></h2><p>See doi 10.11591/ijece.v8i6 and arXiv:1610.06918.</p></section>
</section></article></body></html>
"""


def problems(html: str, keys=frozenset({"ding2020deepedn"})):
    return [(p.rule, p.found) for p in proofread.check_page(html, "page.html", set(keys))]


def test_a_clean_page_has_no_problem():
    # The navigation, code cells and inline code may hold Python values; the text may not (nor any of them a path).
    assert problems(CLEAN) == []


def broken(old: str, new: str) -> str:
    assert old in CLEAN, old
    return CLEAN.replace(old, new, 1)


@pytest.mark.parametrize("old, new, rule", [
    ("trained gan-translation in 12.3 s", "wrote /work/main/_build/ci/results/03_gan.json", "build-machine path"),
    ('results_dir = "results"', 'results_dir = "/home/runner/_build/results"', "build-machine path"),
    ("<td>yes</td>", "<td>True</td>", "raw value"),
    ("<td>–</td>", "<td>nan</td>", "raw value"),
    ("<td>–</td>", "<td>None</td>", "raw value"),
    ("a PSNR of ∞", "a PSNR of +inf", "raw value"),
    ("a PSNR of ∞", "a PSNR of inf dB", "raw value"),
    ("trained gan-translation in 12.3 s", "exact: False", "raw value"),
    ("They pass 5 of 7 NIST tests", "They pass 2.0 of 7.0 NIST tests", "count printed as a float"),
    ("They pass 5 of 7 NIST tests", "Three chosen images (3.0 images)", "count printed as a float"),
    ("<td>99.61</td>", "<td>0.995861</td>", "more than 4 decimals"),
    ("<td>99.61</td>", "<td>0.000000</td>", "more than 4 decimals"),
    ("<th>Encrypt images/s</th>", "<th>encrypt_images_per_s</th>", "snake_case column header"),
    ('<figcaption><p><span class="caption-text">Losses of both networks.</span></p></figcaption>', "",
     "figure without a caption"),
    ('<figure class="align-default" id="fig-x"><img alt="Loss curves of the generator and discriminator" '
     'src="../_images/a.png">', '<figure><img alt="../_images/a.png" src="../_images/a.png">',
     "figure whose alt text is its file path"),
    ("3.8 Summary", "GAN-based methods", "duplicated heading"),
    ("(Ding <em>et al.</em>, 2020)", "(ding2020deepedn)", "bibliography key shown as text"),
    ("(Ding <em>et al.</em>, 2020)", "[NationalIoSaTechnology01]", "citation label"),
    ("(Ding <em>et al.</em>, 2020)", "[Wen and others, 2021]", "citation label"),
])
def test_each_rule_catches_its_defect(old, new, rule):
    found = problems(broken(old, new))
    assert any(r == rule for r, _ in found), found


def test_an_image_outside_a_figure_is_uncaptioned():
    page = broken("</article>", '<div class="cell_output"><img alt="x" src="../_images/b.png"></div></article>')
    assert ("figure without a caption", "../_images/b.png") in problems(page)


def test_heading_key_ignores_numbers_and_permalinks():
    assert proofread.heading_key("7.9 Summary#") == proofread.heading_key("Summary") == "summary"
    assert proofread.heading_key("1.10 The suite on AES") == "the suite on aes"


def test_english_none_and_ordinary_numbers_are_not_flagged():
    assert proofread.raw_values("None of the ciphers; the cipher is Infinite; Falsely") == []
    assert proofread.float_counts("a PSNR of 24.0 dB; 7 of 7 tests; 2.5 of the runs") == []
    assert proofread.long_decimals("p = 0.0004, NPCR 99.6094 %, doi 10.17487/RFC5116, arXiv:2311.18243") == []
    assert proofread.long_decimals("p = 0.00463 and 0.000012") == []  # three and two significant digits
    assert proofread.long_decimals("0.995861, 0.000000 and 12.345678") == ["0.995861", "0.000000", "12.345678"]


def test_bib_keys_are_read_from_the_bibliography(tmp_path):
    bib = tmp_path / "r.bib"
    bib.write_text("@article{ding2020deepedn,\n title={x}}\n@misc{ fips197 , title={y}}\n")
    assert proofread.bib_keys(bib) == {"ding2020deepedn", "fips197"}
    assert proofread.keys_shown("source: ding2020deepedn, page 3", {"ding2020deepedn"}) == ["ding2020deepedn"]


def test_check_html_reads_every_book_page_and_demands_a_build(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        proofread.check_html(tmp_path)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "index.html").write_text(CLEAN)
    (tmp_path / "notebooks" / "03_gan.html").write_text(broken("<td>yes</td>", "<td>False</td>"))
    bib = tmp_path / "r.bib"
    bib.write_text("@article{ding2020deepedn, title={x}}")
    found = proofread.check_html(tmp_path, bib)
    assert [(p.page, p.rule) for p in found] == [("notebooks/03_gan.html", "raw value")]


# ------------------------------------------------------------------ typed numbers

MARKDOWN = textwrap.dedent("""\
    ## 3.4 How random are the keys?

    The keys pass {glue:text}`passed` of {glue:text}`tests` NIST tests at $\\alpha = 0.01$, see section 1.8
    and chapters 2 and 6, {cite}`ding2020deepedn` and [the data](https://example.org/v2.0).
    Their entropy is 7.97 bits on 28×28 images, `n_train = 640`.
    """)


def test_markdown_numbers_skip_glue_maths_code_citations_and_references():
    numbers = [n for n, _ in proofread.markdown_numbers(MARKDOWN)]
    assert numbers == ["7.97", "28", "28"]


def test_typed_numbers_fail_on_a_new_number_and_accept_an_allowed_one(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "intro.md").write_text(MARKDOWN)
    found = proofread.typed_numbers(tmp_path, allowed={})
    assert {p.rule for p in found} == {"typed number 7.97", "typed number 28"}
    allowed = {"intro.md": {"28": "image side in pixels, a parameter"}}
    assert [p.rule for p in proofread.typed_numbers(tmp_path, allowed=allowed)] == ["typed number 7.97"]


def test_allow_lists_are_one_file_per_source(tmp_path):
    (tmp_path / "03_gan.yml").write_text('"256": "the byte alphabet"\n')
    assert proofread.allowed_numbers(tmp_path) == {"03_gan.py": {"256": "the byte alphabet"},
                                                   "03_gan.md": {"256": "the byte alphabet"}}


def test_the_book_types_no_unexplained_number():
    """Every number typed into a chapter or page is glued or explained in tests/typed_numbers/."""
    found = proofread.typed_numbers()
    assert not found, "\n".join(map(str, found[:40]))


def test_every_allowed_number_still_occurs():
    """An allow-list entry whose number left the source is stale and would let a new claim in unnoticed."""
    stale = []
    for path in proofread.sources():
        allowed = proofread.allowed_numbers().get(path.name, {})
        present = {n for markdown in proofread.source_markdown(path) for n, _ in proofread.markdown_numbers(markdown)}
        stale += [f"{path.name}: {n}" for n in allowed if n not in present]
    assert not stale, stale


def test_a_chapter_may_not_type_the_device_it_ran_on(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book").mkdir()
    (tmp_path / "notebooks" / "03_gan.py").write_text(
        "# %% [markdown]\n# Training took a minute on a CPU, on {glue:text}`device` here.\n")
    (tmp_path / "book" / "intro.md").write_text("Models train on a GPU when one is available.\n")
    found = proofread.typed_numbers(tmp_path, allowed={})
    assert [(p.page, p.found) for p in found] == [("notebooks/03_gan.py", "on a CPU")]


def test_a_file_name_in_a_header_is_not_snake_case():
    assert proofread.snake_case_header("CT_small.dcm") == []
    assert proofread.snake_case_header("ct_small") == ["ct_small"]
    assert proofread.snake_case_header("key_bits (see CT_small.dcm)") == ["key_bits"]


# ------------------------------------------------------------------ exercise, solution and proof blocks

# As sphinx-exercise 1.2 and sphinx-proof 0.4 write them (a folded solution carries the class `dropdown`).
BLOCKS = """
<html><body><article class="bd-article"><section id="t"><h1>1. Metrics<a class="headerlink" href="#t">#</a></h1>
<div class="proof definition admonition" id="def-ind-cpa">
<p class="admonition-title"><span class="caption-number">Definition 1 </span> (The IND-CPA game)</p>
<section class="definition-content" id="proof-content">
<p>The adversary wins when it guesses <span class="math notranslate nohighlight">\\(b\\)</span>; compare 5 of 7 runs.</p>
</section></div>
<div class="proof algorithm admonition" id="alg-x">
<p class="admonition-title"><span class="caption-number">Algorithm 1 </span> (Column matching)</p>
<section class="algorithm-content" id="proof-content"><ol class="arabic simple">
<li><p>Match each column of the cipher images with the plain ones.</p></li></ol></section></div>
<div class="exercise admonition" id="ex-a">
<p class="admonition-title"><span class="caption-number">Exercise 1 </span> (Why a deterministic cipher loses)</p>
<section id="exercise-content"><p>Describe an adversary; how many queries does it need?</p>
<div class="highlight"><pre>task = exercises.challenge("01_metrics", 1).give()  # None, True: code is code</pre></div>
</section></div>
<div class="solution dropdown admonition" id="index-solution-3">
<p class="admonition-title">Solution to<a class="reference internal" href="#ex-a"> Exercise 1 (Why a deterministic cipher loses)</a></p>
<section id="solution-content"><p>One query suffices, and the advantage is 1.</p></section></div>
</section></article></body></html>
"""


def test_clean_exercise_solution_and_proof_blocks_pass():
    assert problems(BLOCKS) == []


@pytest.mark.parametrize("old, new, rule", [
    ("the advantage is 1.", "the advantage is inf.", "raw value"),  # inside a folded solution
    ("the advantage is 1.", "written to /work/main/_build/ci/results/01_metrics.json", "build-machine path"),
    ("how many queries does it need?", "how many queries (nan) does it need?", "raw value"),  # an exercise
    ("compare 5 of 7 runs", "compare 5.0 of 7.0 runs", "count printed as a float"),  # a definition
    ("Match each column", "Match 0.995861 of each column", "more than 4 decimals"),  # an algorithm's list
    ("<li><p>Match each column of the cipher images with the plain ones.</p></li>", "", "empty exercise, solution or proof block"),
    ("<p>One query suffices, and the advantage is 1.</p>", "", "empty exercise, solution or proof block"),
])
def test_rules_read_inside_exercise_solution_and_proof_blocks(old, new, rule):
    assert old in BLOCKS, old
    found = problems(BLOCKS.replace(old, new, 1))
    assert any(r == rule for r, _ in found), found


def test_two_exercises_with_one_title_are_reported():
    exercise = BLOCKS[BLOCKS.index('<div class="exercise'):BLOCKS.index('<div class="solution')]
    twice = BLOCKS.replace(exercise, exercise + exercise.replace("Exercise 1 ", "Exercise 2 ").replace("ex-a", "ex-b"))
    assert problems(twice) == [("duplicated block title", "exercise (Why a deterministic cipher loses)")]


def test_two_kinds_may_share_a_title_but_not_two_exercises():
    kinds = proofread._block_kind
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(BLOCKS, "html.parser")
    assert [kinds(b) for b in soup.select(proofread.BLOCKS)] == ["definition", "algorithm", "exercise", "solution"]
    same_title = BLOCKS.replace("(Column matching)", "(Why a deterministic cipher loses)")  # an algorithm and an exercise
    assert problems(same_title) == []


def test_numbers_typed_in_exercise_solution_and_definition_blocks_are_read():
    from medcrypt.book.proofread import markdown_numbers

    source = ("```{exercise} Three ideal ciphers\n:label: ex-x\n\nTwo images, 28 pixels wide.\n```\n\n"
              "```{solution} ex-x\n:class: dropdown\n\nAbout 99.6 %.\n```\n\n"
              "```{prf:definition} A game\n:label: def-y\n\nPlay it 1000 times.\n```\n\n"
              "```python\nx = 77\n```\n")
    found = {number for number, _ in markdown_numbers(source)}
    assert {"28", "99.6%", "1000"} <= found  # the blocks' prose is read
    assert "77" not in found  # code is not prose
