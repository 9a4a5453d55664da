"""The IND-CPA experiment, run: can an adversary with an encryption oracle tell which of two images was encrypted?

The game (chapter 1, "Security notions"): the challenger fixes a secret key k. The
adversary may ask for E_k(m) of any image m (the *oracle*), picks two images m0 and m1
of one shape, receives the challenge c* = E_k(m_b) for a fair bit b that the
*challenger* draws and keeps hidden, may query the oracle again, and guesses b'. Her
advantage is 2·Pr[b' = b] − 1: 0 for blind guessing, 1 for certainty. A cipher is IND-CPA
secure when every efficient adversary's advantage is negligible; no deterministic cipher
is. A battery of adversaries can show that a cipher is *not*; when none of them wins, the
most it shows is that no adversary in the battery won.

**What an adversary sees.** The whole ciphertext: the output bytes, whatever their shape
(an outside cipher may prepend an IV or append a tag), and the public side data that
travels with them (nonces, tags: :attr:`~medcrypt.ciphers.base.CipherImages.side`).
:func:`whole_ciphertext` lays these out as one row of bytes per image.

**Adversaries are plug-ins.** An adversary is any object with a ``name``, a
``choose(oracle, images, rng)`` that returns the pair (m0, m1) it wants to be challenged
on (it may query the oracle), and a ``guess(oracle, challenges, rng)`` that returns one
bit per challenge (it may query again). :func:`play` is the challenger: it draws the
bits from its own generator, encrypts the challenges, and counts the wins. :data:`BATTERY`
is the list the book plays; pass your own list to :func:`ind_cpa` to add one.

The battery:

* :class:`RepeatQuery`: ask for E_k(m0) and compare it with c*. It wins every game
  against a deterministic cipher.
* :class:`DeterministicField` (two pairs: a dark and a bright X-ray; an X-ray and the same
  X-ray with one pixel's lowest bit flipped, which changes that pixel, that bit and the
  parity of the pixel sum): ask for several encryptions of m0 and of m1 and find the
  ciphertext bits that never change between encryptions of one image but differ between
  the two. A tag computed from the plaintext alone (encrypt-and-MAC), a leaked parity bit
  or a deterministic cipher all show such bits.
* :class:`Birthday`: spend a query budget on one image and look for a repeated nonce or
  ciphertext. A short nonce repeats after about the square root of its range; once the
  challenge's nonce is among those seen, comparing ciphertexts decides b.
* :class:`LearnedDistinguisher`: a logistic regression on cipher bytes and their
  histogram, trained on oracle samples of a dark and a bright image.
* :class:`BitDistinguisher` (the one-bit pair): the ciphertext bits whose frequency
  differs most between oracle samples of m0 and m1 feed a logistic regression. It finds
  a leaked low-order feature hidden among random bits.

All oracle calls go through the cipher's own ``encrypt``, batched, as a sender encrypting
many images would make them.
"""

from __future__ import annotations

import hashlib
import time
import zlib
from dataclasses import dataclass
from typing import Callable, Protocol, runtime_checkable

import numpy as np
from scipy import stats

from ..ciphers.base import check_images
from ..ciphers.base import ciphertext_bytes as whole_ciphertext  # every byte an adversary sees

Oracle = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Advantage:
    """The outcome of ``trials`` IND-CPA challenges against one adversary, who made ``queries`` oracle queries."""

    adversary: str
    trials: int
    wins: int
    queries: int = 0

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


class _CountingOracle:
    """The oracle as adversaries see it: the cipher's encrypt, counting the images it was asked for."""

    def __init__(self, encrypt: Oracle):
        self._encrypt, self.queries = encrypt, 0

    def __call__(self, images: np.ndarray):
        self.queries += len(images)
        return self._encrypt(images)


@runtime_checkable
class Adversary(Protocol):
    """An IND-CPA adversary: a ``name``, a choice of (m0, m1), and a guess per challenge.

    ``choose`` returns two images of the pool's shape (no batch axis). ``guess`` gets the
    challenges as the oracle returned them (pixels and side data) and returns an array of
    0/1, one per challenge. Both may call ``oracle``; state between them lives on the object.
    """

    name: str

    def choose(self, oracle: Oracle, images: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]: ...

    def guess(self, oracle: Oracle, challenges, rng: np.random.Generator) -> np.ndarray: ...


def content_pair(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The darkest and the brightest image of the pool: as different in content as it offers."""
    brightness = images.reshape(len(images), -1).mean(axis=1)
    m0, m1 = images[np.argmin(brightness)], images[np.argmax(brightness)]
    if np.array_equal(m0, m1):
        m1 = images[np.argmax(np.any(images.reshape(len(images), -1) != m0.reshape(-1), axis=1))]
    return m0, m1


def one_bit_pair(images: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """An image and the same image with the lowest bit of one pixel flipped.

    The two differ in one pixel, in one bit and in the parity of their pixel sum: the
    low-order features a leaky cipher may let through while its statistics look ideal.
    """
    m0 = images[rng.integers(len(images))]
    m1 = m0.copy().reshape(-1)
    m1[rng.integers(m1.size)] ^= 1
    return m0, m1.reshape(m0.shape)


def _pair(kind: str, images: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    if kind == "content":
        return content_pair(images)
    if kind == "one bit":
        return one_bit_pair(images, rng)
    raise ValueError(f"pair kind must be 'content' or 'one bit'; got {kind!r}")


class RepeatQuery:
    """Query E_k(m_b') for a fresh pair per challenge and answer 0 exactly when c* equals E_k(m0), byte for byte.

    A deterministic cipher gives c* = E_k(m0) if and only if b = 0 (m0 ≠ m1, and
    decryption is a function of the ciphertext), so she always wins; with fresh randomness
    per encryption c* ≠ E_k(m0) for both bits and her answer is 1 whatever b is.
    """

    name = "repeat query"

    def __init__(self, trials: int = 500):
        self.trials = trials

    def choose(self, oracle, images, rng):
        first = rng.integers(0, len(images), self.trials)
        second = (first + rng.integers(1, len(images), self.trials)) % len(images)
        self.m0 = images[first]
        return images[first], images[second]

    def guess(self, oracle, challenges, rng):
        return np.where(np.all(whole_ciphertext(challenges) == whole_ciphertext(oracle(self.m0)), axis=1), 0, 1)


class DeterministicField:
    """Find ciphertext bits that are fixed by the plaintext, from ``samples`` encryptions each of m0 and m1.

    A bit that is equal in all encryptions of m0, equal in all encryptions of m1, and
    different between the two is a deterministic function of the plaintext. Each
    challenge is answered by the majority of those bits (a coin when there are none). For
    a sound cipher a random bit survives the selection with probability about
    2^(1 − 2·samples), so 16 samples leave none among millions of bits.
    """

    def __init__(self, pair: str = "content", samples: int = 16):
        self.pair, self.samples = pair, samples
        self.name = f"deterministic field ({pair} pair)"

    def choose(self, oracle, images, rng):
        m0, m1 = _pair(self.pair, images, rng)
        bits = [np.unpackbits(whole_ciphertext(oracle(np.repeat(m[None], self.samples, axis=0))), axis=1)
                for m in (m0, m1)]
        fixed = [(b == b[0]).all(axis=0) for b in bits]
        self.positions = np.flatnonzero(fixed[0] & fixed[1] & (bits[0][0] != bits[1][0]))
        self.ones = bits[1][0][self.positions]  # m1's values there
        return m0, m1

    def guess(self, oracle, challenges, rng):
        coins = rng.integers(0, 2, len(challenges))
        if not len(self.positions):
            return coins
        seen = np.unpackbits(whole_ciphertext(challenges), axis=1)[:, self.positions]
        votes = (seen == self.ones).mean(axis=1)
        return np.where(votes > 0.5, 1, np.where(votes < 0.5, 0, coins))


class Birthday:
    """Spend ``queries`` oracle calls on one image, then look for the challenge's nonce or ciphertext among them.

    With side data the nonce is its row: when c*'s nonce was seen, b' = 0 exactly when c*
    equals the ciphertext seen with that nonce (a cipher that is deterministic given its
    nonce). Without side data the whole ciphertext is compared. Her advantage is the share
    of the nonce space that the queries covered: about 1 − e^(−q/2^n) for an n-bit nonce,
    nothing for 128 bits. ``repeats`` counts repeated nonces (or ciphertexts) among the queries.
    """

    name = "birthday"

    def __init__(self, queries: int = 1 << 16, batch: int = 4096):
        self.queries, self.batch = int(queries), batch
        self.repeats = 0

    def choose(self, oracle, images, rng):
        m0 = np.zeros_like(images[0])
        m1 = m0.copy().reshape(-1)
        m1[0] = 1
        self.seen: dict[bytes, bytes] = {}
        for start in range(0, self.queries, self.batch):
            answers = oracle(np.repeat(m0[None], min(self.batch, self.queries - start), axis=0))
            for tag, whole in zip(self._tags(answers), whole_ciphertext(answers)):
                if tag in self.seen:
                    self.repeats += 1
                self.seen[tag] = _digest(whole)
        return m0, m1.reshape(m0.shape)

    @staticmethod
    def _tags(answers) -> list[bytes]:
        side = getattr(answers, "side", None)
        rows = whole_ciphertext(answers) if side is None else np.asarray(side).reshape(len(answers), -1)
        return [_digest(row) for row in rows]

    def guess(self, oracle, challenges, rng):
        out = np.ones(len(challenges), dtype=int)
        for i, (tag, whole) in enumerate(zip(self._tags(challenges), whole_ciphertext(challenges))):
            if tag in self.seen and self.seen[tag] == _digest(whole):
                out[i] = 0
        return out


def _digest(row: np.ndarray) -> bytes:
    """16 bytes that stand for a ciphertext row, so that a million queries fit in memory (a collision of
    BLAKE2b-128 digests is as unlikely as one of 128-bit nonces)."""
    return hashlib.blake2b(row.tobytes(), digest_size=16).digest()


def _byte_features(rows: np.ndarray) -> np.ndarray:
    """Cipher bytes scaled to [0, 1] and their 16-bin histogram: content and distribution."""
    histogram = np.stack([np.bincount(row >> 4, minlength=16) for row in rows]) / rows.shape[1]
    return np.hstack([rows / 255.0, histogram])


class LearnedDistinguisher:
    """A logistic regression on the whole ciphertext's bytes and histogram, trained on oracle samples of m0 and m1.

    Against a deterministic cipher the training set holds two points and the classifier
    separates them perfectly; against a randomised one it catches output that still
    depends on the content in a learnable way.
    """

    def __init__(self, pair: str = "content", queries: int = 200):
        self.pair, self.samples = pair, queries
        self.name = "learned distinguisher" if pair == "content" else f"learned distinguisher ({pair} pair)"

    def _features(self, answers) -> np.ndarray:
        return _byte_features(whole_ciphertext(answers))

    def choose(self, oracle, images, rng):
        from sklearn.linear_model import LogisticRegression

        m0, m1 = _pair(self.pair, images, rng)
        train = np.concatenate([np.repeat(m0[None], self.samples, axis=0), np.repeat(m1[None], self.samples, axis=0)])
        features = self._fit_features(self._features(oracle(train)))
        self.model = LogisticRegression(C=1.0, max_iter=300).fit(features, np.repeat([0, 1], self.samples))
        return m0, m1

    def _fit_features(self, features: np.ndarray) -> np.ndarray:
        return features

    def guess(self, oracle, challenges, rng):
        return self.model.predict(self._features(challenges))


class BitDistinguisher(LearnedDistinguisher):
    """The ``selected`` ciphertext bits whose frequency differs most between samples of m0 and m1, in a logistic regression.

    Selecting first keeps one leaked bit (a parity) from drowning among thousands of random ones.
    """

    def __init__(self, pair: str = "one bit", queries: int = 200, selected: int = 32):
        super().__init__(pair, queries)
        self.selected, self.columns = selected, None
        self.name = f"bit distinguisher ({pair} pair)"

    def _fit_features(self, features: np.ndarray) -> np.ndarray:
        half = len(features) // 2
        difference = np.abs(features[:half].mean(axis=0) - features[half:].mean(axis=0))
        self.columns = np.argsort(difference, kind="stable")[::-1][:self.selected]
        return features[:, self.columns]

    def _features(self, answers) -> np.ndarray:
        bits = np.unpackbits(whole_ciphertext(answers), axis=1).astype(np.float64)
        return bits if self.columns is None else bits[:, self.columns]


def battery(*, trials: int = 500, birthday_queries: int = 1 << 16) -> list:
    """The adversaries the book plays, fresh (they keep state between choice and guess)."""
    return [RepeatQuery(trials), DeterministicField("content"), DeterministicField("one bit"),
            Birthday(birthday_queries), LearnedDistinguisher("content"), BitDistinguisher("one bit")]


#: The names of :func:`battery`'s adversaries, in order (tables, calibration, multiple testing).
BATTERY = tuple(a.name for a in battery(trials=1, birthday_queries=1))


def _check(pool, trials: int) -> np.ndarray:
    pool = check_images(np.asarray(pool).view(np.ndarray), "ind_cpa", argument="images")
    if len(pool) < 2:
        raise ValueError(f"ind_cpa needs at least 2 images to choose m0 and m1 from; got {len(pool)}")
    if len(np.unique(pool.reshape(len(pool), -1), axis=0)) < 2:
        raise ValueError("ind_cpa needs at least 2 different images; all given images are equal")
    if trials < 1:
        raise ValueError(f"trials must be >= 1; got {trials}")
    return pool


def play(adversary: Adversary, encrypt: Oracle, images: np.ndarray, *, trials: int = 500,
         seed: int | None = None) -> Advantage:
    """The challenger: one game of ``trials`` challenges against ``adversary``, the bits drawn here.

    The adversary's coins and the challenger's come from separate streams of ``seed``
    (fresh entropy when None), so no adversary can read the hidden bits. Pairs with m0 = m1,
    which nobody can tell apart, are dropped.
    """
    pool = _check(images, trials)
    stream = zlib.crc32(adversary.name.encode())  # each adversary's games get their own bits
    challenger, coins = (np.random.default_rng(None if seed is None else [seed, 0xC4A11, stream, i]) for i in (0, 1))
    oracle = _CountingOracle(encrypt)
    m0, m1 = adversary.choose(oracle, pool, coins)
    if m0.ndim == pool.ndim - 1:  # one pair for every challenge
        m0, m1 = np.repeat(m0[None], trials, axis=0), np.repeat(m1[None], trials, axis=0)
    distinct = np.any(m0.reshape(len(m0), -1) != m1.reshape(len(m1), -1), axis=1)
    bits = challenger.integers(0, 2, len(m0))
    challenges = encrypt(np.where(bits.reshape(-1, *[1] * (m0.ndim - 1)) == 1, m1, m0))
    guesses = np.asarray(adversary.guess(oracle, challenges, coins)).reshape(-1)
    return Advantage(adversary.name, int(distinct.sum()), int(np.sum((guesses == bits)[distinct])), oracle.queries)


def repeat_query_adversary(encrypt: Oracle, images: np.ndarray, *, trials: int = 500, seed: int | None = 0) -> Advantage:
    """One game of :class:`RepeatQuery`."""
    return play(RepeatQuery(trials), encrypt, images, trials=trials, seed=seed)


def learned_distinguisher(encrypt: Oracle, images: np.ndarray, *, trials: int = 500, queries: int = 200,
                          seed: int | None = 0) -> Advantage:
    """One game of :class:`LearnedDistinguisher` on the content pair, with ``queries`` samples of each image."""
    return play(LearnedDistinguisher("content", queries), encrypt, images, trials=trials, seed=seed)


def ind_cpa(encrypt: Oracle, images: np.ndarray, *, trials: int = 500, seed: int | None = 0,
            adversaries: list | None = None, birthday_queries: int = 1 << 16) -> dict[str, Advantage]:
    """Every adversary of the battery (or ``adversaries``) against the oracle ``encrypt``, ``trials`` challenges each.

    With 500 trials the 95 % interval of an advantage near 0 is about ±0.09 wide on each
    side, enough to tell 0 from 0.1.
    """
    players = battery(trials=trials, birthday_queries=birthday_queries) if adversaries is None else adversaries
    return {a.name: play(a, encrypt, images, trials=trials, seed=seed) for a in players}


def queries_for_budget(encrypt: Oracle, images: np.ndarray, *, seconds: float, minimum: int = 0,
                       maximum: int = 1 << 20) -> tuple[int, float]:
    """How many encryptions of ``images``' shape fit in ``seconds``, clipped to [minimum, maximum]; and images/s.

    Times one batch of 256 after a warm-up, so the birthday adversary's budget follows the
    cipher's measured speed.
    """
    batch = np.repeat(np.asarray(images)[:1], 256, axis=0)
    encrypt(batch[:8])
    start = time.perf_counter()
    encrypt(batch)
    speed = len(batch) / max(time.perf_counter() - start, 1e-9)
    return int(np.clip(speed * seconds, minimum, maximum)), float(speed)


def strongest(results: dict[str, Advantage]) -> Advantage:
    """The adversary with the largest advantage (the one a verdict must be based on)."""
    return max(results.values(), key=lambda r: (r.advantage, -r.p_value))
