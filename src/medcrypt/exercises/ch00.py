"""Chapter 0's checked exercise: a count recomputed from the survey's own data (``data/papers.csv``).

The reference reads the same file the chapter reads, so it follows the data when a paper is added or
re-classified; nothing here is a typed count.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..paths import REPO_ROOT
from .core import Exercise, near

#: papers.csv of the checkout, or the copy installed with the package.
PAPERS = next(path for path in (REPO_ROOT / "data" / "papers.csv",
                                Path(__file__).resolve().parents[1] / "_data" / "papers.csv") if path.exists())


def _papers() -> pd.DataFrame:
    return pd.read_csv(PAPERS, dtype=str, keep_default_na=False)


def _evaluates(papers: pd.DataFrame, item: str) -> pd.Series:
    return papers["evaluates"].str.split(";").apply(lambda items: item in [i.strip() for i in items])


def differential_share() -> float:
    """The share (in percent) of the papers that propose a cipher whose evaluation includes NPCR / UACI."""
    papers = _papers()
    ciphers = papers[papers["kind"] == "cipher"]
    return 100 * _evaluates(ciphers, "differential").mean()


def _count() -> int:
    """The slip: the number of such papers, not their share."""
    papers = _papers()
    return int(_evaluates(papers[papers["kind"] == "cipher"], "differential").sum())


def _share_of_all() -> float:
    """The slip: the same count over every included paper, surveys and attacks too."""
    papers = _papers()
    return 100 * _evaluates(papers, "differential").sum() / len(papers)


ITEMS = (
    Exercise("00_survey", 2, "the share of the cipher papers that evaluate NPCR / UACI", differential_share, 0.05, "%",
             ((near(lambda e: e / 100, 0.0005), "give the share in percent, not as a fraction."),
              (lambda value, expected: value == _count(), "that is how many papers; the question asks for their "
                                                          "share of the cipher papers, in percent."),
              (lambda value, expected: abs(value - _share_of_all()) <= 0.05,
               "the denominator is the papers that propose a cipher (kind == 'cipher'), not every included paper: "
               "surveys, attacks and context papers evaluate no cipher of their own."))),
)
