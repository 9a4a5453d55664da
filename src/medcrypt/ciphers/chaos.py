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
value and parameter: x0 = (53 digest bits + ½) / 2⁵³ in (0, 1] and r1 = 3.99 + 0.01 · (52
digest bits) / 2⁵² in [3.99, 4], where the map is chaotic (float64 rounding reaches the
end points 1 and 4); likewise y0, r2. An earlier version read x0, r1, y0, r2 straight from
the key's bits, keeping the 53 (or 43) bits that survive float64 rounding; the key audit
showed that a one-ulp change of x0 is sometimes rounded away in the first iterations,
where the map contracts, so some claimed bits did not matter for some keys. Through the
hash every key bit changes every parameter by far more than an ulp, so flipping any one
of the 256 bits changes the cipher.

**Key space.** That every bit matters on its own does not make 2¹²⁸ distinct sub-keys:
the cipher sees a sub-key only through its two float64 parameters, and an attacker can
enumerate those instead of the keys. r lies in a sliver of one binade, which holds far
fewer float64 values than the 2⁵² inputs drawn for it, and x0 takes no more values
than its 2⁵³ inputs (fewer: near 1 the float64 grid is coarser than the inputs, and the
half-step offset rounds there). :func:`float_parameter_bits`
bounds each count and :meth:`LogisticPermutationDiffusion.key_schedule_bits` adds them
up per sub-key: each sub-key sets fewer than 2¹²⁸ distinct parameter pairs.

**Divide and conquer.** The permutation comes from the first sub-key alone and the
key-streams from the second alone. A wrong permutation sub-key with the right diffusion
sub-key still undoes the diffusion and returns the plaintext's pixels in the wrong
places, with its exact histogram, so an attacker can search the diffusion parameters on
their own (a medical histogram tells her when she has them) and then the permutation
parameters: the work is the sum of the two searches, not their product. The key audit of
chapters 2 and 8, which counts claimed bits, measures this split (``separable_key_bits``
states it); counted in distinct parameter pairs the sum is smaller,
:func:`divide_and_conquer_bits` of :meth:`~LogisticPermutationDiffusion.key_schedule_bits`,
and below the 128-bit rule. (Fridrich's design, like many after it, keeps the two keys
apart in this way.)

**Weakness (shown in chapter 2).** π, k1 and k2 do not depend on the plaintext, and the
diffusion is linear modulo 256. The whole cipher is therefore E(p) = M·P·p + b with a
public matrix M, so a few chosen images reveal an equivalent key (P, b) without searching
the key at all: see :func:`medcrypt.attacks.chosen_plaintext_attack`.
"""

from __future__ import annotations

import hashlib
import math
from fractions import Fraction

import numpy as np

from .base import check_images, check_key, flip_key_bit, register, seeded_key, takes_16_bit

KEY_BYTES = 32
SUBKEY_BYTES = 16
TRANSIENT = 1000
R_LOW, R_WIDTH = 3.99, 0.01
#: Digest bits that set the initial value and the parameter of one map (:func:`_map_parameters`).
X_BITS, R_BITS = 53, 52


def _map_parameters(subkey: bytes, label: bytes) -> tuple[float, float]:
    """(initial value in (0, 1], r in [3.99, 4]) from SHA-256(label ‖ sub-key): 53 and 52 bits of the digest.

    The end points 1 and 4 are reached only by float64 rounding of the largest inputs.
    """
    digest = hashlib.sha256(b"medcrypt-logistic-" + label + subkey).digest()
    x_bits = int.from_bytes(digest[:8], "big") >> (64 - X_BITS)
    r_bits = int.from_bytes(digest[8:16], "big") >> (64 - R_BITS)
    return (x_bits + 0.5) / 2.0**X_BITS, R_LOW + R_WIDTH * (r_bits / 2.0**R_BITS)


def _float_index(x: float) -> int:
    """Position of a float64 ``x`` >= 0 among the non-negative float64 values (its bit pattern as an integer)."""
    return int(np.float64(x).view(np.int64))


def float_parameter_bits(low: float, high: float, n_inputs: int) -> float:
    """Upper bound on log2 of the float64 values that ``n_inputs`` equally spaced inputs give on [low, high).

    The model is a key schedule that draws an integer i < n_inputs from key bits and maps
    it, monotonically, to low + (high − low)·(i + offset)/n_inputs, rounded to float64
    (rounding twice, as r's formula does, keeps the map monotone and within the range). It
    cannot give more values than it has inputs, nor more than there are float64 values
    where they land; the float64 grid halves its spacing in each lower binade, so the
    bound counts per binade: min(inputs landing there, float64 values there), summed.
    Rounding can carry values onto ``high`` itself, counted as one more value, and into a
    binade from below only onto its smallest value, counted as one more input. Needs
    0 <= low < high, both finite.
    """
    low, high, n_inputs = float(low), float(high), int(n_inputs)
    if not (0.0 <= low < high < math.inf) or n_inputs < 1:
        raise ValueError(f"float_parameter_bits needs 0 <= low < high < inf and n_inputs >= 1; "
                         f"got low={low}, high={high}, n_inputs={n_inputs}")
    step = (Fraction(high) - Fraction(low)) / n_inputs
    total, upper = 1, high  # the value ``high`` itself, reached by rounding up
    while upper > low:
        remaining = math.ceil((Fraction(upper) - Fraction(low)) / step)
        binade = 2.0 ** (math.frexp(upper)[1] - 1)  # the largest power of two <= upper
        bottom = max(low, binade / 2 if binade == upper else binade)  # upper is excluded: [bottom, upper)
        if remaining <= 2 or bottom == low:  # the rest as one piece; nothing rounds into it from below
            total += min(remaining, _float_index(upper) - _float_index(low))
            break
        inputs = math.ceil((Fraction(upper) - Fraction(bottom)) / step) + 1
        total += min(inputs, _float_index(upper) - _float_index(bottom))
        upper = bottom
    return math.log2(min(total, n_inputs))


def divide_and_conquer_bits(parts: dict[str, float]) -> float:
    """log2 of the work of searching sub-keys one after another: log2(Σ 2^bits) over ``parts`` (name -> bits).

    Sub-keys that can be recognised apart (see the module docs) cost the sum of their
    searches, not the product: two halves of b bits each cost b + 1 bits, not 2b.
    """
    if not parts:
        raise ValueError("divide_and_conquer_bits needs at least one sub-key")
    top = max(parts.values())
    return top + math.log2(sum(2.0 ** (bits - top) for bits in parts.values()))


def schedule_parameter_bits() -> dict[str, float]:
    """Upper bounds on log2 of the distinct values of one map's initial value (``"x0"``) and parameter (``"r"``).

    Computed by :func:`float_parameter_bits` from the input counts that
    :func:`_map_parameters` uses: 2^X_BITS initial values on (0, 1), 2^R_BITS parameters
    on [R_LOW, R_LOW + R_WIDTH).
    """
    return {"x0": float_parameter_bits(0.0, 1.0, 2**X_BITS),
            "r": float_parameter_bits(R_LOW, R_LOW + R_WIDTH, 2**R_BITS)}


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


def _schedule(key: bytes, n_pixels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The permutation and the two key-streams, computed afresh on every call.

    Not cached: a cache would keep the key, and the schedule that is an equivalent key,
    in module state for the life of the process. Every caller encrypts a whole batch per
    call, so a cache saves only a few schedules per key (under 1 ms each at 28×28).
    """
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

    def key_schedules(self, keys: list, n_pixels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The schedules of several keys stacked, each (K, n_pixels); a vectorised schedule overrides this loop."""
        permutations, k1, k2 = zip(*(self.schedule(key, n_pixels) for key in keys))
        return np.stack(permutations), np.stack(k1), np.stack(k2)

    def decrypt_keys(self, cipher: np.ndarray, keys: list) -> np.ndarray:
        """``decrypt(cipher, key)`` for each key of ``keys``, shape (K, *cipher.shape), in one pass."""
        cipher = check_images(np.asarray(cipher), self.name, argument="cipher")
        flat = cipher.reshape(len(cipher), -1)
        permutation, k1, k2 = self.key_schedules(keys, flat.shape[1])
        shape = (len(keys), *flat.shape)
        plain = undiffuse(np.broadcast_to(flat, shape), k1[:, None], k2[:, None])
        out = np.empty_like(plain)
        np.put_along_axis(out, np.broadcast_to(permutation[:, None], shape), plain, axis=2)
        return out.reshape(len(keys), *cipher.shape)


@register
class LogisticPermutationDiffusion(PermutationDiffusion):
    """Chaotic permutation–diffusion cipher, plaintext-independent textbook variant (see module docs).

    Secret: a 256-bit key, two 128-bit sub-keys. Each reaches the cipher only as two
    float64 parameters, which take fewer than 2¹²⁸ distinct values
    (:meth:`key_schedule_bits`), and the permutation sub-key can be searched apart from
    the rest, so a key search costs less than 2¹²⁸ trials (see the module docs). Lossless.
    """

    name = "chaos-logistic"
    family = "baseline"
    lossless = True
    key_bits = 8 * KEY_BYTES
    #: Claimed bits whose wrong value still reveals the plaintext's histogram: the permutation sub-key.
    separable_key_bits = 8 * SUBKEY_BYTES

    def keygen(self, seed: int | None = None) -> bytes:
        return seeded_key(seed, KEY_BYTES)

    def key_schedule_bits(self) -> dict[str, float]:
        """Per sub-key, an upper bound on log2 of the distinct parameter pairs it sets: x0 and r1, y0 and r2.

        The cipher depends on a sub-key only through these pairs, so an attacker
        enumerates pairs, not keys; each bound is capped at the sub-key's 128 bits. Sub-keys
        searched one after another cost :func:`divide_and_conquer_bits` of these.
        """
        parameters = schedule_parameter_bits()
        pair = min(8.0 * SUBKEY_BYTES, parameters["x0"] + parameters["r"])
        return {"permutation": pair, "diffusion": pair}

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return flip_key_bit(key, bit)

    @staticmethod
    def _check_key(key) -> bytes:
        return check_key(key, KEY_BYTES, "chaos-logistic")

    def schedule(self, key: bytes, n_pixels: int):
        return _schedule(self._check_key(key), n_pixels)
