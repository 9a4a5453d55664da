"""Exercises whose answers the library checks: ``check(chapter, number, answer)`` says right or wrong.

The exercises end each chapter as ``sphinx-exercise`` blocks, with their solutions folded
away. Those whose answer is a number, and the "break it" challenges, are registered here
(one module per chapter, ``medcrypt.exercises.chNN``) with the computation or the attack
that solves them, so a student checks an answer in the notebook,

    >>> from medcrypt import exercises
    >>> exercises.check("01_metrics", 2, 99.6)          # doctest: +SKIP
    Result(right=True, message='Right: ...')
    >>> task = exercises.challenge("02_baselines", 5).give()   # doctest: +SKIP

and the tests check every reference solution, and answers that must fail, against its
check. A wrong answer that is a known slip (a fraction where a percentage is asked, the
infinite-sample value where a finite one is) gets a hint that names the slip.
"""

from __future__ import annotations

from importlib import import_module

from .core import Challenge, Exercise, Result, Setup, near

__all__ = ["Challenge", "Exercise", "Result", "Setup", "near", "EXERCISES", "exercise", "challenge", "check"]

#: The chapter modules, one per notebook (``ch01`` holds ``01_metrics``'s exercises).
CHAPTER_MODULES = tuple(f"ch{n:02d}" for n in range(12))


def _collect() -> dict[tuple[str, int], Exercise | Challenge]:
    found: dict[tuple[str, int], Exercise | Challenge] = {}
    for name in CHAPTER_MODULES:
        for item in import_module(f"{__name__}.{name}").ITEMS:
            key = (item.chapter, item.number)
            if key in found:
                raise RuntimeError(f"exercise {item.number} of {item.chapter} is registered twice")
            found[key] = item
    return found


#: (chapter, number) -> the checked exercise or challenge.
EXERCISES: dict[tuple[str, int], Exercise | Challenge] = _collect()


def exercise(chapter: str, number: int) -> Exercise | Challenge:
    """The checked exercise ``number`` of ``chapter`` (a notebook stem such as ``"01_metrics"``)."""
    try:
        return EXERCISES[(chapter, int(number))]
    except (KeyError, ValueError):
        known = ", ".join(f"{c} {n}" for c, n in sorted(EXERCISES))
        raise ValueError(f"no checked exercise {number!r} in chapter {chapter!r}; checked exercises: {known}") from None


def challenge(chapter: str, number: int) -> Challenge:
    """The "break it" challenge ``number`` of ``chapter``; ``.give()`` hands out its public material."""
    item = exercise(chapter, number)
    if not isinstance(item, Challenge):
        raise ValueError(f"exercise {number} of {chapter} asks for a number, not a break; "
                         f"check your answer with exercises.check({chapter!r}, {number}, answer)")
    return item


def check(chapter: str, number: int, answer) -> Result:
    """Whether ``answer`` solves exercise ``number`` of ``chapter``, with a hint when it does not."""
    return exercise(chapter, number).check(answer)
