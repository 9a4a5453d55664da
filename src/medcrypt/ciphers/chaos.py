"""A classic chaotic permutation–diffusion image cipher (Fridrich 1998 architecture, logistic map).

The design, in the textbook form that much of the chaos-based literature follows:

1. **Permutation.** Iterate the logistic map x ← r·x·(1−x) from the secret (x0, r1),
   drop a transient, and sort the next T values: the sorting order is a permutation π of
   the T pixel positions (all channels together).
2. **Diffusion.** Iterate a second logistic map from (y0, r2) and quantise its values to
   bytes: two key-streams k1, k2. Chain forward, c_j = (v_j + k1_j + c_{j-1}) mod 256,
   then backward, d_j = (c_j + k2_j + d_{j+1}) mod 256, so that a one-pixel change
   reaches every cipher pixel.

**Key.** 32 bytes: a 128-bit permutation sub-key (bytes 0–15) and a 128-bit diffusion
sub-key (bytes 16–31). Each goes through SHA-256, whose output sets that map's initial
value and parameter (x0 in (0, 1) and r1 in [3.99, 4), where the map is chaotic; likewise
y0, r2). An earlier version read x0, r1, y0, r2 straight from the key's bits, keeping the
53 (or 43) bits that survive float64 rounding; the key audit showed that a one-ulp change
of x0 is sometimes rounded away in the first iterations, where the map contracts, so
some claimed bits did not matter for some keys. Through the hash every key bit changes
every parameter by far more than an ulp, so ``key_bits`` = 256 all matter.

**Divide and conquer.** The permutation comes from the first sub-key alone and the
key-streams from the second alone. A wrong permutation sub-key with the right diffusion
sub-key still undoes the diffusion and returns the plaintext's pixels in the wrong
places, with its exact histogram, so an attacker can search the 128 diffusion bits on
their own (a medical histogram tells her when she has them) and then the 128 permutation
bits: about 2¹²⁹ trials, not 2²⁵⁶. The key audit of chapters 2 and 8 measures this;
``separable_key_bits`` states it. (Fridrich's design, like many after it, keeps the two
keys apart in this way.)

**Weakness (shown in chapter 2).** π, k1 and k2 do not depend on the plaintext, and the
diffusion is linear modulo 256. The whole cipher is therefore E(p) = M·P·p + b with a
public matrix M, so a few chosen images reveal an equivalent key (P, b) without touching
the 192-bit key: see :func:`medcrypt.attacks.chosen_plaintext_attack`.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np

from .base import check_images, check_key, flip_key_bit, register, seeded_key, takes_16_bit

KEY_BYTES = 32
SUBKEY_BYTES = 16
TRANSIENT = 1000
R_LOW, R_WIDTH = 3.99, 0.01


def _map_parameters(subkey: bytes, label: bytes) -> tuple[float, float]:
    """(initial value in (0, 1), r in [3.99, 4)) from SHA-256(label ‖ sub-key): 53 and 52 bits of the digest."""
    digest = hashlib.sha256(b"medcrypt-logistic-" + label + subkey).digest()
    x_bits = int.from_bytes(digest[:8], "big") >> 11
    r_bits = int.from_bytes(digest[8:16], "big") >> 12
    return (x_bits + 0.5) / 2.0**53, R_LOW + R_WIDTH * (r_bits / 2.0**52)


def _parameters(key: bytes) -> dict[str, float]:
    x0, r1 = _map_parameters(key[:SUBKEY_BYTES], b"permutation")
    y0, r2 = _map_parameters(key[SUBKEY_BYTES:], b"diffusion")
    return {"x0": x0, "r1": r1, "y0": y0, "r2": r2}


def logistic_orbit(x0: float, r: float, n: int, transient: int = TRANSIENT) -> np.ndarray:
    """n values of the logistic map after ``transient`` dropped iterations (float64)."""
    x = x0
    for _ in range(transient):
        x = r * x * (1.0 - x)
    out = np.empty(n)
    for i in range(n):
        x = r * x * (1.0 - x)
        out[i] = x
    return out


def key_parameters(key: bytes) -> dict[str, float]:
    """The four map parameters that a key sets: ``x0``, ``r1`` (permutation) and ``y0``, ``r2`` (diffusion)."""
    return _parameters(LogisticPermutationDiffusion._check_key(key))


def lyapunov_exponent(r: float, x0: float, n: int = 100_000, transient: int = TRANSIENT) -> float:
    """λ ≈ (1/n) Σ ln|f'(x_i)| along the orbit of x0, f(x) = r·x·(1−x), f'(x) = r·(1−2x), after ``transient`` steps.

    Positive for a chaotic orbit (ln 2 for r = 4): nearby orbits separate by a factor of
    about e^λ per step.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n}")
    orbit = logistic_orbit(x0, r, n, transient)
    with np.errstate(divide="ignore"):
        return float(np.mean(np.log(np.abs(r * (1.0 - 2.0 * orbit)))))


@functools.lru_cache(maxsize=16)
def _schedule(key: bytes, n_pixels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The permutation and the two key-streams. Cached: they depend only on the key and size."""
    p = _parameters(key)
    permutation = np.argsort(logistic_orbit(p["x0"], p["r1"], n_pixels), kind="stable")
    stream = logistic_orbit(p["y0"], p["r2"], 2 * n_pixels)
    stream_bytes = (np.floor(stream * 2.0**40).astype(np.int64) & 0xFF).astype(np.uint8)
    return permutation, stream_bytes[:n_pixels], stream_bytes[n_pixels:]


def diffuse(v: np.ndarray, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
    """Forward then backward chaining mod 256 along the last axis.

    All arrays are ``uint8``, whose arithmetic wraps modulo 256 by itself, so each chain is
    one cumulative sum: c_j = v_j + k1_j + c_{j-1} is the running sum of v + k1.
    """
    c = np.cumsum(v + k1, axis=-1, dtype=np.uint8)
    return np.cumsum((c + k2)[..., ::-1], axis=-1, dtype=np.uint8)[..., ::-1]


def undiffuse(d: np.ndarray, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
    """Inverse of :func:`diffuse`: undo the backward chain, then the forward chain (``uint8``)."""
    c = d.copy()
    c[..., :-1] -= d[..., 1:]
    c -= k2
    v = c.copy()
    v[..., 1:] -= c[..., :-1]
    return v - k1


@takes_16_bit
class PermutationDiffusion:
    """A plaintext-independent permutation–diffusion cipher, given its key schedule.

    Subclasses implement ``schedule(key, n_pixels) -> (permutation, k1, k2)``: the pixel
    permutation and the two byte key-streams of :func:`diffuse`, all from the key alone.
    """

    name: str

    def schedule(self, key, n_pixels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        raise NotImplementedError

    def encrypt(self, images: np.ndarray, key) -> np.ndarray:
        images = check_images(images, self.name)
        flat = images.reshape(len(images), -1)
        permutation, k1, k2 = self.schedule(key, flat.shape[1])
        return diffuse(flat[:, permutation], k1, k2).reshape(images.shape)

    def decrypt(self, cipher: np.ndarray, key) -> np.ndarray:
        cipher = check_images(np.asarray(cipher), self.name, argument="cipher")
        flat = cipher.reshape(len(cipher), -1)
        permutation, k1, k2 = self.schedule(key, flat.shape[1])
        out = np.empty_like(flat)
        out[:, permutation] = undiffuse(flat, k1, k2)
        return out.reshape(cipher.shape)


@register
class LogisticPermutationDiffusion(PermutationDiffusion):
    """Chaotic permutation–diffusion cipher, plaintext-independent textbook variant (see module docs).

    Secret: a 256-bit key, of which the 128-bit permutation sub-key can be searched apart
    from the rest (about 129 bits of strength, see the module docs). Lossless.
    """

    name = "chaos-logistic"
    family = "baseline"
    lossless = True
    key_bits = 8 * KEY_BYTES
    #: Claimed bits whose wrong value still reveals the plaintext's histogram: the permutation sub-key.
    separable_key_bits = 8 * SUBKEY_BYTES

    def keygen(self, seed: int | None = None) -> bytes:
        return seeded_key(seed, KEY_BYTES)

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return flip_key_bit(key, bit)

    @staticmethod
    def _check_key(key) -> bytes:
        return check_key(key, KEY_BYTES, "chaos-logistic")

    def schedule(self, key: bytes, n_pixels: int):
        return _schedule(self._check_key(key), n_pixels)
