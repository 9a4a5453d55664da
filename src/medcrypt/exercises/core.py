"""The two kinds of checked exercise: a number to compute, and a cipher to break.

``Exercise`` is a question whose answer is one number; its reference solution is a
computation by the library, never a typed value. ``Challenge`` is a "break it" task: a
cipher instance under a key the student does not see, some public material (cipher
images, known pairs, an oracle), and a target (recover an image, a key, or win a game
with a given advantage). Its reference solution is the library's own attack run on the
public material alone, so the tests show that the target can be reached.

Both answer ``check(answer)`` with a ``Result`` that says right or wrong and, for a known
slip, what to look at; both name ``wrong_answers()`` that their tests show to fail.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import formatting


@dataclass(frozen=True)
class Result:
    """The verdict on one answer: right or not, and what to look at when it is not."""

    right: bool
    message: str

    def __bool__(self) -> bool:
        return self.right


def image_answer(answer, expected: np.ndarray, right: str) -> tuple[Result | None, np.ndarray]:
    """The start that every judge of an image answer shares: a wrong shape, or exactly the expected image,
    decides at once (the :class:`Result`); otherwise ``(None, answer as int64)`` for the judge's named slips."""
    answer = np.asarray(answer)
    if answer.shape != expected.shape:
        return Result(False, f"Not yet: the answer is one image of shape {expected.shape}; "
                             f"got shape {answer.shape}."), answer
    answer = answer.astype(np.int64)
    return (Result(True, right) if np.array_equal(answer, expected) else None), answer


@dataclass(frozen=True)
class Exercise:
    """One checked exercise whose answer is a number: its reference solution (computed, never typed) and the slips it recognises."""

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

    def wrong_answers(self) -> list:
        """Answers that must fail: off by ten tolerances either way, zero, text, nothing, NaN."""
        reference = self.reference()
        return [reference + 10 * self.tolerance, reference - 10 * self.tolerance, 0, "about right", None,
                float("nan")]

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
            return Result(True, f"Right: {self.asks} is {shown(expected)}{f' {self.unit}' if self.unit else ''}.")
        for matches, hint in self.slips:
            if matches(value, expected):
                return Result(False, f"Not yet: {hint}")
        return Result(False, f"Not yet: {shown(value)} is not {self.asks} (to within {shown(self.tolerance)}). "
                             "Work it out from the definition in the chapter, then compute it.")


@dataclass(frozen=True)
class Setup:
    """What a challenge hands out (``public``) and what only its checker sees (``secret``)."""

    public: dict[str, Any]
    secret: dict[str, Any]


@dataclass(eq=False)
class Challenge:
    """A "break it" challenge: a cipher under a hidden key, public material and a target.

    ``setup()`` builds the instance (the key comes from a fixed seed, so a student who
    restarts gets the same task; a nonce, if the cipher draws one, is fresh per session).
    ``judge(answer, setup)`` returns a ``Result``; ``solve(public)`` is the reference
    solution from the public material alone, and ``wrong(public)`` lists answers that must
    fail (the tests run both).
    """

    chapter: str
    number: int
    asks: str
    setup: Callable[[], Setup]
    judge: Callable[[Any, Setup], Result]
    solve: Callable[[dict[str, Any]], Any]
    wrong: Callable[[dict[str, Any]], list]
    _made: Setup | None = field(default=None, repr=False)

    def _instance(self) -> Setup:
        if self._made is None:  # built once per session, so give() and check() see one instance
            self._made = self.setup()
        return self._made

    def give(self) -> dict[str, Any]:
        """The public material: everything the attacker may use."""
        return dict(self._instance().public)

    def reference(self):
        """The reference solution: the library's attack on the public material."""
        return self.solve(self.give())

    def wrong_answers(self) -> list:
        return list(self.wrong(self.give())) + [None, "the key"]

    def check(self, answer) -> Result:
        try:
            return self.judge(answer, self._instance())
        except (TypeError, ValueError, IndexError) as error:
            return Result(False, f"Not yet: the answer should be {self.asks}; reading {type(answer).__name__} "
                                 f"failed with: {error}")


def shown(value: float) -> str:
    """A number as a reader writes it: four significant digits, thousands separated, never an exponent."""
    if float(value).is_integer():
        return f"{int(value):,}"
    text = formatting.significant(float(value), 4)
    sign = "-" if text.startswith("-") else ""
    whole, _, decimals = text.lstrip("-").partition(".")
    decimals = decimals.rstrip("0")
    return f"{sign}{int(whole):,}" + (f".{decimals}" if decimals else "")


def near(target: Callable[[float], float], tolerance: float) -> Callable[[float, float], bool]:
    """A slip detector: the answer is within ``tolerance`` of ``target(expected)``."""
    return lambda value, expected: abs(value - target(expected)) <= tolerance


class BlindGuesser:
    """A wrong answer to an IND-CPA challenge: guesses at random without using the oracle (advantage about 0)."""

    name = "blind"

    def choose(self, oracle, images, rng):
        return images[0], images[1]

    def guess(self, oracle, challenges, rng):
        return rng.integers(0, 2, len(challenges))


def inverted(adversary_class):
    """A wrong answer built from a right one: ``adversary_class`` with every guess flipped (advantage about -1)."""
    class Inverted(adversary_class):
        name = "inverted"

        def guess(self, oracle, challenges, rng):
            return 1 - super().guess(oracle, challenges, rng)
    return Inverted
