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
    if isinstance(item, exercises.Exercise):
        assert exercises.check(chapter, number, str(reference))  # a number typed as text is read
    for wrong in item.wrong_answers():
        result = exercises.check(chapter, number, wrong)
        assert not result and result.message, f"{chapter} {number} accepted a wrong answer: {wrong!r}"


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
    assert f'exercises.check("{chapter}", {number}, ' in source
    if isinstance(exercises.exercise(chapter, number), exercises.Challenge):
        assert f'exercises.challenge("{chapter}", {number})' in source


#: Chapters that present a cipher family or attack; each has at least one "break it" challenge.
METHOD_CHAPTERS = ["02_baselines", "03_gan", "04_autoencoder", "05_invertible", "06_feedforward", "07_learnable",
                   "08_attacks"]


@pytest.mark.parametrize("chapter", METHOD_CHAPTERS)
def test_each_method_chapter_has_a_break_it_challenge(chapter):
    assert any(isinstance(item, exercises.Challenge) and item.chapter == chapter
               for item in exercises.EXERCISES.values()), f"{chapter} has no registered Challenge"


def test_a_challenge_refuses_to_be_checked_as_a_number_exercise():
    with pytest.raises(ValueError, match="asks for a number"):
        exercises.challenge("01_metrics", 2)


def test_a_challenge_answer_of_the_wrong_shape_is_wrong_not_an_error():
    def judge(answer, setup):
        return exercises.Result(bool(np.array_equal(np.asarray(answer, dtype=np.uint8), setup.secret["image"])), "")

    made = []
    toy = exercises.Challenge("toy", 1, "the image", lambda: made.append(1) or exercises.Setup(
        {"cipher": np.zeros(4, np.uint8)}, {"image": np.arange(4, dtype=np.uint8)}), judge,
        lambda public: np.arange(4), lambda public: [np.zeros(4)])
    assert toy.check(toy.reference()) and not toy.check("not an image") and not toy.check(np.zeros(4))
    assert toy.give()["cipher"].shape == (4,) and made == [1]  # one instance per session
