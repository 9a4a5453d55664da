"""Each method is shown from scratch in its chapter, and each from-scratch function is compared with the library.

The comparisons are in ``tests/test_scratch_<chapter>.py``; this file checks that they
exist for every function a ``from-scratch`` cell defines, and that the cores the course
promises are shown (the IND-CPA game loop, NPCR and UACI, the algebraic attack's column
matching, one coupling layer, the jigsaw compatibility score).
"""

import re

import pytest

from medcrypt.book import runner
from medcrypt.paths import REPO_ROOT

from from_scratch import TAG, defined_functions, scratch_cells

CHAPTERS = runner.chapters()
#: Chapters that present a cipher family or an attack: each shows its core from scratch.
METHOD_CHAPTERS = ["01_metrics", "02_baselines", "03_gan", "04_autoencoder", "05_invertible", "06_feedforward",
                   "07_learnable", "08_attacks"]
#: The cores the course promises, as (what, a pattern a from-scratch function's name matches).
PROMISED = [("the IND-CPA game loop", r"ind_cpa"), ("NPCR", r"npcr"), ("UACI", r"uaci"),
            ("the algebraic attack's column matching", r"column|match"), ("one coupling layer", r"coupling"),
            ("the jigsaw compatibility score", r"compatib")]


@pytest.mark.parametrize("chapter", METHOD_CHAPTERS)
def test_each_method_chapter_shows_a_core_from_scratch(chapter):
    cells = scratch_cells(chapter)
    assert cells, f"{chapter} has no cell tagged {TAG!r}"
    for source in cells:
        assert defined_functions(source), f"a {TAG} cell of {chapter} defines no function to compare:\n{source}"


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if scratch_cells(c)])
def test_every_from_scratch_function_is_compared_with_the_library(chapter):
    test_file = REPO_ROOT / "tests" / f"test_scratch_{chapter}.py"
    assert test_file.exists(), f"{chapter} has {TAG} cells but no {test_file.name}"
    tests = test_file.read_text()
    for source in scratch_cells(chapter):
        for name in defined_functions(source):
            assert re.search(rf"\b{name}\b", tests), f"{test_file.name} never uses {name} from {chapter}"


@pytest.mark.parametrize("what, pattern", PROMISED, ids=[p[0] for p in PROMISED])
def test_the_promised_cores_are_shown(what, pattern):
    names = [name for chapter in CHAPTERS for source in scratch_cells(chapter) for name in defined_functions(source)]
    assert any(re.search(pattern, name) for name in names), f"no {TAG} function shows {what}"
