"""Chosen-plaintext equivalent-key recovery for permutation–diffusion ciphers.

Target: any cipher of the form E(p) = M·P·p + b (mod 256), where P permutes pixel
positions and b is a fixed mask, both secret, and M is a public linear diffusion that can
be inverted. Every plaintext-independent permutation–diffusion cipher whose diffusion
is modular addition with chaining has this form, including
:class:`medcrypt.ciphers.LogisticPermutationDiffusion`. The attacker never learns the
chaotic key; they learn (P, b), an *equivalent key* that decrypts everything the real
key does (Li et al. 2004, 2005; chapter 8 cites the later breaks).

Queries: one all-zero image gives b. Then ceil(log_256 T) "coordinate" images, whose
pixel j holds the base-256 digits of j, label every position, so that undoing M exposes
where each pixel was sent. For a 28×28 image that is 3 chosen images in all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..ciphers.chaos import undiffuse


class AttackFailed(RuntimeError):
    """The oracle's answers are not those of a cipher of the assumed form."""


def _public_inverse(d: np.ndarray) -> np.ndarray:
    """M^{-1}: the diffusion with all-zero key-streams is the public linear part."""
    zeros = np.zeros(d.shape[-1], dtype=np.uint8)
    return undiffuse(d, zeros, zeros)


def probe_images(shape: tuple[int, ...]) -> np.ndarray:
    """The chosen plaintexts: an all-zero image, then one image per base-256 digit of the pixel index."""
    n_pixels = int(np.prod(shape))
    digits = max(1, math.ceil(math.log(n_pixels, 256))) if n_pixels > 1 else 1
    index = np.arange(n_pixels)
    probes = [np.zeros(n_pixels, dtype=np.uint8)]
    probes += [((index // 256**d) % 256).astype(np.uint8) for d in range(digits)]
    return np.stack(probes).reshape(len(probes), *shape)


@dataclass(frozen=True)
class EquivalentKey:
    """(P, b) recovered by the attack: ``source[i]`` is the plaintext position sent to cipher position i."""

    source: np.ndarray
    mask: np.ndarray
    shape: tuple[int, ...]

    def decrypt(self, cipher: np.ndarray) -> np.ndarray:
        flat = np.asarray(cipher, dtype=np.uint8).reshape(len(cipher), -1)
        if flat.shape[1] != self.source.size:
            raise ValueError(f"this equivalent key decrypts images of shape {self.shape}; got {np.shape(cipher)[1:]}")
        permuted = _public_inverse(flat - self.mask)  # uint8 arithmetic is already mod 256
        out = np.empty_like(permuted)
        out[:, self.source] = permuted
        return out.reshape(np.shape(cipher))


def chosen_plaintext_attack(encrypt: Callable[[np.ndarray], np.ndarray], shape: tuple[int, ...]) -> tuple[EquivalentKey, int]:
    """Recover an equivalent key from an encryption oracle; returns it and the number of chosen images used."""
    probes = probe_images(shape)
    answers = np.asarray(encrypt(probes), dtype=np.uint8).reshape(len(probes), -1)
    mask = answers[0]
    labels = _public_inverse(answers[1:] - mask).astype(np.int64)  # row d: digit d of each position's source
    source = (labels * (256 ** np.arange(len(labels)))[:, None]).sum(axis=0)
    if not np.array_equal(np.sort(source), np.arange(source.size)):
        raise AttackFailed("the recovered map is not a permutation: the cipher is not of the form M·P·p + b")
    return EquivalentKey(source, mask, tuple(shape)), len(probes)


def chosen_plaintext_gain(encrypt: Callable[[np.ndarray], np.ndarray], test_plain: np.ndarray,
                          guess: np.ndarray) -> tuple[float, int] | None:
    """Run the attack against any cipher and score the equivalent key on ``test_plain``.

    Returns (PSNR gain in dB over the no-ciphertext ``guess``, chosen images used), or None
    when the oracle's answers are not those of a cipher of the form M·P·p + b (including
    ciphertexts not shaped like the image).
    """
    from .. import metrics

    shape = tuple(test_plain.shape[1:])
    try:
        key, n_chosen = chosen_plaintext_attack(encrypt, shape)
        cipher = np.asarray(encrypt(test_plain)).view(np.ndarray)
        if cipher.shape != test_plain.shape:
            return None
        decrypted = key.decrypt(cipher)
    except AttackFailed:
        return None
    except ValueError:  # the oracle's output cannot be read as pixel arrays of the plaintext's size
        return None
    guess = np.broadcast_to(np.asarray(guess, dtype=np.uint8), test_plain.shape)
    return metrics.psnr(test_plain, decrypted).pooled - metrics.psnr(test_plain, guess).pooled, n_chosen
