"""Sentence pieces every topic uses: lists of names, ranges, the worst of several rates."""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from ...formatting import duration, p_value as p_value_text  # noqa: F401 (re-exported: the chapters' names)


def names(items: Iterable[str], empty: str = "none") -> str:
    """'a', 'a and b', 'a, b and c', or ``empty`` for no items."""
    items = [str(i) for i in items]
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def worst_rate(rates: pd.Series) -> str:
    """'<test> at <rate>' for the largest of ``rates`` (test -> share of runs), e.g. 'diagnosis leak at 0.100'."""
    if rates.empty:
        raise ValueError("worst_rate needs at least one rate")
    test = rates.idxmax()
    return f"{test} at {float(rates[test]):.3f}"


def seeds_phrase(n_seeds: int) -> str:
    """'use one seed' or 'take the worst of 3 seeds' (chapter 8's verdicts keep the worst case over seeds)."""
    if n_seeds < 1:
        raise ValueError(f"need at least one seed; got {n_seeds}")
    return "use one seed" if n_seeds == 1 else f"take the worst of {n_seeds} seeds"


def count_range(low: int, high: int) -> str:
    """'6' when both ends agree, else 'between 2 and 6'."""
    return f"{low}" if low == high else f"between {low} and {high}"


def worst_share(rates: pd.Series) -> str:
    """'<test> at <share in %>' for the largest of ``rates`` (test -> share of runs), e.g. 'diagnosis leak at 7.50%'."""
    if rates.empty:
        raise ValueError("worst_share needs at least one rate")
    test = rates.idxmax()
    return f"{test} at {float(rates[test]):.2%}"
