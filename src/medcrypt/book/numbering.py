"""Sphinx extension: exercises numbered within their chapter ("Exercise 2.4"), as ``exercises.check`` counts them.

Sphinx numbers every ``{exercise}`` of the book in one sequence, so chapter 2's fourth
exercise would read "Exercise 13" while its notebook says ``exercises.check("02_baselines",
4, answer)``. After Sphinx has assigned its numbers, this renumbers each chapter's
exercises as (chapter, position in the chapter); a reference to an exercise, and its
solution's title, follow.
"""

from __future__ import annotations

import re

CHAPTER = re.compile(r"(?:^|/)(\d{2})_[^/]+$")
KINDS = ("exercise",)


def chapter_numbers(numbers: dict[str, dict[str, dict[str, tuple[int, ...]]]]) -> dict:
    """``env.toc_fignumbers`` with each chapter's exercises numbered (chapter, 1..n) in their page order."""
    out = {}
    for docname, kinds in numbers.items():
        kinds = dict(kinds)
        match = CHAPTER.search(docname)
        for kind in KINDS:
            if match and kind in kinds:
                ordered = sorted(kinds[kind].items(), key=lambda item: item[1])
                kinds[kind] = {ident: (int(match.group(1)), position)
                               for position, (ident, _) in enumerate(ordered, 1)}
        out[docname] = kinds
    return out


def _renumber(app, env) -> list[str]:
    env.toc_fignumbers = chapter_numbers(env.toc_fignumbers)
    return []


def setup(app):
    app.connect("env-get-updated", _renumber, priority=900)  # after Sphinx's own numbering (priority 500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
