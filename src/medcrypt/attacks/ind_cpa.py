"""The IND-CPA experiment, run: can an adversary with an encryption oracle tell which of two images was encrypted?

The game (chapter 1, "Security notions"): the challenger fixes a secret key k. The
adversary may ask for E_k(m) of any image m (the *oracle*), picks two images m0 and m1
of one shape, receives the challenge c* = E_k(m_b) for a hidden fair bit b, may query the
oracle again, and guesses b'. Her advantage is 2·Pr[b' = b] − 1: 0 for blind guessing,
1 for certainty. A cipher is IND-CPA secure when every efficient adversary's advantage
is negligible; no deterministic cipher is.

Two adversaries are played here, each over many independent trials (one trial = one
challenge with its own hidden bit), so that the advantage comes with a 95 % interval:

* **repeat query** (:func:`repeat_query_adversary`): ask the oracle for E_k(m0) and
  compare it with c*. It wins every trial against any deterministic cipher, whatever
  its statistics, and is at chance against a cipher that draws fresh randomness.
* **learned distinguisher** (:func:`learned_distinguisher`): ask the oracle for many
  encryptions of m0 and of m1, fit a logistic-regression classifier on the cipher bytes
  and their histogram, and classify c*. It catches randomised ciphers whose output
  still depends on the plaintext in a learnable way.

All oracle calls go through the cipher's own ``encrypt``, batched: a batch of queries is
one call, as a sender encrypting many images would make it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import stats

from ..ciphers.base import check_images

Oracle = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Advantage:
    """The outcome of ``trials`` IND-CPA challenges against one adversary."""

    adversary: str
    trials: int
    wins: int

    @property
    def advantage(self) -> float:
        """2·(wins/trials) − 1: the estimate of 2·Pr[b' = b] − 1."""
        return 2 * self.wins / self.trials - 1

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Clopper–Pearson interval of the win rate, mapped to the advantage scale."""
        low, high = stats.binomtest(self.wins, self.trials).proportion_ci(level, method="exact")
        return 2 * low - 1, 2 * high - 1

    @property
    def p_value(self) -> float:
        """One-sided exact binomial p-value of "the adversary wins more often than chance"."""
        return float(stats.binomtest(self.wins, self.trials, 0.5, alternative="greater").pvalue)

    def broken(self, alpha: float) -> bool:
        """Whether the advantage is significantly above 0 at level ``alpha``."""
        return self.p_value < alpha


def _coins(seed: int) -> np.random.Generator:
    """The adversary's and challenger's coins: a stream of their own, so that they never share draws with a
    cipher whose nonces are seeded with the same number."""
    return np.random.default_rng([seed, 0x1D_C0A])


def _pixels(cipher_images) -> np.ndarray:
    """The cipher bytes as a plain (N, bytes) array (side data such as nonces is not used)."""
    flat = np.asarray(cipher_images).view(np.ndarray)
    return flat.reshape(len(flat), -1)


def _pairs(pool: np.ndarray, trials: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``trials`` pairs (m0, m1) of distinct images drawn from ``pool``."""
    first = rng.integers(0, len(pool), trials)
    second = (first + rng.integers(1, len(pool), trials)) % len(pool)
    return pool[first], pool[second]


def _check(pool, trials: int) -> np.ndarray:
    pool = check_images(np.asarray(pool).view(np.ndarray), "ind_cpa", argument="images")
    if len(pool) < 2:
        raise ValueError(f"ind_cpa needs at least 2 images to choose m0 and m1 from; got {len(pool)}")
    if len(np.unique(pool.reshape(len(pool), -1), axis=0)) < 2:
        raise ValueError("ind_cpa needs at least 2 different images; all given images are equal")
    if trials < 1:
        raise ValueError(f"trials must be >= 1; got {trials}")
    return pool


def repeat_query_adversary(encrypt: Oracle, images: np.ndarray, *, trials: int = 500, seed: int = 0) -> Advantage:
    """Play the repeat-query adversary ``trials`` times; m0 and m1 are two different images of ``images``.

    Per trial she queries c0 = E_k(m0), receives c* = E_k(m_b) and answers b' = 0 exactly
    when c* = c0. A deterministic cipher gives c* = c0 if and only if b = 0 (for m0 ≠ m1,
    since decryption is a function of c), so she always wins; with fresh randomness per
    encryption c* ≠ c0 for both bits and her answer is 1 whatever b is.
    """
    pool = _check(images, trials)
    rng = _coins(seed)
    m0, m1 = _pairs(pool, trials, rng)
    distinct = np.any(m0.reshape(trials, -1) != m1.reshape(trials, -1), axis=1)
    m0, m1 = m0[distinct], m1[distinct]  # equal images cannot be told apart by anyone
    bits = rng.integers(0, 2, len(m0))
    queried = _pixels(encrypt(m0))
    challenge = _pixels(encrypt(np.where(bits.reshape(-1, *[1] * (m0.ndim - 1)) == 1, m1, m0)))
    guesses = np.where(np.all(challenge == queried, axis=1), 0, 1)
    return Advantage("repeat query", len(m0), int(np.sum(guesses == bits)))


def _features(cipher_bytes: np.ndarray) -> np.ndarray:
    """Cipher bytes scaled to [0, 1] and their 16-bin histogram: content and distribution."""
    histogram = np.stack([np.bincount(row >> 4, minlength=16) for row in cipher_bytes]) / cipher_bytes.shape[1]
    return np.hstack([cipher_bytes / 255.0, histogram])


def learned_distinguisher(encrypt: Oracle, images: np.ndarray, *, trials: int = 500, queries: int = 200,
                          seed: int = 0) -> Advantage:
    """Play a learned distinguisher: oracle samples of m0 and m1 train a classifier that then guesses b.

    The adversary picks m0 as the darkest and m1 as the brightest image of ``images`` (two
    images as different as she can find), asks the oracle for ``queries`` encryptions of
    each, fits a logistic regression on :func:`_features`, and answers each of ``trials``
    challenges with the classifier's label. Against a deterministic cipher the training
    set holds two points and the classifier separates them perfectly.
    """
    from sklearn.linear_model import LogisticRegression

    pool = _check(images, trials)
    if queries < 1:
        raise ValueError(f"queries must be >= 1; got {queries}")
    rng = _coins(seed)
    brightness = pool.reshape(len(pool), -1).mean(axis=1)
    m0, m1 = pool[np.argmin(brightness)], pool[np.argmax(brightness)]
    if np.array_equal(m0, m1):
        m1 = pool[np.argmax(np.any(pool.reshape(len(pool), -1) != m0.reshape(-1), axis=1))]
    train = np.concatenate([np.repeat(m0[None], queries, axis=0), np.repeat(m1[None], queries, axis=0)])
    labels = np.repeat([0, 1], queries)
    model = LogisticRegression(C=1.0, max_iter=300)
    model.fit(_features(_pixels(encrypt(train))), labels)
    bits = rng.integers(0, 2, trials)
    challenge = np.where(bits.reshape(-1, *[1] * m0.ndim) == 1, m1[None], m0[None])
    guesses = model.predict(_features(_pixels(encrypt(challenge))))
    return Advantage("learned distinguisher", trials, int(np.sum(guesses == bits)))


ADVERSARIES = {"repeat query": repeat_query_adversary, "learned distinguisher": learned_distinguisher}


def ind_cpa(encrypt: Oracle, images: np.ndarray, *, trials: int = 500, seed: int = 0) -> dict[str, Advantage]:
    """Every adversary of :data:`ADVERSARIES` against the oracle ``encrypt``, each over ``trials`` challenges.

    With 500 trials the 95 % interval of an advantage near 0 is about ±0.09 wide on each
    side, enough to tell 0 from 0.1.
    """
    return {name: play(encrypt, images, trials=trials, seed=seed) for name, play in ADVERSARIES.items()}


def strongest(results: dict[str, Advantage]) -> Advantage:
    """The adversary with the largest advantage (the one a verdict must be based on)."""
    return max(results.values(), key=lambda r: (r.advantage, -r.p_value))
