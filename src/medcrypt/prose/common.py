"""Sentence pieces every chapter uses: lists of names, rates, the AES-GCM and calibration sentences."""


from __future__ import annotations

import math
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
    """The end of the decision guide's AES-GCM sentence: a claim about chapter 8 only when the run supports it."""
    return "; in chapter 8 no attack in the suite broke it" if passed else ""


def gcm_note(passed: bool | None, row: pd.Series | None = None) -> str:
    """A sentence on AES-GCM's row of chapter 8's table, for section 9.6 (never in the recommendation itself)."""
    if passed is None:
        return "AES-GCM was not attacked in this run."
    if passed:
        return "AES-GCM survived every attack."
    failed = [column for column, value in (row.items() if row is not None else [])
              if isinstance(value, str) and value.startswith("FAIL")]
    return (f"This run's table marks AES-GCM as failing {names(failed, empty='a test')}. The suite keeps a "
            "sound cipher's chance of a FAIL anywhere in the table at 5 % (section 8.8 measures it), so a FAIL "
            "for a standard authenticated cipher is either such a false alarm or a defect of the suite, "
            "and worth reporting.")


def calibration_sentence(nominal_rejections: int, n_tests: int, nominal: float, table_rejections: int,
                         runs_per_test: int | None = None) -> str:
    """What the calibration runs show, chosen by their counts (a one-sided binomial test at 1 % for 'too many').

    A sample of sound-cipher runs can show miscalibration, never its absence: with few runs
    per test the sentence says what rate it could have detected, not that the verdicts are calibrated.
    """
    from scipy import stats

    too_many = stats.binomtest(nominal_rejections, n_tests, nominal, alternative="greater").pvalue < 0.01
    if table_rejections:
        return (f"{table_rejections} of the {n_tests} runs rejected a sound cipher even at the summary's level, so in "
                "this run the table's false-alarm rate is not held: the tests behind those rejections need a look.")
    if too_many:
        return ("No run rejected a sound cipher at the summary's level, but at the nominal level the share is "
                f"significantly above {nominal:.0%} (one-sided binomial test at 1 %): some test's null distribution is "
                "off for these sizes, and the correction, not the test, is what keeps the table honest.")
    text = ("No run rejected a sound cipher at the summary's level, and the share at the nominal level is consistent "
            f"with at most {nominal:.0%}: no evidence of miscalibration at this sample size")
    if runs_per_test:
        # the smallest per-test rate that 0 rejections in this many runs would rule out at 95 % (rule of three)
        text += (f". With {runs_per_test} runs per test and cipher, only a single test's false-alarm rate above about "
                 f"{min(1.0, 3 / runs_per_test):.0%} would have shown; at the summary's level, where the expected "
                 "count is far below one, these runs can show nothing")
    return text + "."


def _significant(value: float, digits: int = 2) -> str:
    import math

    rounded = float(f"{value:.{digits}g}")
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    return f"{rounded:.{decimals}f}"


def duration(seconds: float) -> str:
    """A wall time as a reader reads it, two significant digits in a unit chosen by the value ('0.45 ms', '12 s')."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative; got {seconds}")
    if seconds == 0:
        return "0 s"
    for unit, scale, below in (("µs", 1e-6, 1e-5), ("ms", 1e-3, 1.0), ("s", 1.0, 120.0)):
        if seconds < below:
            return f"{_significant(seconds / scale)} {unit}"
    return f"{_significant(seconds / 60)} min"


def p_value_text(p) -> str:
    """A p-value in the book's one style: three significant digits, '< 0.0001' below that, '–' when missing."""
    if p is None or p is pd.NA or math.isnan(float(p)):
        return "–"
    p = float(p)
    return "< 0.0001" if p < 1e-4 else f"{p:.3g}"


def ceiling_sentence(rates: dict[str, dict[str, float]], ceiling: float, n_images: int | None = None) -> str:
    """Each cipher's encryption speed as a share of the run's ceiling (label -> rates with ``ratio_to_ceiling``);
    with ``n_images``, a word on why a small batch keeps even AES far from it."""
    def share(ratio: float) -> str:
        return f"{ratio:.1%}" if ratio >= 0.001 else "less than 0.1%"

    parts = [f"{label} {share(r['ratio_to_ceiling'])}" for label, r in rates.items()]
    text = (f"Against the ceiling of {ceiling:,.0f} MB/s measured in the same run (the library's AES-256-CTR over one "
            f"buffer of the same size, the dashed line), encryption reaches: {names(parts)}.")
    if n_images is not None:
        text += (f" On a batch of {n_images:,} images a cipher's fixed cost per call weighs heavily; chapter 9 times "
                 "every cipher on one larger batch.")
    return text
