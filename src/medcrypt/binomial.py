"""The exact binomial lower tail of a pass count, the one question behind several verdicts.

"Would an ideal cipher (or a perfect generator) pass on this few of n trials?" is asked by
the NIST proportion rule, the NPCR and UACI sensitivity tests and the metric suite's flags;
each asks it here, so that they agree on rounding and on the tail.
"""

from __future__ import annotations


def lower_tail(passes: int, n: int, rate: float) -> float:
    """P(at most ``passes`` successes in ``n`` trials of success probability ``rate``)."""
    from scipy import stats

    if not 0 <= rate <= 1 or n < 0:
        raise ValueError(f"need 0 <= rate <= 1 and n >= 0; got rate {rate} and n {n}")
    return float(stats.binom.cdf(passes, n, rate))


def pass_count_p_value(pass_rate: float, n: int, null_rate: float) -> float:
    """P(an ideal cipher passes on so few of ``n`` trials): the lower tail at ``round(pass_rate · n)`` passes."""
    if not 0 < null_rate <= 1 or n < 1:
        raise ValueError(f"need 0 < null_rate <= 1 and n >= 1; got {null_rate} and {n}")
    return lower_tail(int(round(pass_rate * n)), n, null_rate)
