"""A classic chaotic permutation–diffusion image cipher (Fridrich 1998 architecture, logistic map).

The design, in the textbook form that much of the chaos-based literature follows:

1. **Permutation.** Iterate the logistic map x ← r·x·(1−x) from the secret (x0, r1),
   drop a transient, and sort the next T values: the sorting order is a permutation π of
   the T pixel positions (all channels together).
2. **Diffusion.** Iterate a second logistic map from (y0, r2) and quantise its values to
   bytes: two key-streams k1, k2. Chain forward, c_j = (v_j + k1_j + c_{j-1}) mod 256,
   then backward, d_j = (c_j + k2_j + d_{j+1}) mod 256, so that a one-pixel change
   reaches every cipher pixel.

**Key.** 32 bytes read as four 64-bit words. Only the bits that survive float64 rounding
are used: the top 53 bits of x0 and y0 (in (0, 1)) and the top 43 bits of r1 and r2 (in
[3.99, 4), where the map is chaotic). ``key_bits`` = 2·53 + 2·43 = 192 is that effective
key space; flipping any of those bits changes the cipher completely, because nearby
orbits of the logistic map separate within about 53 iterations and we drop 1,000.

**Weakness (shown in chapter 2).** π, k1 and k2 do not depend on the plaintext, and the
diffusion is linear modulo 256. The whole cipher is therefore E(p) = M·P·p + b with a
public matrix M, so a few chosen images reveal an equivalent key (P, b) without touching
the 192-bit key: see :func:`medcrypt.attacks.chosen_plaintext_attack`.
"""

from __future__ import annotations

import functools

import numpy as np

from .base import check_images, flip_effective_bit, register, seeded_key

KEY_BYTES = 32
TRANSIENT = 1000
R_LOW, R_WIDTH = 3.99, 0.01
# (field, bits used) in key order; x0 and y0 keep 53 bits, r1 and r2 keep 43.
FIELDS = (("x0", 53), ("r1", 43), ("y0", 53), ("r2", 43))
EFFECTIVE_BITS = sum(bits for _, bits in FIELDS)


def _parameters(key: bytes) -> dict[str, float]:
    words = [int.from_bytes(key[8 * i:8 * i + 8], "big") for i in range(4)]
    out = {}
    for (field, bits), word in zip(FIELDS, words):
        top = word >> (64 - bits)
        if field in ("x0", "y0"):
            out[field] = (top + 0.5) / 2.0**bits  # in (0, 1): never the fixed points 0 or 1
        else:
            out[field] = R_LOW + R_WIDTH * (top / 2.0**bits)
    return out


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

    Secret: 192 effective bits of a 32-byte key (x0, r1, y0, r2). Lossless.
    """

    name = "chaos-logistic"
    family = "baseline"
    lossless = True
    key_bits = EFFECTIVE_BITS

    def keygen(self, seed: int | None = None) -> bytes:
        return seeded_key(seed, KEY_BYTES)

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        """Flip effective key bit ``bit`` (0 ≤ bit < 192), mapped to its place in the 32 bytes."""
        return flip_effective_bit(key, bit, tuple(bits for _, bits in FIELDS))

    @staticmethod
    def _check_key(key) -> bytes:
        if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
            raise ValueError(f"chaos-logistic: key must be {KEY_BYTES} bytes; got {type(key).__name__}")
        return bytes(key)

    def schedule(self, key: bytes, n_pixels: int):
        return _schedule(self._check_key(key), n_pixels)
