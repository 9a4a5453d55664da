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
on, or one pair per challenge (it may query the oracle), and a ``guess(oracle,
challenges, rng)`` that returns one bit per challenge (it may query again). :func:`play` is the challenger: it draws the
bits from its own generator, encrypts the challenges, and counts the wins. :data:`BATTERY`
is the list the book plays; pass your own list to :func:`ind_cpa` to add one.

The battery:

* :class:`RepeatQuery`: ask for E_k(m0) and compare it with c*. It wins every game
  against a deterministic cipher.
* :class:`DeterministicField`: ask for several encryptions of each of :data:`PROBES` probe images
  (pool images, uniform noise, black and white) and find the ciphertext bits that never
  change between encryptions of one image but differ between images; then be challenged
  on pairs whose bits there differ. A tag computed from the plaintext alone
  (encrypt-and-MAC), any leaked plaintext function that is not constant (a parity, one
  pixel's top bit) or a deterministic cipher all show such bits. Probing many images,
  not one fixed pair, is what finds a function that a fixed pair happens to agree on.
  A second copy probes the one-bit pair: an image and the same image with one pixel's
  lowest bit flipped, which changes that pixel, that bit and the parity of the pixel sum.
* :class:`Birthday`: spend a query budget on one image and look for a repeated nonce or
  ciphertext. A short nonce repeats after about the square root of its range; once the
  challenge's nonce is among those seen, comparing ciphertexts decides b.
* :class:`LearnedDistinguisher`: a logistic regression on cipher bytes and their
  histogram, trained on oracle samples of a dark and a bright image.
* :class:`BitDistinguisher`: the probe images again, 32 encryptions each; a χ² test of
  homogeneity keeps the ciphertext bits whose frequency changes with the image, noisy or
  not, and a likelihood-ratio test on those bits decides each challenge. It finds a
  leaked low-order feature hidden among random bits, even when noise blurs it.

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

#: Random bits in the nonce of a sound randomised cipher: the 96-bit IV of NIST SP 800-38D.
#: A repeat among q queries is judged against this (see :attr:`Advantage.p_value`).
NONCE_BITS = 96


@dataclass(frozen=True)
class Advantage:
    """The outcome of ``trials`` IND-CPA challenges against one adversary, who made ``queries`` oracle queries."""

    adversary: str
    trials: int
    wins: int
    queries: int = 0
    repeats: int = 0  # repeated nonces or ciphertexts among the adversary's own queries of one image

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
        """One-sided exact binomial p-value of "the adversary wins more often than chance".

        A repeat among the adversary's own queries is evidence too: with nonces of
        :data:`NONCE_BITS` random bits, q queries repeat one with probability at most
        q²/2^(NONCE_BITS + 1), so that bound is a p-value of the repeats seen. A 24-bit
        nonce repeats within 2^16 queries although the challenge's nonce is rarely among them.
        """
        wins = float(stats.binomtest(self.wins, self.trials, 0.5, alternative="greater").pvalue)
        if not self.repeats:
            return wins
        return min(wins, float(self.queries) ** 2 / 2.0 ** (NONCE_BITS + 1))

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
    An adversary may also set ``repeats``: repeated nonces or ciphertexts it saw among its
    own queries of one image, which the challenger reports (:attr:`Advantage.p_value`).
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


#: How many probe images the deterministic-field and bit adversaries encrypt.
PROBES = 16


def probe_images(images: np.ndarray, rng: np.random.Generator, count: int = PROBES) -> np.ndarray:
    """``count`` images that differ in every way a leak could key on: pool images, uniform noise, black and white.

    A leaked plaintext function (a tag, a parity, the top bit of one pixel) that is not
    constant takes both values among them with high probability, whatever the function:
    that is why the adversaries below draw their pairs from here and not from a fixed pair.
    """
    if count < 4:
        raise ValueError(f"count must be >= 4 (pool images, noise, black and white); got {count}")
    from_pool = images[rng.choice(len(images), min(count // 2, len(images)), replace=False)]
    noise = rng.integers(0, 256, (count - len(from_pool) - 2, *images.shape[1:]), dtype=np.uint8)
    constant = np.stack([np.zeros(images.shape[1:], np.uint8), np.full(images.shape[1:], 255, np.uint8)])
    return np.concatenate([from_pool, noise, constant])


def _probes(kind: str, images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if kind == "random pairs":
        return probe_images(images, rng)
    if kind == "one bit":
        return np.stack(one_bit_pair(images, rng))
    raise ValueError(f"pair kind must be 'random pairs' or 'one bit'; got {kind!r}")


def _bit_counts(oracle: Oracle, probes: np.ndarray, samples: int) -> np.ndarray:
    """How often each bit of the whole ciphertext is 1 over ``samples`` encryptions of each probe: (probes, bits)."""
    return np.stack([np.unpackbits(whole_ciphertext(oracle(np.repeat(probe[None], samples, axis=0))), axis=1)
                     .sum(axis=0, dtype=np.int64) for probe in probes])


def _distinct_pairs(probes: np.ndarray, differ: np.ndarray) -> np.ndarray:
    """Index pairs (i, j), i < j, of different probe images for which ``differ[i, j]`` holds."""
    flat = probes.reshape(len(probes), -1)
    i, j = np.triu_indices(len(probes), k=1)
    keep = differ[i, j] & np.any(flat[i] != flat[j], axis=1)
    if not keep.any():
        raise ValueError("ind_cpa: the probe images are all equal; give at least 2 different images")
    return np.stack([i[keep], j[keep]], axis=1)


#: Byte lags at which the deterministic-field adversary also reads XORs and differences of the ciphertext.
#: A key-stream that repeats with a period dividing a lag (one byte, a 16-byte block,
#: an image row) cancels there and leaves the plaintext's own XOR or difference.
LAGS = (1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64)


def _sorted_counts(rows: np.ndarray) -> np.ndarray:
    """Each row's byte-value histogram, sorted, as bytes: unchanged by any permutation and any byte bijection."""
    offsets = np.arange(len(rows), dtype=np.int64)[:, None] * 256
    counts = np.bincount((rows.astype(np.int64) + offsets).ravel(), minlength=256 * len(rows)).reshape(len(rows), 256)
    return np.sort(counts, axis=1).astype(">u4").view(np.uint8)


def ciphertext_views(answers, width: int, columns: np.ndarray | None = None) -> np.ndarray:
    """What a deterministic-field adversary reads of each ciphertext, one row of bytes per image.

    The whole ciphertext; its XOR and difference (mod 256) with itself shifted by each lag
    in :data:`LAGS` and by one and two image rows (``width``); and the sorted histograms of
    its pixels and of the whole ciphertext. Under a sound cipher every byte here is as
    random as the ciphertext; under a short repeating key-stream the shifted views, and
    under permutation and byte substitution the sorted histograms, are functions of the
    plaintext alone. With side data, the pixels XOR and minus the side data (repeated to
    their length) are read as well: a mask sent in the clear cancels there. ``columns``
    keeps only those bytes of each row (built a chunk at a time).
    """
    rows = whole_ciphertext(answers)
    pixels = np.asarray(answers).view(np.ndarray).reshape(len(rows), -1)
    side = getattr(answers, "side", None)
    side = None if side is None else np.asarray(side).reshape(len(rows), -1)
    keep = slice(None) if columns is None else columns
    return np.vstack([_views(rows[i:i + _CHUNK], pixels[i:i + _CHUNK], width,
                             None if side is None else side[i:i + _CHUNK])[:, keep]
                      for i in range(0, len(rows), _CHUNK)])


_CHUNK = 64  # ciphertexts whose views are built at once: the views are ~30 times the ciphertext


def _views(rows: np.ndarray, pixels: np.ndarray, width: int, side: np.ndarray | None) -> np.ndarray:
    parts = [rows]
    for lag in sorted({*LAGS, width, 2 * width}):
        if 0 < lag < rows.shape[1]:
            parts += [rows[:, lag:] ^ rows[:, :-lag], rows[:, lag:] - rows[:, :-lag]]  # uint8 wraps mod 256
    if pixels.dtype == np.uint8:
        parts.append(_sorted_counts(pixels))
        if side is not None and side.dtype == np.uint8 and side.shape[1]:
            # A mask sent in the clear: the pixels XOR (or minus) the side data, repeated to their length.
            mask = np.tile(side, (1, -(-pixels.shape[1] // side.shape[1])))[:, :pixels.shape[1]]
            parts += [pixels ^ mask, pixels - mask]
    parts.append(_sorted_counts(rows))
    return np.hstack(parts)


class DeterministicField:
    """Find ciphertext bits fixed by the plaintext, then ask to be challenged on pairs where they differ.

    ``samples`` encryptions of each probe image (:func:`probe_images` for ``"random
    pairs"``, the one-bit pair for ``"one bit"``) show which bits of the
    :func:`ciphertext_views` never change between encryptions of one image yet differ
    between images: a deterministic function of the plaintext, such as a tag of the
    plaintext, a leaked parity, a short repeating key-stream, a permutation without
    diffusion, or a deterministic cipher. Each challenge is a pair whose fields differ,
    answered by which image's field the challenge matches on more bits (a coin on a tie
    or when there are none). For a sound cipher a random bit stays fixed over every probe
    with probability 2^(−(samples − 1)·probes), so none is selected. Where more than
    ``columns`` bytes hold such bits (a deterministic cipher), a random ``columns`` of
    them are kept, which is plenty and keeps memory flat for large images.
    """

    def __init__(self, pair: str = "random pairs", samples: int = 16, trials: int = 500, columns: int = 4096):
        self.pair, self.samples, self.trials, self.most_columns = pair, samples, trials, columns
        self.name = f"deterministic field ({pair})" if pair == "random pairs" else f"deterministic field ({pair} pair)"

    def choose(self, oracle, images, rng):
        probes = _probes(self.pair, images, rng)
        self.width = probes.shape[-1]
        firsts, fixed = [], None
        for probe in probes:  # one probe at a time: the views of large images take memory
            views = ciphertext_views(oracle(np.repeat(probe[None], self.samples, axis=0)), self.width)
            same = np.bitwise_and.reduce(~(views ^ views[0]), axis=0)  # bits equal in every sample
            fixed = same if fixed is None else fixed & same
            firsts.append(views[0])
        firsts = np.stack(firsts)
        varying = fixed & np.bitwise_or.reduce(firsts ^ firsts[0], axis=0)
        self.columns = np.flatnonzero(varying)  # bytes that hold a selected bit
        if len(self.columns) > self.most_columns:
            self.columns = np.sort(rng.choice(self.columns, self.most_columns, replace=False))
        self.mask = varying[self.columns]
        self.fields = firsts[:, self.columns] & self.mask  # each probe's field, packed
        differ = np.stack([np.any(field ^ self.fields, axis=1) for field in self.fields])
        pairs = _distinct_pairs(probes, differ if len(self.columns) else np.ones_like(differ))
        self.chosen = pairs[rng.integers(len(pairs), size=self.trials)]
        return probes[self.chosen[:, 0]], probes[self.chosen[:, 1]]

    def guess(self, oracle, challenges, rng):
        coins = rng.integers(0, 2, len(challenges))
        if not len(self.columns):
            return coins
        seen = ciphertext_views(challenges, self.width, self.columns) & self.mask
        field0, field1 = self.fields[self.chosen[:, 0]], self.fields[self.chosen[:, 1]]
        telling = field0 ^ field1
        ones = np.bitwise_count(~(seen ^ field1) & telling).sum(axis=1, dtype=np.int64)
        zeros = np.bitwise_count(~(seen ^ field0) & telling).sum(axis=1, dtype=np.int64)
        return np.where(ones > zeros, 1, np.where(ones < zeros, 0, coins))


class Birthday:
    """Spend ``queries`` oracle calls on one image, then look for the challenge's nonce or ciphertext among them.

    With side data the nonce is its row: when c*'s nonce was seen, b' = 0 exactly when c*
    equals the ciphertext seen with that nonce (a cipher that is deterministic given its
    nonce). Without side data the whole ciphertext is compared. Her advantage is the share
    of the nonce space that the queries covered: about 1 − e^(−q/2^n) for an n-bit nonce,
    nothing for 128 bits. ``repeats`` counts repeated nonces (or ciphertexts) among the
    queries; the challenger reports them, and a repeat alone fails the game (see
    :attr:`Advantage.p_value`).
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
        self.repeats = 0
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


class BitDistinguisher:
    """Find ciphertext bits whose frequency depends on the plaintext, then challenge on the pair they tell apart best.

    ``samples`` encryptions of each probe image give each bit's frequency per image; a
    χ² test of homogeneity across the probes (Bonferroni over all bits at ``alpha``) keeps
    the bits whose frequency changes with the image, noisy or not: a leaked parity hidden
    among random bits, a biased key-stream that depends on the content. The pair that
    differs most on those bits is sampled afresh (``queries`` encryptions each, so the
    selection does not bias the estimate) and each challenge is answered by the
    log-likelihood ratio of its bits (at most ``positions`` of them, drawn at random where
    more qualify). With no bit kept, the answers are coins.
    """

    def __init__(self, pair: str = "random pairs", samples: int = 32, queries: int = 200, alpha: float = 1e-3,
                 positions: int = 4096):
        self.pair, self.samples, self.queries, self.alpha = pair, samples, queries, alpha
        self.most_positions = positions
        self.name = f"bit distinguisher ({pair})" if pair == "random pairs" else f"bit distinguisher ({pair} pair)"

    def choose(self, oracle, images, rng):
        probes = _probes(self.pair, images, rng)
        counts = _bit_counts(oracle, probes, self.samples)
        mean = counts.mean(axis=0) / self.samples
        spread = ((counts / self.samples - mean) ** 2).sum(axis=0) * self.samples
        # A constant bit (mean 0 or 1) tells nothing: its statistic stays 0.
        statistic = np.divide(spread, mean * (1 - mean), out=np.zeros_like(spread), where=(mean > 0) & (mean < 1))
        threshold = stats.chi2.isf(self.alpha / counts.shape[1], len(probes) - 1)
        self.positions = np.flatnonzero(statistic > threshold)
        if len(self.positions) > self.most_positions:  # plenty to decide, and memory stays flat
            self.positions = np.sort(rng.choice(self.positions, self.most_positions, replace=False))
        frequency = counts[:, self.positions] / self.samples
        gap = np.stack([np.abs(row - frequency).sum(axis=1) for row in frequency])
        pairs = _distinct_pairs(probes, np.ones_like(gap, dtype=bool))
        best = pairs[np.argmax(gap[pairs[:, 0], pairs[:, 1]])] if len(self.positions) else pairs[rng.integers(len(pairs))]
        m0, m1 = probes[best[0]], probes[best[1]]
        if len(self.positions):  # fresh samples: the selection above does not bias these frequencies
            fresh = _bit_counts(oracle, np.stack([m0, m1]), self.queries)[:, self.positions]
            p0, p1 = ((fresh + 0.5) / (self.queries + 1))
            self.weights = np.log(p1 / p0) - np.log((1 - p1) / (1 - p0))
            self.offset = np.log((1 - p1) / (1 - p0)).sum()
        return m0, m1

    def guess(self, oracle, challenges, rng):
        coins = rng.integers(0, 2, len(challenges))
        if not len(self.positions):
            return coins
        seen = np.unpackbits(whole_ciphertext(challenges), axis=1)[:, self.positions]
        ratio = seen @ self.weights + self.offset  # log Pr[bits | m1] − log Pr[bits | m0]
        return np.where(ratio > 0, 1, np.where(ratio < 0, 0, coins))


def battery(*, trials: int = 500, birthday_queries: int = 1 << 16) -> list:
    """The adversaries the book plays, fresh (they keep state between choice and guess)."""
    return [RepeatQuery(trials), DeterministicField("random pairs", trials=trials), DeterministicField("one bit", trials=trials),
            Birthday(birthday_queries), LearnedDistinguisher("content"), BitDistinguisher("random pairs")]


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
    elif len(m0) != trials or len(m1) != trials:
        raise ValueError(f"adversary {adversary.name!r} chose {len(m0)} pairs for {trials} challenges; "
                         f"build it with trials={trials} or return one pair for all challenges")
    distinct = np.any(m0.reshape(len(m0), -1) != m1.reshape(len(m1), -1), axis=1)
    bits = challenger.integers(0, 2, len(m0))
    challenges = encrypt(np.where(bits.reshape(-1, *[1] * (m0.ndim - 1)) == 1, m1, m0))
    guesses = np.asarray(adversary.guess(oracle, challenges, coins)).reshape(-1)
    return Advantage(adversary.name, int(distinct.sum()), int(np.sum((guesses == bits)[distinct])), oracle.queries,
                     int(getattr(adversary, "repeats", 0)))


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
