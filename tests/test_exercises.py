"""Checked exercises (medcrypt.exercises): each reference solution passes its check, wrong answers fail."""

import numpy as np
import pytest

from medcrypt import exercises, metrics
from medcrypt.book import runner
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
    ("01_metrics", 5, 0.0354, "factor 2"),
    ("02_baselines", 1, 100 / 784, "16-byte blocks"),
    ("02_baselines", 2, 3, "all-zero image"),
    ("02_baselines", 2, 19, "base-256 digits"),
    ("02_baselines", 3, 256, "do not multiply"),
    ("03_gan", 2, 1, "number of cipher pixels"),
    ("03_gan", 2, 100 / 784 / 100, "percent"),
    ("04_autoencoder", 2, 784 / 32, "nonce"),
    ("04_autoencoder", 2, 60 / 784, "other way round"),
    ("05_invertible", 2, 17024, "first convolution"),
    ("05_invertible", 2, 16128, "key embedding"),
    ("09_comparison", 2, 8, "limit"),
    ("10_clinic", 1, 0.8478, "percentage"),
    ("10_clinic", 2, 256, "a byte can hold"),
    ("10_clinic", 3, 16, "16,384 pixels"),
    ("10_clinic", 3, 14, "every pixel differs"),
    ("11_evaluate", 3, 8 * 27 * 27, "schedules"),
])
def test_a_common_slip_gets_its_hint(chapter, number, slip, hint):
    result = exercises.check(chapter, number, slip)
    assert not result and hint in result.message


def test_the_entropy_answer_agrees_with_a_simulation():
    rng = np.random.default_rng(0)
    simulated = metrics.entropy(rng.integers(0, 256, (4000, 28, 28), dtype=np.uint8)).mean
    assert exercises.check("01_metrics", 4, simulated)


def test_an_unknown_exercise_says_which_exist():
    with pytest.raises(ValueError, match="checked exercises: .*01_metrics 2"):
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


def test_the_chaos_challenge_names_the_slip_it_sees():
    task = exercises.challenge("02_baselines", 4)
    public, plain = task.give(), task.reference()
    assert "cipher images themselves" in task.check(public["cipher_images"]).message
    flat = plain.reshape(len(plain), -1)
    shuffled = flat[:, ::-1].reshape(plain.shape)  # right grey levels, wrong places
    assert "wrong places" in task.check(shuffled).message
    assert "shape" in task.check(plain[:2]).message


@pytest.mark.parametrize("chapter, number", CHECKED)
def test_a_checked_exercise_is_the_one_its_number_names(chapter, number):
    # The page numbers a chapter's exercises 1, 2, ... in order (medcrypt.book.numbering); the check must agree.
    source = (REPO_ROOT / "notebooks" / f"{chapter}.py").read_text()
    blocks = source.split("```{exercise}")[1:]
    assert number <= len(blocks), f"{chapter} has {len(blocks)} exercises, not {number}"
    block = blocks[number - 1].split("```", 1)[0] + blocks[number - 1].split("```{solution}", 1)[0]
    assert f'"{chapter}", {number}' in block, f"exercise {number} of {chapter} is not the one checked as {number}"


@pytest.mark.parametrize("value, text", [(64010.0, "64,010"), (99.609375, "99.61"), (-0.5, "-0.5"), (2.5e-7, "0.00000025"),
                                         (123456.78, "123,500")])
def test_answers_and_references_are_shown_without_an_exponent(value, text):
    assert exercises.core.shown(value) == text


def test_the_course_plan_assigns_every_exercise():
    import re

    plan = (REPO_ROOT / "book" / "course.md").read_text()
    for stem in runner.chapters():
        source = (REPO_ROOT / "notebooks" / f"{stem}.py").read_text()
        for title in re.findall(r"^# ```\{exercise\} (.*)$", source, re.M):
            # By title, with the chapter linked: a {ref} to an exercise does not resolve in the PDF.
            assert f"*{title}*" in plan, f"book/course.md assigns no week to {title!r} of {stem}"
