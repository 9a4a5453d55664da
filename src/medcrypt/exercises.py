"""Exercises whose answers the library checks: ``check(chapter, number, answer)`` says right or wrong.

The exercises end each chapter as ``sphinx-exercise`` blocks, with their solutions folded
away. Those whose answer is a number are registered here with the computation that
solves them, so a student checks an answer in the notebook,

    >>> from medcrypt import exercises
    >>> exercises.check("01_metrics", 2, 99.6)          # doctest: +SKIP
    Result(right=True, message='Right: ...')

and the tests check every reference solution, and a few wrong answers, against its
check. A wrong answer that is a known slip (a fraction where a percentage is asked, the
infinite-sample value where a finite one is) gets a hint that names the slip.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import metrics


@dataclass(frozen=True)
class Result:
    """The verdict on one answer: right or not, and what to look at when it is not."""

    right: bool
    message: str

    def __bool__(self) -> bool:
        return self.right


@dataclass(frozen=True)
class Exercise:
    """One checked exercise: its reference solution (computed, never typed) and the slips it recognises."""

    chapter: str
    number: int
    asks: str
    solve: Callable[[], float]
    tolerance: float
    unit: str = ""
    slips: tuple[tuple[Callable[[float, float], bool], str], ...] = field(default=())

    def reference(self) -> float:
        """The reference solution, computed by the library."""
        return float(self.solve())

    def check(self, answer) -> Result:
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return Result(False, f"give {self.asks} as one number{f' in {self.unit}' if self.unit else ''}; "
                                 f"got {answer!r}")
        if not math.isfinite(value):
            return Result(False, f"give a finite number; got {answer!r}")
        expected = self.reference()
        if abs(value - expected) <= self.tolerance:
            return Result(True, f"Right: {self.asks} is {expected:.4g}{f' {self.unit}' if self.unit else ''}.")
        for matches, hint in self.slips:
            if matches(value, expected):
                return Result(False, f"Not yet: {hint}")
        return Result(False, f"Not yet: {value:g} is not {self.asks} (to within {self.tolerance:g}). "
                             "Work it out from the definition in the chapter, then compute it.")


def _near(target: Callable[[float], float], tolerance: float) -> Callable[[float, float], bool]:
    return lambda value, expected: abs(value - target(expected)) <= tolerance


_EXERCISES = (
    Exercise("01_metrics", 2, "the expected NPCR of two independent uniform 8-bit cipher images",
             lambda: 100 * metrics.npcr_expected(), 0.01, "%",
             ((_near(lambda e: e / 100, 0.001), "NPCR is quoted in percent, not as a fraction."),
              (_near(lambda e: 100.0, 0.005), "two independent bytes are equal with probability 1/256, so not "
                                              "every pixel differs."))),
    Exercise("01_metrics", 3, "the expected UACI of two independent uniform 8-bit cipher images",
             lambda: 100 * metrics.uaci_expected(), 0.01, "%",
             ((_near(lambda e: e / 100, 0.001), "UACI is quoted in percent, not as a fraction."),
              (_near(lambda e: 50.0, 0.5), "the mean absolute difference of two independent uniform values is a "
                                           "third of the range, not half of it."))),
    Exercise("01_metrics", 4, "the expected Shannon entropy of one 28×28 image of uniform random bytes",
             lambda: metrics.expected_entropy(28 * 28), 0.01, "bits",
             ((_near(lambda e: 8.0, 0.005), "8 bits is the limit for infinitely many pixels; 784 pixels cannot "
                                            "fill 256 bins evenly, so the histogram's entropy is lower."),)),
)

#: (chapter, number) -> the exercise.
EXERCISES: dict[tuple[str, int], Exercise] = {(e.chapter, e.number): e for e in _EXERCISES}


def exercise(chapter: str, number: int) -> Exercise:
    """The checked exercise ``number`` of ``chapter`` (a notebook stem such as ``"01_metrics"``)."""
    try:
        return EXERCISES[(chapter, int(number))]
    except (KeyError, ValueError):
        known = ", ".join(f"{c} {n}" for c, n in sorted(EXERCISES))
        raise ValueError(f"no checked exercise {number!r} in chapter {chapter!r}; checked exercises: {known}") from None


def check(chapter: str, number: int, answer) -> Result:
    """Whether ``answer`` solves exercise ``number`` of ``chapter``, with a hint when it does not."""
    return exercise(chapter, number).check(answer)
