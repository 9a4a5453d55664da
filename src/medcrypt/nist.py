"""NIST SP 800-22 Rev. 1a, seven of its tests, judged over many sequences as §4 prescribes.

Why this module exists
----------------------
``medcrypt.metrics.nist`` runs the ``nistrng`` port on *one* sequence and reports how many
tests it passed. SP 800-22 judges a *generator* instead, from m sequences (§4.2):

* §4.2.1, proportion: the share of the m sequences whose P-value is ≥ α must lie in
  p̂ ± 3·sqrt(p̂(1−p̂)/m), p̂ = 1 − α (:func:`proportion_interval`);
* §4.2.2, uniformity: the m P-values are counted in 10 equal bins of [0, 1],
  χ² = Σ (F_i − m/10)² / (m/10) and P-value_T = igamc(9/2, χ²/2); they are uniform when
  P-value_T ≥ 0.0001 (:func:`uniformity_p_value`). §4.2.2 asks for at least 55 sequences,
  so below that :func:`assess` reports ``None``.

A test with several P-values counts each separately: cumulative sums gives a forward and a
backward row, each with its own proportion and uniformity. The interval is applied on both
sides as §4.2.1 states it, so with m = 100 at least 97 sequences must pass (0.96 < 0.96015);
NIST's STS 2.1.2 (``assess.c``) truncates the bound to a whole count and accepts 96. Even for
a perfect generator a row falls outside by chance with probability
P(Binomial(100, 0.01) ≥ 4) ≈ 1.8 %, so with 8 rows roughly one report in eight fails
(5 of 40 seeded runs of 100 × 10⁵ random bits did): one failed row is weak evidence.

The tests (each takes one 0/1 sequence, or an (m, n) array of m sequences, vectorised):

=========================================  =======  ==========================================
test                                       section  shortest n the standard allows
=========================================  =======  ==========================================
:func:`frequency` (monobit)                §2.1     100 (§2.1.7)
:func:`block_frequency`                    §2.2     100 (§2.2.7)
:func:`runs`                               §2.3     100 (§2.3.7)
:func:`longest_run_of_ones`                §2.4     128 (§2.4.2's table)
:func:`binary_matrix_rank` (32×32)         §2.5     38·M·Q = 38,912 (§2.5.7)
:func:`discrete_fourier_transform`         §2.6     1,000 (§2.6.7)
:func:`cumulative_sums` (fwd/bwd)          §2.13    100 (§2.13.7)
=========================================  =======  ==========================================

Parameters follow the standard, and can be overridden where its worked examples use others:
block frequency takes the smallest M with M ≥ 20, M > 0.01·n and N = ⌊n/M⌋ < 100 (§2.2.7);
longest run takes M = 8, 128 or 10⁴ by n and the class probabilities π_i of NIST's reference
code STS 2.1.2 (``longestRunOfOnes.c``: exact for M = 8 and 128; for M = 10⁴ the standard's
four-decimal values, which are what its Appendix B results were computed with, although the
exact ones differ by up to 1.6e-3); rank uses the exact probabilities of §3.5.

Known answers, and where the standard's examples are inconsistent
-----------------------------------------------------------------
``tests/test_nist.py`` reproduces, to 6 decimals, the worked examples of §2.1–§2.6 and §2.13,
the Appendix B P-values for the first 10⁶ bits of e and of pi, and the §4.2.2 histograms and
P-value_T that NIST's STS printed for 10 × 10⁵ bits of pi; the source of every value is
written next to it. Some examples need a note:

* §2.6.4 and §2.6.8 (spectral) print peak counts N₁ = 4 and 46, which the transform of their
  inputs does not give (it gives 5 and 48, computed both by FFT and from the definition); their
  d and P-values do follow from the printed N₁, and the Appendix B results are reproduced.
* §2.4.8 (longest run) is computed with π_i rounded to four decimals: it prints
  χ² = 4.882605 and P = 0.180598, which :func:`longest_run_of_ones` gives with those π_i; with
  the exact π_i (the default) the same input gives 0.180609.
* §2.5.4's 3×3 example uses the 32×32 probabilities rounded to 0.2888, 0.5776, 0.1336
  (``probabilities=`` reproduces it); §2.5.8 uses the exact ones (χ² = 1.2619656; the rounded
  ones would give 1.262580).
* §2.13.4 does not say how the summation limits are rounded; STS's C integer division, which we
  follow, reproduces its 0.4116588 and ⌊·⌋ would not (see :func:`_cusum_p_value`).

Cross-check against ``nistrng`` 1.2.3
-------------------------------------
On random sequences of 10⁵ bits ``nistrng`` agrees with this module to ~1e-12 for monobit,
runs, discrete Fourier transform and both cumulative sums, to ~1e-9 for binary matrix rank
(its rank-31 probability differs from §3.5's by 1.3e-10; its ranks are right), and for the
frequency within a block once both use the same M (``nistrng`` picks M = ⌊n/99⌋, 1,010 for 10⁵
bits; we pick the smallest M that §2.2.7 allows, 1,001; both satisfy §2.2.7). Two caveats that
are not numeric: its ``Result.score`` is the *mean* of a test's P-values (both cumulative
sums), and when the runs prerequisite fails it calls the sequence "not eligible" where §2.3.4
sets P = 0, a failure. Where it does differ it is wrong:

* **nistrng's longest-run test is wrong** because it always uses N = 16, 49 or 75 blocks (the
  N of §2.4.2's table for the *shortest* admissible n) instead of N = ⌊n/M⌋ (§2.4.4 step 1),
  so of 10⁵ bits it reads only the first 6,272, and for M = 8 it uses the first four class
  probabilities of M = 128 (which sum to 0.785). Its result equals ours on the first 49·128
  bits with its rounded π_i; on 10⁶ bits of e it gives 0.587744 where Appendix B has 0.718945
  (ours: 0.718945), and on §2.4.8's example 0.006836 where the standard has 0.180598. We use
  our own implementation.

Everything here is NumPy/SciPy: ``scipy.special.gammaincc`` is the standard's igamc,
``erfc`` its erfc and ``ndtr`` its Φ (§5.5.3). GF(2) ranks are computed for a whole batch of
matrices at once, with rows packed into 64-bit integers (:func:`gf2_rank`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats
from scipy.special import erfc, gammaincc, ndtr

ALPHA = 0.01
"""Significance level of every test: a sequence passes when P ≥ α (§4.2.1 uses α = 0.01)."""

UNIFORMITY_MIN_SEQUENCES = 55
"""§4.2.2: the uniformity of P-values needs at least 55 sequences."""

UNIFORMITY_THRESHOLD = 0.0001
"""§4.2.2: the P-values are uniform when P-value_T ≥ 0.0001."""

DEFAULT_MAX_SEQUENCES = 100
""":func:`assess` uses at most this many sequences unless told otherwise: comfortably above the
55 that §4.2.2 needs, and 100 × 10⁵ bits run in about a second."""

RANK_ROWS = RANK_COLS = 32  # §2.5: the test uses 32 × 32 matrices

# Minimum lengths n that the standard allows for each test (see the module docstring).
MIN_BITS = {
    "frequency": 100,
    "block_frequency": 100,
    "runs": 100,
    "longest_run": 128,
    "rank": 38 * RANK_ROWS * RANK_COLS,
    "dft": 1000,
    "cusum": 100,
}

# §2.4.2 / §3.4: block length M by n, class boundaries v_0 … v_K, and π_i as coded in NIST's
# STS 2.1.2 (sts/src/longestRunOfOnes.c). The first class is "≤ v_0", the last "≥ v_K".
LONGEST_RUN_CLASSES = {
    8: (1, 2, 3, 4),
    128: (4, 5, 6, 7, 8, 9),
    10_000: (10, 11, 12, 13, 14, 15, 16),
}
LONGEST_RUN_PROBABILITIES = {
    8: (0.21484375, 0.3671875, 0.23046875, 0.1875),
    128: (0.1174035788, 0.242955959, 0.249363483, 0.17517706, 0.102701071, 0.112398847),
    10_000: (0.0882, 0.2092, 0.2483, 0.1933, 0.1208, 0.0675, 0.0727),
}


# ------------------------------------------------------------------ input handling

def _as_bits(bits: Any, what: str = "bits") -> np.ndarray:
    """A 0/1 integer (or bool) array as ``uint8``; anything else is a ``ValueError``."""
    arr = np.asarray(bits)
    if arr.dtype != bool and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{what} must be an integer array of 0s and 1s, got dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() > 1):
        raise ValueError(f"{what} must contain only 0s and 1s")
    return arr.astype(np.uint8, copy=False)


def _as_matrix(bits: Any) -> tuple[np.ndarray, bool]:
    """(m, n) ``uint8`` array and whether the input was a single 1-D sequence."""
    arr = _as_bits(bits)
    if arr.ndim == 1:
        return arr[None, :], True
    if arr.ndim == 2:
        return arr, False
    raise ValueError(f"bits must be one sequence (1-D) or m sequences (2-D), got {arr.ndim}-D")


def _out(values: np.ndarray, single: bool):
    values = np.asarray(values, dtype=float)
    return float(values[0]) if single else values


def _batches(m: int, n: int, budget: int = 1 << 22):
    """Row slices of an (m, n) array with about ``budget`` bits each, to bound temporaries."""
    step = max(1, budget // max(n, 1))
    for start in range(0, m, step):
        yield slice(start, min(start + step, m))


def _require(n: int, minimum: int, test: str) -> None:
    if n < minimum:
        raise ValueError(f"the {test} test needs at least {minimum} bits per sequence, got {n}")


# ------------------------------------------------------------------ §2.1 frequency (monobit)

def frequency(bits):
    """§2.1 Frequency (monobit) test: P = erfc(|S_n| / sqrt(2n)), S_n = Σ (2ε_i − 1)."""
    x, single = _as_matrix(bits)
    n = x.shape[1]
    _require(n, 1, "frequency")
    s = 2 * x.sum(axis=1, dtype=np.int64) - n
    return _out(erfc(np.abs(s) / math.sqrt(2.0 * n)), single)


# ------------------------------------------------------------------ §2.2 frequency within a block

def default_block_frequency_size(n: int) -> int:
    """The smallest M that §2.2.7 allows: M ≥ 20, M > 0.01·n and N = ⌊n/M⌋ < 100."""
    return max(20, n // 100 + 1)


def block_frequency(bits, block_size: int | None = None):
    """§2.2 Frequency test within a block: χ² = 4M Σ (π_i − ½)², P = igamc(N/2, χ²/2).

    ``block_size`` (M) defaults to :func:`default_block_frequency_size`; the §2.2.4 and §2.2.8
    examples use M = 3 and M = 10, NIST's STS defaults to 128.
    """
    x, single = _as_matrix(bits)
    n = x.shape[1]
    m_block = default_block_frequency_size(n) if block_size is None else int(block_size)
    if m_block < 1 or n // m_block < 1:
        raise ValueError(f"block_size {m_block} does not fit in {n} bits")
    n_blocks = n // m_block
    ones = x[:, : n_blocks * m_block].reshape(len(x), n_blocks, m_block).sum(axis=2, dtype=np.int64)
    chi2 = 4.0 * m_block * ((ones / m_block - 0.5) ** 2).sum(axis=1)
    return _out(gammaincc(n_blocks / 2.0, chi2 / 2.0), single)


# ------------------------------------------------------------------ §2.3 runs

def runs(bits):
    """§2.3 Runs test. P = 0 when the frequency prerequisite |π − ½| ≥ τ = 2/√n fails (§2.3.4 (2)).

    Otherwise P = erfc(|V_n − 2nπ(1−π)| / (2·sqrt(2n)·π(1−π))), V_n = 1 + number of changes.
    """
    x, single = _as_matrix(bits)
    n = x.shape[1]
    _require(n, 2, "runs")
    pi = x.sum(axis=1, dtype=np.int64) / n
    v = 1 + np.count_nonzero(x[:, 1:] != x[:, :-1], axis=1)
    q = pi * (1.0 - pi)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = erfc(np.abs(v - 2.0 * n * q) / (2.0 * math.sqrt(2.0 * n) * q))
    p = np.where(np.abs(pi - 0.5) >= 2.0 / math.sqrt(n), 0.0, p)
    return _out(p, single)


# ------------------------------------------------------------------ §2.4 longest run of ones

def default_longest_run_block_size(n: int) -> int:
    """§2.4.2: M = 8 for 128 ≤ n < 6,272; M = 128 for n < 750,000; M = 10⁴ above."""
    if n < MIN_BITS["longest_run"]:
        raise ValueError(f"the longest-run test needs at least {MIN_BITS['longest_run']} bits, got {n}")
    return 8 if n < 6272 else 128 if n < 750_000 else 10_000


def _longest_runs(blocks: np.ndarray) -> np.ndarray:
    """Longest run of ones along the last axis, without a Python loop over bits."""
    b = blocks.astype(np.int32)
    c = np.cumsum(b, axis=-1, dtype=np.int32)
    # at each 0, remember how many ones came before it; a run is "ones since the last 0"
    reset = np.maximum.accumulate(np.where(b == 0, c, 0), axis=-1)
    return (c - reset).max(axis=-1)


def longest_run_of_ones(bits, block_size: int | None = None,
                        probabilities: Sequence[float] | None = None):
    """§2.4 Longest run of ones in a block: χ² = Σ (ν_i − Nπ_i)² / (Nπ_i), P = igamc(K/2, χ²/2).

    ``block_size`` (M, one of 8, 128, 10⁴) defaults to §2.4.2's choice for n; N = ⌊n/M⌋ blocks
    are used (§2.4.4 (1)). ``probabilities`` overrides the π_i (default: STS 2.1.2's).
    """
    x, single = _as_matrix(bits)
    n = x.shape[1]
    m_block = default_longest_run_block_size(n) if block_size is None else int(block_size)
    if m_block not in LONGEST_RUN_CLASSES:
        raise ValueError(f"block_size must be one of {sorted(LONGEST_RUN_CLASSES)}, got {m_block}")
    classes = LONGEST_RUN_CLASSES[m_block]
    pi = np.asarray(LONGEST_RUN_PROBABILITIES[m_block] if probabilities is None else probabilities, float)
    if pi.shape != (len(classes),):
        raise ValueError(f"M = {m_block} needs {len(classes)} probabilities, got {pi.shape}")
    n_blocks = n // m_block
    if n_blocks < 1:
        raise ValueError(f"block_size {m_block} does not fit in {n} bits")
    used = x[:, : n_blocks * m_block].reshape(len(x), n_blocks, m_block)
    longest = np.concatenate([_longest_runs(used[rows]) for rows in _batches(len(x), n)])
    cls = np.clip(longest, classes[0], classes[-1]) - classes[0]          # (m, N) in 0..K
    nu = (cls[:, :, None] == np.arange(len(classes))).sum(axis=1)         # (m, K+1)
    expected = n_blocks * pi
    chi2 = ((nu - expected) ** 2 / expected).sum(axis=1)
    k = len(classes) - 1
    return _out(gammaincc(k / 2.0, chi2 / 2.0), single)


# ------------------------------------------------------------------ §2.5 binary matrix rank

def rank_probability(r: int, rows: int = RANK_ROWS, cols: int = RANK_COLS) -> float:
    """§3.5: P(rank = r) of a random rows×cols matrix over GF(2),
    2^{r(Q+M−r)−MQ} ∏_{i=0}^{r−1} (1−2^{i−Q})(1−2^{i−M}) / (1−2^{i−r})."""
    product = 1.0
    for i in range(r):
        product *= (1.0 - 2.0 ** (i - cols)) * (1.0 - 2.0 ** (i - rows)) / (1.0 - 2.0 ** (i - r))
    return 2.0 ** (r * (cols + rows - r) - rows * cols) * product


def gf2_rank(matrices: np.ndarray) -> np.ndarray:
    """Ranks over GF(2) of a batch of 0/1 matrices, shape (..., rows, cols) with cols ≤ 64.

    Each row is packed into one ``uint64``; Gaussian elimination then runs over all matrices
    at once, one column (bit) at a time: pick the first row at or below the current rank that
    has the bit, swap it up, XOR it into the rows below that have the bit.
    """
    mats = _as_bits(matrices, "matrices")
    if mats.ndim < 2:
        raise ValueError("matrices must have shape (..., rows, cols)")
    *batch, n_rows, n_cols = mats.shape
    if n_cols > 64:
        raise ValueError("gf2_rank packs a row into 64 bits: at most 64 columns")
    mats = mats.reshape(-1, n_rows, n_cols)
    packed = np.packbits(mats, axis=-1)                                   # (B, R, ceil(C/8))
    buf = np.zeros(packed.shape[:2] + (8,), dtype=np.uint8)
    buf[..., 8 - packed.shape[-1]:] = packed
    rows = buf.view(">u8")[..., 0].astype(np.uint64)                      # (B, R)
    n_mat = rows.shape[0]
    rank = np.zeros(n_mat, dtype=np.int64)
    index = np.arange(n_rows)
    zero = np.uint64(0)
    for bit in range(8 * packed.shape[-1] - 1, -1, -1):  # the packed row sits in the low bytes
        mask = np.uint64(1) << np.uint64(bit)
        candidate = ((rows & mask) != 0) & (index >= rank[:, None])
        found = np.flatnonzero(candidate.any(axis=1))
        if found.size == 0:
            continue
        pivot_at = candidate[found].argmax(axis=1)
        r = rank[found]
        pivot = rows[found, pivot_at]
        rows[found, pivot_at] = rows[found, r]
        rows[found, r] = pivot
        sub = rows[found]
        below = ((sub & mask) != 0) & (index > r[:, None])
        rows[found] = sub ^ np.where(below, pivot[:, None], zero)
        rank[found] += 1
    return rank.reshape(batch) if batch else rank.reshape(())


def binary_matrix_rank(bits, rows: int = RANK_ROWS, cols: int = RANK_COLS,
                       probabilities: Sequence[float] | None = None):
    """§2.5 Binary matrix rank test: N = ⌊n/(MQ)⌋ disjoint M×Q matrices filled row by row,
    χ² over ranks M, M−1 and lower against §3.5's probabilities, P = e^{−χ²/2}.

    The standard's test uses M = Q = 32 (§2.5.4 (1)). ``probabilities`` overrides
    (p_M, p_{M−1}, rest): the 3×3 example of §2.5.4 is computed with the 32×32 values
    rounded to 0.2888, 0.5776, 0.1336, not with the 3×3 ones.
    """
    x, single = _as_matrix(bits)
    n = x.shape[1]
    size = rows * cols
    n_mat = n // size
    if n_mat < 1:
        raise ValueError(f"a {rows}x{cols} matrix does not fit in {n} bits")
    ranks = gf2_rank(x[:, : n_mat * size].reshape(len(x), n_mat, rows, cols))
    full = min(rows, cols)
    f_full = (ranks == full).sum(axis=1)
    f_minus = (ranks == full - 1).sum(axis=1)
    f_rest = n_mat - f_full - f_minus
    if probabilities is None:
        p_full, p_minus = rank_probability(full, rows, cols), rank_probability(full - 1, rows, cols)
        p_rest = 1.0 - p_full - p_minus
    else:
        p_full, p_minus, p_rest = (float(v) for v in probabilities)
    chi2 = ((f_full - n_mat * p_full) ** 2 / (n_mat * p_full)
            + (f_minus - n_mat * p_minus) ** 2 / (n_mat * p_minus)
            + (f_rest - n_mat * p_rest) ** 2 / (n_mat * p_rest))
    return _out(np.exp(-chi2 / 2.0), single)


# ------------------------------------------------------------------ §2.6 discrete Fourier transform

def dft_p_value(peaks_below, n: int):
    """§2.6.4 steps (5)–(7) from N₁ (peaks below T): d = (N₁ − N₀)/sqrt(n·0.95·0.05/4),
    N₀ = 0.95·n/2, P = erfc(|d|/√2)."""
    d = (np.asarray(peaks_below, float) - 0.95 * n / 2.0) / math.sqrt(n * 0.95 * 0.05 / 4.0)
    return erfc(np.abs(d) / math.sqrt(2.0))


def dft_peaks_below(bits) -> np.ndarray | int:
    """§2.6.4 steps (1)–(4): N₁, how many of |S_0| … |S_{n/2−1}| lie below T = sqrt(ln(1/0.05)·n)."""
    x, single = _as_matrix(bits)
    n = x.shape[1]
    threshold = math.sqrt(math.log(1.0 / 0.05) * n)
    half = n // 2
    counts = np.empty(len(x), dtype=np.int64)
    for rows in _batches(len(x), n):
        magnitudes = np.abs(np.fft.rfft(x[rows].astype(np.float64) * 2.0 - 1.0, axis=1)[:, :half])
        counts[rows] = (magnitudes < threshold).sum(axis=1)
    return int(counts[0]) if single else counts


def discrete_fourier_transform(bits):
    """§2.6 Discrete Fourier transform (spectral) test: peaks of |DFT(2ε − 1)| below the 95 %
    threshold T, against the 0.95·n/2 expected."""
    x, single = _as_matrix(bits)
    return _out(dft_p_value(dft_peaks_below(x), x.shape[1]), single)


# ------------------------------------------------------------------ §2.13 cumulative sums

def _cusum_p_value(n: int, z: np.ndarray) -> np.ndarray:
    """§2.13.4 (4): P from the maximal excursion z of a walk of n steps,

    P = 1 − Σ_{k=(−n/z+1)/4}^{(n/z−1)/4} [Φ((4k+1)z/√n) − Φ((4k−1)z/√n)]
          + Σ_{k=(−n/z−3)/4}^{(n/z−1)/4} [Φ((4k+3)z/√n) − Φ((4k+1)z/√n)].

    The standard does not say how the limits are rounded; like NIST's STS 2.1.2
    (``cusum.c``) we use C integer division (n/z first, then /4, both truncated toward 0).
    That reproduces §2.13.4's 0.4116588 to 6 decimals (0.4116586), where ⌊·⌋ would give
    0.4115847; for n ≥ 1000 the choice changes nothing in double precision, because the
    terms at the ends of the range are Φ(±√n…) differences that are exactly 0.
    For the same reason the range is also clipped where all arguments lie beyond ±38.
    """
    z = np.asarray(z, dtype=np.int64)
    q = n // z                                   # n/z in C: both positive, truncated
    lo1 = -((q - 1) // 4)                        # (−n/z + 1)/4, −n/z + 1 ≤ 0, truncated toward 0
    lo2 = -((q + 3) // 4)                        # (−n/z − 3)/4
    hi = (q - 1) // 4                            # (n/z − 1)/4 ≥ 0
    sqrt_n = math.sqrt(n)
    reach = np.ceil((38.0 * sqrt_n / z + 3.0) / 4.0).astype(np.int64)   # |k| beyond: term = 0
    lo1, lo2, hi = np.maximum(lo1, -reach), np.maximum(lo2, -reach), np.minimum(hi, reach)
    k = np.arange(int(min(lo1.min(), lo2.min())), int(hi.max()) + 1, dtype=float)[None, :]
    zz = (z / sqrt_n)[:, None]
    in1 = (k >= lo1[:, None]) & (k <= hi[:, None])
    in2 = (k >= lo2[:, None]) & (k <= hi[:, None])
    sum1 = np.where(in1, ndtr((4 * k + 1) * zz) - ndtr((4 * k - 1) * zz), 0.0).sum(axis=1)
    sum2 = np.where(in2, ndtr((4 * k + 3) * zz) - ndtr((4 * k + 1) * zz), 0.0).sum(axis=1)
    return np.clip(1.0 - sum1 + sum2, 0.0, 1.0)


def cumulative_sums(bits):
    """§2.13 Cumulative sums test, both modes: returns (forward P, backward P).

    Forward: z = max_k |S_k| of S_k = Σ_{i≤k} (2ε_i − 1). Backward (mode 1): the same walk
    taken from the last bit, z = max_k |S_n − S_{n−k}|.
    """
    x, single = _as_matrix(bits)
    n = x.shape[1]
    _require(n, 1, "cumulative sums")
    forward = np.empty(len(x), dtype=np.int64)
    backward = np.empty(len(x), dtype=np.int64)
    for rows in _batches(len(x), n):
        walk = np.cumsum(x[rows].astype(np.int64) * 2 - 1, axis=1)
        total = walk[:, -1:]
        forward[rows] = np.abs(walk).max(axis=1)
        backward[rows] = np.maximum(np.abs(total[:, 0]),
                                    np.abs(total - walk[:, :-1]).max(axis=1, initial=0))
    return _out(_cusum_p_value(n, forward), single), _out(_cusum_p_value(n, backward), single)


# ------------------------------------------------------------------ §4.2 assessment

def proportion_interval(m: int, alpha: float = ALPHA) -> tuple[float, float]:
    """§4.2.1: the acceptable proportion of passing sequences, p̂ ± 3·sqrt(p̂(1−p̂)/m), p̂ = 1−α."""
    if m < 1:
        raise ValueError("m must be at least 1")
    p_hat = 1.0 - alpha
    half = 3.0 * math.sqrt(p_hat * (1.0 - p_hat) / m)
    return p_hat - half, p_hat + half


def section4_false_alarm(m: int, rows: int, alpha: float = ALPHA) -> float:
    """Chance that a perfect generator has at least one of ``rows`` independent rows outside §4.2.1's interval."""
    low, high = proportion_interval(m, alpha)
    counts = np.arange(m + 1)
    inside = (counts / m >= low) & (counts / m <= high)
    per_row = 1.0 - float(stats.binom.pmf(counts[inside], m, 1 - alpha).sum())
    return 1.0 - (1.0 - per_row) ** rows


def uniformity_histogram(p_values) -> np.ndarray:
    """§4.2.2: counts F_1 … F_10 of P-values in [0, 0.1), …, [0.9, 1.0] (1.0 in the last bin)."""
    p = np.asarray(p_values, dtype=float).ravel()
    if p.size == 0 or np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise ValueError("P-values must be a non-empty array of numbers in [0, 1]")
    return np.bincount(np.minimum(np.floor(p * 10).astype(np.int64), 9), minlength=10)


def uniformity_p_value(p_values) -> float:
    """§4.2.2: P-value_T = igamc(9/2, χ²/2), χ² = Σ (F_i − m/10)² / (m/10) over 10 bins."""
    counts = uniformity_histogram(p_values)
    expected = counts.sum() / 10.0
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    return float(gammaincc(4.5, chi2 / 2.0))


@dataclass(frozen=True)
class NistRow:
    """One P-value of one test over the m sequences (§4.2.1 and §4.2.2)."""

    name: str
    section: str
    parameters: str
    p_values: tuple[float, ...]
    proportion: float
    interval_low: float
    interval_high: float
    proportion_ok: bool
    histogram: tuple[int, ...]
    uniformity_p: float | None
    uniform: bool | None
    alpha: float = 0.01  # the per-sequence level (ALPHA), the p̂ = 1 − α of §4.2.1

    @property
    def passed(self) -> bool:
        return self.proportion_ok and self.uniform is not False

    @property
    def proportion_p(self) -> float:
        """P(a perfect generator passes on this few of the m sequences): the exact binomial lower tail.

        The §4.2.1 interval is a three-sigma rule whose false-alarm rate depends on m; this
        tail is exact for every m, so a verdict can be set at a stated level.
        """
        from .binomial import pass_count_p_value

        return pass_count_p_value(self.proportion, len(self.p_values), 1 - self.alpha)

    def to_dict(self, p_values: bool = False) -> dict[str, Any]:
        out = {
            "name": self.name,
            "section": self.section,
            "parameters": self.parameters,
            "proportion": float(self.proportion),
            "interval_low": float(self.interval_low),
            "interval_high": float(self.interval_high),
            "proportion_ok": bool(self.proportion_ok),
            "histogram": [int(c) for c in self.histogram],
            "uniformity_p": None if self.uniformity_p is None else float(self.uniformity_p),
            "uniform": None if self.uniform is None else bool(self.uniform),
            "passed": bool(self.passed),
            "proportion_p": float(self.proportion_p),
        }
        if p_values:
            out["p_values"] = [float(p) for p in self.p_values]
        return out


@dataclass(frozen=True)
class NistReport:
    """§4.2 assessment of m sequences: one row per P-value, and the tests left out."""

    sequence_bits: int
    n_sequences: int
    alpha: float
    rows: tuple[NistRow, ...]
    skipped: tuple[tuple[str, str], ...]  # (test, reason)

    @property
    def passed(self) -> bool:
        """Every row's proportion lies in its interval and, where computed, its P-values are uniform."""
        return bool(self.rows) and all(row.passed for row in self.rows)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_passed(self) -> int:
        return sum(row.passed for row in self.rows)

    def calibrated(self, level: float = 0.01) -> dict[str, bool]:
        """Row -> pass, with a false-alarm rate of at most ``level`` for the whole report (Bonferroni).

        A row fails when its pass count is below what a perfect generator gives with
        probability ``level / rows`` (:attr:`NistRow.proportion_p`), or when its P-values
        fail §4.2.2's uniformity test at 0.0001 (itself a rate, added to ``level``).
        """
        if not 0 < level < 1:
            raise ValueError(f"level must be in (0, 1); got {level}")
        per_row = level / max(1, self.n_rows)
        return {row.name: row.proportion_p >= per_row and row.uniform is not False for row in self.rows}

    def row(self, name: str) -> NistRow:
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(name)

    def to_dict(self, p_values: bool = False) -> dict[str, Any]:
        """Plain Python values only (int, float, bool, str, None, lists, dicts), for JSON."""
        return {
            "standard": "NIST SP 800-22 Rev. 1a, section 4.2",
            "sequence_bits": int(self.sequence_bits),
            "n_sequences": int(self.n_sequences),
            "alpha": float(self.alpha),
            "uniformity_min_sequences": UNIFORMITY_MIN_SEQUENCES,
            "passed": bool(self.passed),
            "n_passed": int(self.n_passed),
            "n_rows": int(self.n_rows),
            "rows": [row.to_dict(p_values) for row in self.rows],
            "skipped": {name: reason for name, reason in self.skipped},
        }


def _run_tests(x: np.ndarray) -> tuple[list[tuple[str, str, str, np.ndarray]], list[tuple[str, str]]]:
    """All seven tests on the (m, n) sequences: (name, section, parameters, P-values), skipped."""
    n = x.shape[1]
    done: list[tuple[str, str, str, np.ndarray]] = []
    skipped: list[tuple[str, str]] = []

    def applicable(key: str, name: str, section: str) -> bool:
        if n >= MIN_BITS[key]:
            return True
        skipped.append((name, f"needs n >= {MIN_BITS[key]} bits (SP 800-22 {section}), got {n}"))
        return False

    if applicable("frequency", "frequency (monobit)", "§2.1.7"):
        done.append(("frequency (monobit)", "2.1", "", frequency(x)))
    if applicable("block_frequency", "frequency within a block", "§2.2.7"):
        m_block = default_block_frequency_size(n)
        done.append(("frequency within a block", "2.2", f"M = {m_block}, N = {n // m_block}",
                     block_frequency(x, m_block)))
    if applicable("runs", "runs", "§2.3.7"):
        done.append(("runs", "2.3", "", runs(x)))
    if applicable("longest_run", "longest run of ones in a block", "§2.4.2"):
        m_block = default_longest_run_block_size(n)
        done.append(("longest run of ones in a block", "2.4", f"M = {m_block}, N = {n // m_block}",
                     longest_run_of_ones(x, m_block)))
    if applicable("rank", "binary matrix rank", "§2.5.7"):
        done.append(("binary matrix rank", "2.5",
                     f"M = Q = 32, N = {n // (RANK_ROWS * RANK_COLS)}", binary_matrix_rank(x)))
    if applicable("dft", "discrete Fourier transform (spectral)", "§2.6.7"):
        done.append(("discrete Fourier transform (spectral)", "2.6", "", discrete_fourier_transform(x)))
    if MIN_BITS["cusum"] <= n:
        forward, backward = cumulative_sums(x)
        done.append(("cumulative sums (forward)", "2.13", "mode 0", forward))
        done.append(("cumulative sums (backward)", "2.13", "mode 1", backward))
    else:
        for name in ("cumulative sums (forward)", "cumulative sums (backward)"):
            skipped.append((name, f"needs n >= {MIN_BITS['cusum']} bits (SP 800-22 §2.13.7), got {n}"))
    return done, skipped


def split_sequences(bits, sequence_bits: int, n_sequences: int | None = None) -> np.ndarray:
    """The first m·n bits of a 0/1 stream as an (m, n) array; m defaults to as many whole
    sequences as fit, at most :data:`DEFAULT_MAX_SEQUENCES`."""
    arr = _as_bits(bits)
    if arr.ndim != 1:
        raise ValueError(f"bits must be a 1-D bit stream, got shape {arr.shape}")
    if int(sequence_bits) != sequence_bits or sequence_bits < 1:
        raise ValueError(f"sequence_bits must be a positive integer, got {sequence_bits!r}")
    sequence_bits = int(sequence_bits)
    fits = arr.size // sequence_bits
    if fits < 1:
        raise ValueError(f"{arr.size} bits hold no whole sequence of {sequence_bits} bits")
    if n_sequences is None:
        m = min(fits, DEFAULT_MAX_SEQUENCES)
    else:
        if int(n_sequences) != n_sequences or n_sequences < 1:
            raise ValueError(f"n_sequences must be a positive integer, got {n_sequences!r}")
        m = int(n_sequences)
        if m > fits:
            raise ValueError(f"{arr.size} bits hold only {fits} sequences of {sequence_bits} bits, "
                             f"not {m}")
    return arr[: m * sequence_bits].reshape(m, sequence_bits)


def assess(bits: np.ndarray, sequence_bits: int = 100_000, n_sequences: int | None = None,
           alpha: float = ALPHA) -> NistReport:
    """Judge a bit stream as SP 800-22 §4.2 does, from m sequences of ``sequence_bits`` bits.

    ``bits`` is a 1-D 0/1 integer array; the first m·n bits are split into m sequences
    (m = ``n_sequences``, default as many as fit, at most 100). For every P-value of every
    applicable test: the proportion of sequences with P ≥ α against §4.2.1's interval, and
    (for m ≥ 55) the uniformity P-value_T of §4.2.2. Tests the length does not allow are
    listed in ``skipped`` with the reason. A perfect generator fails some row about one time
    in eight at m = 100 (see the module docstring), so read ``n_passed`` as well as ``passed``.
    """
    if not 0.0 < float(alpha) < 1.0:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha!r}")
    x = split_sequences(bits, sequence_bits, n_sequences)
    m, n = x.shape
    done, skipped = _run_tests(x)
    if not done:
        raise ValueError(f"no test applies to sequences of {n} bits; every test needs at least 100")
    low, high = proportion_interval(m, alpha)
    rows = []
    for name, section, parameters, p in done:
        p = np.asarray(p, dtype=float)
        proportion = float(np.count_nonzero(p >= alpha)) / m
        if m >= UNIFORMITY_MIN_SEQUENCES:
            p_t = uniformity_p_value(p)
            uniform: bool | None = p_t >= UNIFORMITY_THRESHOLD
        else:
            p_t, uniform = None, None
        rows.append(NistRow(
            name=name, section=section, parameters=parameters,
            p_values=tuple(float(v) for v in p),
            proportion=proportion, interval_low=low, interval_high=high,
            proportion_ok=bool(low <= proportion <= high),
            histogram=tuple(int(c) for c in uniformity_histogram(p)),
            uniformity_p=p_t, uniform=uniform, alpha=float(alpha),
        ))
    return NistReport(sequence_bits=n, n_sequences=m, alpha=float(alpha), rows=tuple(rows),
                      skipped=tuple(skipped))
