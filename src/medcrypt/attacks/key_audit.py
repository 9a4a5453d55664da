"""Key-space audit: does every key bit a cipher claims actually matter?

``key_bits`` is what a cipher claims. The audit flips claimed key bits one at a time
(all of them when the cipher is fast enough, otherwise a seeded sample) and asks two
questions per bit, on a few plaintexts p encrypted under the right key k:

1. **Decryption.** Is D_{k'}(E_k(p)) under the flipped key k' no closer to p than
   uniform noise is? Closeness is the mean squared error over the pixels of one audit
   image; for noise its mean and variance follow exactly from that image's pixel
   values, so "closer" is a one-sided z-test. An authenticated cipher that refuses k'
   returns nothing and passes.
2. **Encryption.** Do E_k(p) and E_{k'}(p) differ as two independent random images do?
   The number of unchanged pixels of one audit image is tested against its exact
   Binomial(T, 1/256) null, one-sided. A cipher that draws fresh randomness (two
   encryptions of the same images under the same key differ) changes its output
   whatever the key, so this question says nothing about its key bits and is skipped;
   the decryption question decides.

Both statistical tests use one image: a plaintext-independent key-stream is the same for
every image, so pixels at one position of different images are not independent and
pooling them would understate the null variance.

A bit **matters** when both answers are yes. Both tests run at level α divided by the
number of bits audited (Bonferroni), so an ideal cipher's bits are all counted with
probability at least 1 − α. The verdict (:meth:`KeyAudit.passed`) asks for at least 128
bits of measured strength, the security level of AES-128.

**Divide and conquer.** For each bit the audit also records whether the wrong-key
decryption still has exactly the plaintext's histogram in every audit image, with the
pixels moved. When it
does for some bits (set A) but not for the others (set B), an attacker can search B on
its own, recognising the right B by the histogram whatever A is, then search A: the
work is 2^|A| + 2^|B| instead of 2^(|A|+|B|). The permutation key of a
permutation–diffusion cipher is such a set A.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from .. import metrics
from ..ciphers.base import AuthenticationError, Cipher, check_images

LEVELS = np.arange(256, dtype=np.float64)
#: E[(p − U)²] and E[(p − U)⁴] for U uniform on 0..255, per plaintext value p.
_NOISE_M2 = ((LEVELS[:, None] - LEVELS[None, :]) ** 2).mean(axis=1)
_NOISE_M4 = ((LEVELS[:, None] - LEVELS[None, :]) ** 4).mean(axis=1)


def noise_mse(plain: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation of the pooled MSE between ``plain`` and an image of uniform noise."""
    values = np.asarray(plain).reshape(-1).astype(np.int64)
    mean = _NOISE_M2[values].mean()
    variance = (_NOISE_M4[values] - _NOISE_M2[values] ** 2).sum() / values.size**2
    return float(mean), float(math.sqrt(variance))


@dataclass
class KeyAudit:
    """The audit of one cipher's key bits."""

    cipher: str
    claimed_bits: int
    bits: np.ndarray  # the audited bit indices
    decrypts_like_noise: np.ndarray  # per audited bit
    encrypts_differently: np.ndarray
    keeps_histogram: np.ndarray  # wrong-key decryption has each audit image's histogram, pixels moved
    alpha: float
    notes: list[str] = field(default_factory=list)

    @property
    def exhaustive(self) -> bool:
        return len(self.bits) == self.claimed_bits

    @property
    def matters(self) -> np.ndarray:
        """Per audited bit: a wrong value decrypts to noise and changes the encryption."""
        return self.decrypts_like_noise & self.encrypts_differently

    @property
    def separable(self) -> np.ndarray:
        """Per audited bit: a wrong value still decrypts to the plaintext's histogram (set A)."""
        return self.keeps_histogram & self.encrypts_differently

    def _scaled(self, mask: np.ndarray) -> int:
        """How many claimed bits have property ``mask``: counted when exhaustive, else scaled from the sample."""
        return int(round(self.claimed_bits * mask.mean())) if len(self.bits) else 0

    @property
    def effective_bits(self) -> int:
        """Claimed bits that matter (both tests), counted, or scaled from the sample."""
        return self._scaled(self.matters)

    @property
    def separable_bits(self) -> int:
        """Claimed bits whose wrong value leaves the histogram intact: they can be searched apart from the rest."""
        return self._scaled(self.separable)

    @property
    def all_matter(self) -> bool:
        return bool(len(self.bits)) and bool(self.matters.all())

    @property
    def strength_bits(self) -> float:
        """log2 of the work of the best search this audit knows: log2(2^|A| + 2^|B|) with B the bits that matter.

        Without separable bits this is the effective key length; with them, the
        attacker finds B first (testing each guess by the histogram), then A.
        """
        a, b = self.separable_bits, self.effective_bits
        if a == 0 or b == 0:
            return float(a + b)
        return max(a, b) + math.log2(1 + 2.0 ** (min(a, b) - max(a, b)))

    def passed(self, minimum_bits: int = 128) -> bool:
        """The key-audit verdict: at least ``minimum_bits`` of measured strength."""
        return self.strength_bits >= minimum_bits

    def to_dict(self) -> dict:
        return {"claimed_bits": int(self.claimed_bits), "audited_bits": int(len(self.bits)),
                "exhaustive": self.exhaustive, "effective_bits": self.effective_bits,
                "all_matter": self.all_matter, "separable_bits": self.separable_bits,
                "strength_bits": float(self.strength_bits),
                "bits_decrypting_closer_than_noise": int((~self.decrypts_like_noise).sum()),
                "bits_not_changing_encryption": int((~self.encrypts_differently).sum())}


def _histogram_without_image(plain: np.ndarray, wrong: np.ndarray) -> bool:
    """The wrong-key decryption has each image's exact histogram but most pixels in other places.

    That is what a wrong permutation key with a right diffusion key gives; a decryption
    that returns (most of) the plaintext itself is not a separable sub-key, it is a bit
    that does not matter.
    """
    x, y = plain.reshape(len(plain), -1), np.asarray(wrong).reshape(len(wrong), -1)
    same_histogram = np.array_equal(np.sort(x, axis=1), np.sort(y, axis=1))
    return bool(same_histogram and np.mean(x == y) < 0.5)


def audit_key(cipher: Cipher, images: np.ndarray, key, *, max_bits: int = 256, seed: int = 0,
              alpha: float = metrics.ALPHA) -> KeyAudit:
    """Flip each claimed key bit of ``cipher`` (a seeded sample of ``max_bits`` when it claims more) and test it.

    ``images`` are the audit plaintexts (a few suffice: 8 images of 28×28 give 6,272
    pixels per test). Bits are numbered as the cipher's own ``flip_key_bit`` numbers them.
    """
    images = check_images(np.asarray(images), "audit_key")
    claimed = int(cipher.key_bits)
    if claimed == 0:
        return KeyAudit(cipher.name, 0, np.array([], dtype=int), np.array([], bool), np.array([], bool),
                        np.array([], bool), alpha, ["no key: whoever holds the model decrypts"])
    if max_bits < 128:
        raise ValueError(f"max_bits must be at least 128 for a meaningful sample; got {max_bits}")
    if claimed <= max_bits:
        bits = np.arange(claimed)
    else:
        bits = np.sort(np.random.default_rng(seed).choice(claimed, max_bits, replace=False))
    level = alpha / len(bits)
    cipher_images = cipher.encrypt(images, key)
    reference = np.asarray(cipher_images).view(np.ndarray)
    again = np.asarray(cipher.encrypt(images, key)).view(np.ndarray)
    randomised = again.shape != reference.shape or not np.array_equal(again, reference)
    noise_mean, noise_sd = noise_mse(images[:1])
    z = stats.norm.ppf(1 - level)
    n_cipher_pixels = reference[0].size
    # The most unchanged pixels an ideal cipher shows with probability >= 1 - level.
    most_unchanged = int(stats.binom.isf(level, n_cipher_pixels, 1 / 256))
    like_noise, different, histogram = [], [], []
    for bit in bits:
        other = cipher.flip_key_bit(key, int(bit))
        try:
            wrong = cipher.decrypt(cipher_images, other)
        except AuthenticationError:
            like_noise.append(True)
            histogram.append(False)
        else:
            error = float(metrics.mse(images[:1], wrong[:1])[0])
            like_noise.append(error >= noise_mean - z * noise_sd)
            histogram.append(_histogram_without_image(images, wrong))
        if randomised:
            different.append(True)
            continue
        other_cipher = np.asarray(cipher.encrypt(images, other)).view(np.ndarray)
        different.append(other_cipher.shape == reference.shape and
                         int(np.sum(other_cipher[0] == reference[0])) <= most_unchanged)
    return KeyAudit(cipher.name, claimed, bits, np.array(like_noise), np.array(different), np.array(histogram), alpha)
