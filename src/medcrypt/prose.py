"""Sentences chosen or filled by computed values, kept here so that every branch is tested.

A sentence in the book that states a measured result is generated from the run; when its
wording depends on the values (an empty list, one item, many), the choice is made here.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd


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


def gcm_clause(passed: bool | None) -> str:
    """The end of the decision guide's AES-GCM sentence: a claim about chapter 7 only when the run supports it."""
    return "; in chapter 7 no attack in the suite broke it" if passed else ""


def gcm_note(passed: bool | None, row: pd.Series | None = None) -> str:
    """A sentence on AES-GCM's row of chapter 7's table, for section 8.6 (never in the recommendation itself)."""
    if passed is None:
        return "AES-GCM was not attacked in this run."
    if passed:
        return "AES-GCM survived every attack."
    failed = [column for column, value in (row.items() if row is not None else [])
              if isinstance(value, str) and value.startswith("FAIL")]
    return (f"This run's table marks AES-GCM as failing {names(failed, empty='a test')}. The suite keeps a "
            "sound cipher's chance of a FAIL anywhere in the table at 5 % (section 7.8 measures it), so a FAIL "
            "for a standard authenticated cipher is either such a false alarm or a defect of the suite, "
            "and worth reporting.")
