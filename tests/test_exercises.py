"""Checked exercises (medcrypt.exercises): each reference solution passes its check, wrong answers fail."""

import numpy as np
import pytest

from medcrypt import exercises, metrics
from medcrypt.paths import REPO_ROOT

CHECKED = sorted(exercises.EXERCISES)


@pytest.mark.parametrize("chapter, number", CHECKED)
def test_the_reference_solution_passes_and_wrong_answers_fail(chapter, number):
    item = exercises.exercise(chapter, number)
    reference = item.reference()
    assert exercises.check(chapter, number, reference)
    assert exercises.check(chapter, number, str(reference))  # a number typed as text is read
    for wrong in (reference + 10 * item.tolerance, reference - 10 * item.tolerance, 0, "about right", None,
                  float("nan")):
        result = exercises.check(chapter, number, wrong)
        assert not result and result.message


@pytest.mark.parametrize("chapter, number, slip, hint", [
    ("01_metrics", 2, 0.996, "percent"),
    ("01_metrics", 2, 100, "1/256"),
    ("01_metrics", 3, 0.3346, "percent"),
    ("01_metrics", 3, 50, "third of the range"),
    ("01_metrics", 4, 8, "784 pixels"),
])
def test_a_common_slip_gets_its_hint(chapter, number, slip, hint):
    result = exercises.check(chapter, number, slip)
    assert not result and hint in result.message


def test_the_entropy_answer_agrees_with_a_simulation():
    rng = np.random.default_rng(0)
    simulated = metrics.entropy(rng.integers(0, 256, (4000, 28, 28), dtype=np.uint8)).mean
    assert exercises.check("01_metrics", 4, simulated)


def test_an_unknown_exercise_says_which_exist():
    with pytest.raises(ValueError, match="checked exercises: 01_metrics 2"):
        exercises.check("01_metrics", 99, 1.0)


@pytest.mark.parametrize("chapter, number", CHECKED)
def test_each_checked_exercise_is_in_its_chapter(chapter, number):
    source = (REPO_ROOT / "notebooks" / f"{chapter}.py").read_text()
    assert f'exercises.check("{chapter}", {number}, answer)' in source
