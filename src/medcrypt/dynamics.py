"""Measurements of a map's dynamics that bear on a chaotic cipher's key: the Lyapunov spectrum and state entropy.

A positive largest Lyapunov exponent says that nearby orbits separate, which is what a
chaos-based cipher advertises. It says nothing about how much of the initial state
survives: a dissipative map (exponents summing to less than zero) contracts volume, so
after a transient every orbit lies near a thin attractor, and the states it can be in are
far fewer than the states it started from. This module measures both sides:

* :func:`lyapunov_spectrum` (every exponent, by the QR method) and
  :func:`kaplan_yorke_dimension` (the attractor's dimension that the spectrum implies);
* :func:`collision_entropy` of a sample of outcomes, and :func:`state_entropy`: the
  collision entropy of a map's post-transient state at emulated precisions
  (:func:`round_mantissa`), fitted and extrapolated to float64, which is what an
  attacker who guesses that state has to beat.

Everything random comes from a :class:`numpy.random.Generator` passed in by the caller.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
from scipy import stats

#: Significant bits of an IEEE float64 (52 stored + the implicit one) and of a float32.
FLOAT64_BITS = 53
FLOAT32_BITS = 24

#: Emulated mantissas of the fast default run of :func:`state_entropy` (a few seconds on one core).
DEFAULT_MANTISSAS = tuple(range(14, 29, 2))
#: A bigger run, for a tighter extrapolation (minutes): ``state_entropy(rng, **BIG_RUN)``.
BIG_RUN = {"mantissas": tuple(range(14, 33, 1)), "target_pairs": 400, "max_starts": 2**23}


# ---------------------------------------------------------------------------------------- Lyapunov spectrum

def lyapunov_spectrum(step: Callable[[np.ndarray], np.ndarray], jacobian: Callable[[np.ndarray], np.ndarray],
                      x0: np.ndarray, iterations: int = 2000, transient: int = 200) -> np.ndarray:
    """Every Lyapunov exponent per step, sorted descending, by the QR (Benettin) method.

    ``step`` maps a batch of states (B, d) to the next ones, ``jacobian`` a batch of states
    to their Jacobians (B, d, d). A frame of d tangent vectors is carried along the orbit
    and re-orthonormalised by a QR decomposition every step; the mean of log |R_ii| is the
    i-th exponent. The largest exponent alone (one tangent vector) says whether orbits
    separate; the whole spectrum also says how fast the other directions contract, which
    decides how much of the initial state survives. ``x0`` is one start (d,) or a batch
    (B, d); the result has the same shape. ``transient`` steps are dropped first, so the
    orbit is on its attractor when averaging starts.
    """
    x = np.array(x0, dtype=np.float64)
    single = x.ndim == 1
    x = x.reshape(1, -1) if single else x
    batch, dim = x.shape
    for _ in range(transient):
        x = step(x)
    frame = np.broadcast_to(np.eye(dim), (batch, dim, dim)).copy()
    total = np.zeros((batch, dim))
    for _ in range(iterations):
        frame, r = np.linalg.qr(np.asarray(jacobian(x)).reshape(batch, dim, dim) @ frame)
        total += np.log(np.maximum(np.abs(np.diagonal(r, axis1=1, axis2=2)), 1e-300))
        x = step(x)
    exponents = -np.sort(-total / iterations, axis=1)
    return exponents[0] if single else exponents


def kaplan_yorke_dimension(spectrum: Iterable[float]) -> float:
    """The Kaplan–Yorke dimension j + Σ_{i≤j} λ_i / |λ_{j+1}|, with j the largest k such that Σ_{i≤k} λ_i ≥ 0.

    It estimates the attractor's information dimension: how many directions the orbit
    really fills. A map with volume-contracting dynamics has a dimension well below its
    number of variables, and its states after a transient are correspondingly few. With a
    non-negative sum of all exponents the attractor fills the space: the number of
    exponents is returned; with a negative largest exponent (a stable fixed point), 0.
    """
    values = np.sort(np.asarray(list(spectrum), dtype=np.float64))[::-1]
    sums = np.cumsum(values)
    if len(values) == 0 or sums[0] < 0:
        return 0.0
    if sums[-1] >= 0:
        return float(len(values))
    j = int(np.flatnonzero(sums >= 0)[-1]) + 1  # exponents summed
    return float(j + sums[j - 1] / abs(values[j]))


# ---------------------------------------------------------------------------------------- finite precision

def round_mantissa(x: np.ndarray, bits: int) -> np.ndarray:
    """float64 values rounded to ``bits`` significant bits (round to nearest, ties to even).

    This emulates a float format with a ``bits``-bit significand and float64's exponent
    range, so a map can be run at a precision between float32 (24) and float64 (53). It
    works on the bit pattern: adding just under half of the dropped part (plus the kept
    lowest bit, for ties to even) and clearing the dropped bits rounds the magnitude, and
    a carry moves into the exponent as it should. 53 or more bits return ``x`` unchanged.
    """
    x = np.asarray(x, dtype=np.float64)
    if bits < 1:
        raise ValueError(f"round_mantissa: bits must be at least 1, got {bits}")
    drop = FLOAT64_BITS - int(bits)
    if drop <= 0:
        return x.copy()
    pattern = np.ascontiguousarray(x).view(np.int64)
    kept_lowest = (pattern >> drop) & 1
    rounded = (pattern + np.int64((1 << (drop - 1)) - 1) + kept_lowest) & np.int64(~((1 << drop) - 1))
    return rounded.view(np.float64).reshape(x.shape)


# ---------------------------------------------------------------------------------------- collision entropy

@dataclass(frozen=True)
class CollisionEntropy:
    """The collision (Rényi-2) entropy of a sample, in bits, with an interval from the pair count.

    ``low`` and ``high`` come from an exact Poisson interval on the number of colliding
    pairs at the stated confidence; with no pair at all ``high`` is infinite and ``bits``
    is only a lower bound (reported as ``low``). The Poisson interval ignores the weak
    dependence between pairs that share a sample, so it is a little narrow when triples
    are common.
    """

    bits: float
    low: float
    high: float
    pairs: int
    samples: int
    confidence: float

    @property
    def standard_error(self) -> float:
        """Delta-method standard error of ``bits``: 1/(ln 2 · √pairs); infinite without pairs."""
        return math.inf if self.pairs == 0 else 1 / (math.log(2) * math.sqrt(self.pairs))


def colliding_pairs(samples: np.ndarray) -> int:
    """How many unordered pairs of rows of ``samples`` (n,) or (n, d) are bit-for-bit equal."""
    values = np.ascontiguousarray(samples)
    values = values.reshape(len(values), -1)
    if values.dtype.kind == "f":  # compare bit patterns (−0.0 ≠ 0.0 is harmless here)
        values = values.view(np.dtype(f"i{values.dtype.itemsize}"))
    if len(values) < 2:
        return 0
    ordered = values[np.lexsort(values.T[::-1])]
    same = np.all(ordered[1:] == ordered[:-1], axis=1)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], same.astype(np.int8), [0]])))
    runs = edges[1::2] - edges[::2] + 1  # lengths of the runs of equal rows
    return int(np.sum(runs * (runs - 1) // 2))


def collision_entropy(samples: np.ndarray, confidence: float = 0.95) -> CollisionEntropy:
    """H2 = −log2 Σ p_i² of the distribution that ``samples`` (n,) or (n, d) were drawn from.

    Σ p_i² is the probability that two independent draws agree; the fraction of the
    n(n−1)/2 pairs of the sample that collide estimates it without bias, which needs no
    histogram of the (astronomically many) possible values, only enough samples that
    pairs collide: about √(2·pairs·2^H2). H2 is also the log2 of the expected number of
    guesses of an attacker who draws guesses from the same distribution.
    """
    n = len(samples)
    if n < 2:
        raise ValueError("collision_entropy: needs at least two samples")
    k = colliding_pairs(samples)
    total = n * (n - 1) / 2
    alpha = 1 - confidence
    k_low = stats.chi2.ppf(alpha / 2, 2 * k) / 2 if k else 0.0
    k_high = stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2

    def bits(pairs: float) -> float:
        return math.inf if pairs <= 0 else -math.log2(pairs / total)

    low, high = bits(k_high), bits(k_low)
    return CollisionEntropy(bits=bits(k) if k else low, low=low, high=high, pairs=k, samples=n,
                            confidence=confidence)


def final_states(step: Callable[[np.ndarray], np.ndarray], starts: np.ndarray, iterations: int,
                 bits: int | None = None) -> np.ndarray:
    """States after ``iterations`` steps from ``starts`` (B, d), rounded to ``bits`` after every step.

    With ``bits`` None nothing is rounded: the arithmetic is the dtype of ``starts``
    (float32 starts and a dtype-preserving ``step`` give real float32 arithmetic). The
    starts are rounded too, so every state the orbit visits is representable.
    """
    x = np.asarray(starts)
    if bits is not None:
        x = round_mantissa(x, bits)
    for _ in range(iterations):
        x = step(x)
        if bits is not None:
            x = round_mantissa(x, bits)
    return x


# ---------------------------------------------------------------------------------------- state entropy

@dataclass(frozen=True)
class StateEntropy:
    """Collision entropy of a map's post-transient state at several precisions, and its extrapolation.

    ``points`` are measured in p-bit arithmetic for each p of ``mantissa_bits``; the
    weighted straight line ``slope``·p + ``intercept`` through them is extrapolated to
    ``extrapolated_to`` bits (float64: 53), with a ``confidence`` interval
    [``float64_low``, ``float64_high``] of the line's value there (the fit's covariance
    scaled up by the reduced χ² when the points scatter more than their Poisson errors).
    The slope estimates the attractor's correlation dimension: each extra bit of
    precision multiplies the states the orbit can end in by about 2^slope. ``float32`` is
    measured in real float32 arithmetic, a check on the emulation at 24 bits.
    """

    mantissa_bits: tuple[int, ...]
    points: tuple[CollisionEntropy, ...]
    float32: CollisionEntropy
    slope: float
    intercept: float
    slope_se: float
    float64_bits: float
    float64_low: float
    float64_high: float
    extrapolated_to: int
    state_bits: int
    transient: int
    confidence: float
    seconds: float = field(compare=False)

    @property
    def guessing_bits(self) -> float:
        """log2 of the work of guessing the post-transient float64 state: the interval's lower end, capped.

        The lower end, not the estimate: a security verdict must not credit a cipher with
        more than the measurement supports, and every value down to the lower end is
        consistent with the data, so the cipher gets the benefit of no doubt. Capped by
        ``state_bits`` (the state's own size), since no distribution on it has more
        entropy. An attacker who draws guesses the way the measurement does (a random
        start, the same transient) matches with probability 2^−H2 per guess, so H2 is the
        log2 of that attack's expected work, not just a bound on it. Caveats: the interval
        covers the fit's noise, not the straight-line model it extrapolates; and an
        attacker with m images under one key has m targets per guess, cheaper still.
        """
        return float(min(self.float64_low, self.state_bits))

    def line(self, bits: np.ndarray) -> np.ndarray:
        """The fitted H2 at ``bits`` mantissa bits (for plotting)."""
        return self.slope * np.asarray(bits, dtype=np.float64) + self.intercept


def _fit_line(p: np.ndarray, h: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Weighted least squares h = a·p + b: coefficients, covariance (scaled by max(1, reduced χ²)), dof."""
    design = np.column_stack([p, np.ones_like(p)])
    normal = design.T @ (weights[:, None] * design)
    coefficients = np.linalg.solve(normal, design.T @ (weights * h))
    dof = max(len(p) - 2, 1)
    chi2 = float(np.sum(weights * (h - design @ coefficients) ** 2)) / dof
    return coefficients, np.linalg.inv(normal) * max(1.0, chi2), dof


def _starts_for(predicted_bits: float, target_pairs: int, min_starts: int, max_starts: int) -> int:
    """Samples for about ``target_pairs`` collisions at a predicted H2: n²/2 · 2^−H2 = pairs."""
    n = math.sqrt(2 * target_pairs * 2.0 ** predicted_bits)
    return int(min(max_starts, max(min_starts, math.ceil(n))))


def hopfield_step_at(bits: int | None, every_operation: bool = True) -> Callable[[np.ndarray], np.ndarray]:
    """The Hopfield map x ← W·tanh(x) (:mod:`medcrypt.ciphers.hopfield` weights) as a p-bit float machine runs it.

    With ``every_operation`` the weights, tanh, each product and each partial sum are
    rounded to ``bits`` (left to right, as a dot product is summed), which is what real
    arithmetic of that precision does: at 24 bits it gives the entropy of real float32
    runs, while rounding only the state overstates it (each rounding of an intermediate
    merges more nearby states). ``bits`` None: the native arithmetic of the states' dtype
    (float32 states give float32 arithmetic). States are (B, 3).
    """
    from .ciphers import hopfield

    if bits is None:
        def native(x: np.ndarray) -> np.ndarray:
            t = np.tanh(x)  # three matrix–vector products: numpy's (B, 3) @ (3, 3) is several times slower
            return np.stack([t @ row for row in hopfield.WEIGHTS.astype(x.dtype)], axis=1)
        return native
    weights = round_mantissa(hopfield.WEIGHTS, bits)
    if not every_operation:
        return lambda x: round_mantissa(np.tanh(x) @ weights.T, bits)

    def rounded(x: np.ndarray) -> np.ndarray:
        t = round_mantissa(np.tanh(x), bits)
        out = np.empty_like(x)
        for i, row in enumerate(weights):
            total = round_mantissa(t[:, 0] * row[0], bits)
            for j in range(1, len(row)):
                total = round_mantissa(total + round_mantissa(t[:, j] * row[j], bits), bits)
            out[:, i] = total
        return out
    return rounded


def state_entropy(rng: np.random.Generator, *, mantissas: Iterable[int] = DEFAULT_MANTISSAS,
                  target_pairs: int = 64, max_starts: int = 2**21, min_starts: int = 256,
                  transient: int | None = None,
                  step_at: Callable[[int | None], Callable[[np.ndarray], np.ndarray]] | None = None,
                  dim: int = 3, state_bits: int | None = None, extrapolate_to: int = FLOAT64_BITS,
                  confidence: float = 0.95, progress: bool = False) -> StateEntropy:
    """Collision entropy of the post-transient state from random starts, per precision, fitted and extrapolated.

    Starts are uniform in (−1, 1)^dim, as the Hopfield ciphers' hashed initial states
    are; each runs ``transient`` steps of ``step_at(p)`` (the map in p-bit arithmetic; the
    state is rounded to p bits after every step too, :func:`final_states`), and
    :func:`collision_entropy` counts equal final states. At float64 collisions are too
    rare to count, so H2 is measured where they are not, at the ``mantissas`` (each p sets
    the number of starts for about ``target_pairs`` collisions, predicted from the points
    before, at most ``max_starts``; a point short of a quarter of that is redrawn with
    more starts), and extrapolated along a straight line. The line is an assumption: it
    holds while the transient is short of the rounded map's cycle lengths (about
    2^(H2/2) steps), which is why the default mantissas start at 14. ``float32`` runs
    ``step_at(None)`` on float32 starts.

    Defaults measure the Hopfield map (:func:`hopfield_step_at`, ``TRANSIENT`` steps,
    ``state_bits`` 3 × 53) in a few seconds; ``state_entropy(rng, **BIG_RUN)`` fits more
    points with more collisions each. ``progress`` shows a tqdm bar over the precisions.
    """
    from .ciphers import hopfield

    step_at = hopfield_step_at if step_at is None else step_at
    transient = hopfield.TRANSIENT if transient is None else int(transient)
    state_bits = dim * FLOAT64_BITS if state_bits is None else int(state_bits)
    mantissas = tuple(int(p) for p in mantissas)
    if len(mantissas) < 3:
        raise ValueError("state_entropy: needs at least three mantissas to fit a line and judge its scatter")
    start = time.perf_counter()

    def sample(bits: int | None, n: int) -> CollisionEntropy:
        starts = rng.uniform(-1.0, 1.0, (n, dim))
        if bits is None:  # the native arithmetic of float32
            return collision_entropy(final_states(step_at(None), starts.astype(np.float32), transient), confidence)
        return collision_entropy(final_states(step_at(bits), starts, transient, bits), confidence)

    def measure(bits: int | None, predicted: float | None) -> CollisionEntropy:
        if predicted is None:  # nothing to go by: a pilot of min_starts sizes the run
            pilot = sample(bits, min_starts)
            predicted = pilot.bits if pilot.pairs else pilot.low + 4
        n = _starts_for(predicted, target_pairs, min_starts, max_starts)
        while True:
            point = sample(bits, n)
            if 4 * point.pairs >= target_pairs or n >= max_starts:
                return point
            n = min(max_starts, 4 * n)

    def predict(p: float, done: list[tuple[int, CollisionEntropy]]) -> float | None:
        if len(done) < 2:
            return done[0][1].bits + (p - done[0][0]) if done else None  # about a bit per bit, at first
        known = np.array([(q, point.bits) for q, point in done])
        slope_, intercept_ = np.polyfit(known[:, 0], known[:, 1], 1)
        return float(slope_ * p + intercept_)

    order = mantissas
    if progress:
        from tqdm import tqdm
        order = tqdm(mantissas, desc="state entropy per mantissa", unit="precision", leave=False)
    done: list[tuple[int, CollisionEntropy]] = []
    for p in order:
        done.append((p, measure(p, predict(p, done))))
    points = tuple(point for _, point in done)
    p = np.array(mantissas, dtype=np.float64)
    h = np.array([pt.bits for pt in points])
    weights = np.array([pt.pairs for pt in points], dtype=np.float64) * math.log(2) ** 2  # 1/σ² of each H2
    if np.count_nonzero(weights) < 3:
        raise RuntimeError("state_entropy: fewer than three precisions gave collisions; raise max_starts")
    h = np.where(weights > 0, h, 0.0)  # a point without collisions (H2 only bounded) carries no weight
    (slope, intercept), covariance, dof = _fit_line(p, h, weights)
    at = np.array([extrapolate_to, 1.0])
    value = float(at @ np.array([slope, intercept]))
    half = float(stats.t.ppf(0.5 + confidence / 2, dof) * math.sqrt(at @ covariance @ at))
    float32 = measure(None, float(slope * FLOAT32_BITS + intercept))
    return StateEntropy(mantissa_bits=mantissas, points=points, float32=float32, slope=float(slope),
                        intercept=float(intercept), slope_se=float(math.sqrt(covariance[0, 0])),
                        float64_bits=value, float64_low=value - half, float64_high=value + half,
                        extrapolated_to=int(extrapolate_to), state_bits=state_bits, transient=transient,
                        confidence=confidence, seconds=time.perf_counter() - start)
