"""A chaotic Hopfield-type network key-stream driving a permutation–diffusion cipher.

The network has three neurons and runs in discrete time,

    x_{t+1} = W·tanh(x_t),     x ∈ R³,

the Euler step (Δt = 1) of the continuous Hopfield model dx/dt = −x + W·tanh(x)
(Hopfield 1984). Three-neuron chaotic Hopfield networks drive image ciphers in Njitacke
et al. (2020) and Yao et al. (2023); we follow that design (a key-set initial state, the
network's orbit as the key-stream, permutation then diffusion), but we could not read
their weight matrices, so :data:`WEIGHTS` is our own: the most chaotic of 5,000 seeded
random matrices (:func:`search_weights`), whose largest Lyapunov exponent
(:func:`largest_lyapunov`) is positive from every starting state we tried (chapter 6).

The map is also strongly dissipative: its other two Lyapunov exponents are negative and
much larger in size (:func:`medcrypt.dynamics.lyapunov_spectrum` with :func:`jacobian`),
so volume shrinks fast and every orbit falls onto a thin attractor, of dimension little
above one. Chaos stretches one direction; the others are squeezed away.

Key-stream. The secret key (24 bytes, 192 bits) sets the initial state through SHA-256:
three 53-bit words of the digest give x_i in (−1, 1). The initial state therefore holds
at most 3 × 53 = 159 bits, fewer than the key's 192: ``key_bits`` counts the key, not
what reaches the network. An earlier version read the state straight from the key's top
53 bits per word; the key audit showed that for some keys a change in the lowest of
those bits is rounded away where tanh saturates, so not every claimed bit mattered.
``TRANSIENT`` iterations are dropped, enough for a 2⁻⁵³ difference to grow to the size
of the attractor along the expanding direction; but the same iterations squeeze the
hashed state onto the attractor, so the state after them, which alone sets the
key-stream, can take far fewer values than 2^159. Its collision entropy is measured in
chapter 6 (:func:`medcrypt.dynamics.state_entropy`, :func:`state_guessing_bits`), and it
is well below 128 bits. Then every iteration gives one value per neuron, and from bits
33–40 below the binary point of each value we take a byte.

``chaos-hopfield``: the textbook cipher. The first neuron's values sort into a pixel
permutation, the other two give the two byte key-streams of the forward–backward
diffusion of :mod:`medcrypt.ciphers.chaos`. Nothing depends on the plaintext, so it has
the form E(p) = M·P·p + b that the chosen-plaintext attack of chapter 2 breaks.

``chaos-hopfield-nonce``: the same network started, for every image, from the state set
by SHA-256(key ‖ nonce) with a fresh public 16-byte nonce, like AES-CTR. Two images never
share a key-stream, so the equivalent key of one image says nothing about the next: the
hash and the nonce stop the chosen-plaintext attack. They do not make the key-stream as
strong as the key, and the chaos works against them: the dissipative map shrinks each
well-hashed initial state to a post-transient state with only the entropy chapter 6
measures, and an attacker who guesses that state from the attractor's distribution, not
the key, recovers an image's key-stream for less than 2^128 work.
"""

from __future__ import annotations

import functools
import hashlib
import os

import numpy as np

from .base import CipherImages, check_images, check_key, flip_key_bit, register, seeded_key, takes_16_bit
from .chaos import PermutationDiffusion, diffuse, undiffuse

#: Our weight matrix: ``search_weights(seed=2026)`` (entries rounded to two decimals).
WEIGHTS = np.array([[5.95, 2.69, -4.24], [-2.82, -3.61, 3.02], [3.04, -4.31, 1.61]])
TRANSIENT = 200
KEY_BYTES = 24
MANTISSA_BITS = 53
NONCE_BYTES = 16


def step(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """One iteration x ← W·tanh(x) for a batch of states (B, 3), or of networks (B, 3, 3) and states.

    Written as three products and two sums in a fixed order, not as a matrix product: BLAS
    picks another routine (and another rounding of the last bit) for a batch of one than
    for many, and the chaotic map amplifies that bit, so an image decrypted alone would
    differ from the same image decrypted in a batch. Elementwise arithmetic rounds the same
    whatever the batch (``medcrypt.ciphers.checks`` checks it on every cipher).
    """
    t = np.tanh(x)
    if weights.ndim == 3:
        return t[:, None, 0] * weights[:, :, 0] + t[:, None, 1] * weights[:, :, 1] + t[:, None, 2] * weights[:, :, 2]
    return t[:, 0:1] * weights[:, 0] + t[:, 1:2] * weights[:, 1] + t[:, 2:3] * weights[:, 2]


def orbit(x0: np.ndarray, n_samples: int, weights: np.ndarray | None = None, transient: int = TRANSIENT) -> np.ndarray:
    """States after ``transient`` dropped iterations, from a batch of initial states (B, 3): (B, n_samples, 3)."""
    weights = WEIGHTS if weights is None else np.asarray(weights, dtype=np.float64)
    x = np.array(x0, dtype=np.float64).reshape(-1, 3)
    for _ in range(transient):
        x = step(x, weights)
    out = np.empty((len(x), n_samples, 3))
    for i in range(n_samples):
        x = step(x, weights)
        out[:, i] = x
    return out


def jacobian(x: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Jacobians W·diag(1 − tanh²(x)) of the map at a batch of states (B, 3): (B, 3, 3)."""
    weights = WEIGHTS if weights is None else np.asarray(weights, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64).reshape(-1, 3)
    return weights[None] * (1 - np.tanh(x) ** 2)[:, None, :]


def largest_lyapunov(weights: np.ndarray, x0: np.ndarray, iterations: int = 3000, transient: int = 500) -> np.ndarray:
    """Largest Lyapunov exponent per iteration, for a batch of networks (B, 3, 3) and initial states (B, 3).

    A tangent vector is carried along the orbit by the Jacobian W·diag(1 − tanh²(x)) and
    renormalised each step; the mean log growth is the exponent. Positive means nearby
    orbits separate exponentially (chaos); about 0 a cycle; negative a fixed point.
    """
    weights = np.asarray(weights, dtype=np.float64)
    x = np.array(x0, dtype=np.float64).reshape(-1, 3)
    weights = np.broadcast_to(weights, (len(x), 3, 3)) if weights.ndim == 2 else weights
    for _ in range(transient):
        x = step(x, weights)
    v = np.full_like(x, 3 ** -0.5)
    total = np.zeros(len(x))
    for _ in range(iterations):
        v = np.einsum("bij,bj->bi", weights * (1 - np.tanh(x) ** 2)[:, None, :], v)
        norm = np.linalg.norm(v, axis=1)
        total += np.log(np.maximum(norm, 1e-300))
        v /= np.maximum(norm, 1e-300)[:, None]
        x = step(x, weights)
    return total / iterations


def search_weights(seed: int = 2026, candidates: int = 5000, scale: float = 6.0) -> tuple[np.ndarray, float]:
    """The most chaotic of ``candidates`` random 3×3 matrices (entries uniform in ±``scale``), rounded to 0.01.

    Returns the matrix and its largest Lyapunov exponent from one random starting state.
    """
    rng = np.random.default_rng(seed)
    weights = rng.uniform(-scale, scale, (candidates, 3, 3))
    exponents = largest_lyapunov(weights, rng.uniform(-1, 1, (candidates, 3)))
    best = int(np.argmax(exponents))
    return np.round(weights[best], 2), float(exponents[best])


def stream_bytes(values: np.ndarray) -> np.ndarray:
    """Bytes from bits 33–40 below the binary point of each value (far below the attractor's scale)."""
    return (np.floor(values * 2.0**40).astype(np.int64) & 0xFF).astype(np.uint8)


def state_from_digest(digest: bytes) -> np.ndarray:
    """(3,) initial state in (−1, 1) from the top 53 bits of each of the first three 64-bit words of a digest."""
    words = [int.from_bytes(digest[8 * i:8 * i + 8], "big") >> (64 - MANTISSA_BITS) for i in range(3)]
    return np.array([2.0 * (w + 0.5) / 2.0**MANTISSA_BITS - 1.0 for w in words])


def initial_state(key: bytes) -> np.ndarray:
    """(3,) initial state in (−1, 1) of the textbook cipher: SHA-256 of the 24-byte key."""
    return state_from_digest(hashlib.sha256(b"medcrypt-hopfield-" + key).digest())


def schedules(states: np.ndarray, n_pixels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per initial state: a permutation of ``n_pixels`` and two byte key-streams, each (B, n_pixels)."""
    samples = orbit(states, n_pixels)
    permutation = np.argsort(samples[:, :, 0], axis=1, kind="stable")
    return permutation, stream_bytes(samples[:, :, 1]), stream_bytes(samples[:, :, 2])


def _key_schedule(key: bytes, n_pixels: int):
    """The textbook cipher's permutation and key-streams for ``key``, computed afresh on every call.

    Not cached, so that no key (nor its schedule, an equivalent key) outlives the call in
    module state; encryption takes whole batches, so this costs a few schedules per key.
    """
    permutation, k1, k2 = schedules(initial_state(key)[None], n_pixels)
    return permutation[0], k1[0], k2[0]


def keystream(key: bytes, n_bytes: int) -> np.ndarray:
    """The first ``n_bytes`` bytes of the key's diffusion stream (neurons 2 and 3 interleaved), for NIST tests."""
    samples = orbit(initial_state(_check_key(key, "keystream"))[None], (n_bytes + 1) // 2)[0]
    return stream_bytes(samples[:, 1:]).reshape(-1)[:n_bytes]


#: Seed of the public Generator behind :func:`state_guessing_bits` (fixed, so every caller sees one value).
STATE_ENTROPY_SEED = 2026


@functools.lru_cache(maxsize=1)
def measured_state_entropy():
    """The collision entropy of the post-transient state, :func:`medcrypt.dynamics.state_entropy` at its defaults.

    A public computation on the public map from uniformly random starts: it involves no
    key, so caching it in the module holds no secret. Measured once per process with a
    fixed Generator (a few seconds), so every caller sees the same value; another
    platform's tanh may round differently and move it within its interval.
    """
    from .. import dynamics

    return dynamics.state_entropy(np.random.default_rng(STATE_ENTROPY_SEED))


def state_guessing_bits() -> float:
    """log2 of the work of guessing a post-transient state: ``guessing_bits`` of :func:`measured_state_entropy`.

    The state after ``TRANSIENT`` iterations fixes the whole key-stream, so an attacker
    may guess it instead of the key; this is the lower end of the measured entropy's
    interval, extrapolated to float64 and capped at the state's 159 bits.
    """
    return measured_state_entropy().guessing_bits


def _check_key(key, who: str) -> bytes:
    return check_key(key, KEY_BYTES, who, "three 64-bit initial-state words")


class _HopfieldKey:
    family = "feedforward"
    lossless = True
    key_bits = 8 * KEY_BYTES

    def keygen(self, seed: int | None = None) -> bytes:
        return seeded_key(seed, KEY_BYTES)

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return flip_key_bit(key, bit)

    def state_guessing_bits(self) -> float:
        """log2 of the work of guessing the post-transient state instead of the key (:func:`state_guessing_bits`).

        Far fewer than ``key_bits``: the hashed initial state holds at most 159 bits and
        the dissipative transient squeezes it onto the attractor (chapter 6 measures it).
        """
        return state_guessing_bits()


@register
class HopfieldPermutationDiffusion(_HopfieldKey, PermutationDiffusion):
    """Hopfield-network key-stream, plaintext-independent (textbook). Lossless.

    Secret: a 192-bit key, credited in full by ``key_bits``, although the initial state it
    is hashed into holds at most 159 bits and the post-transient state that sets the
    key-stream far fewer (:meth:`state_guessing_bits`); the chosen-plaintext attack of
    chapter 2 needs none of them.
    """

    name = "chaos-hopfield"

    def schedule(self, key: bytes, n_pixels: int):
        return _key_schedule(_check_key(key, self.name), n_pixels)

    def key_schedules(self, keys: list[bytes], n_pixels: int):
        """The schedules of several keys from one orbit of all their initial states (the map is elementwise)."""
        return schedules(np.stack([initial_state(_check_key(key, self.name)) for key in keys]), n_pixels)


@register
@takes_16_bit
class HopfieldNonceCipher(_HopfieldKey):
    """Hopfield-network key-stream from SHA-256(key ‖ nonce), a fresh public nonce per image. Lossless.

    The nonce stops the chosen-plaintext attack, not a search: each image's key-stream is
    set by its post-transient state, which the dissipative map has squeezed to far fewer
    than 128 bits of entropy (:meth:`state_guessing_bits`, chapter 6), so guessing that
    state is cheaper than guessing the key.

    ``unsafe_test_nonce_seed`` makes the nonces reproducible, for unit tests only (two
    instances with one seed reuse every key-stream); nothing outside the tests passes it.
    """

    name = "chaos-hopfield-nonce"

    def __init__(self, *, unsafe_test_nonce_seed: int | None = None):
        self._nonce_rng = (None if unsafe_test_nonce_seed is None
                           else np.random.default_rng(unsafe_test_nonce_seed))

    @staticmethod
    def _states(key: bytes, nonces: np.ndarray) -> np.ndarray:
        return np.stack([state_from_digest(hashlib.sha256(key + bytes(n)).digest()) for n in nonces])

    def _apply(self, flat: np.ndarray, key: bytes, nonces: np.ndarray, encrypt: bool) -> np.ndarray:
        permutation, k1, k2 = schedules(self._states(key, nonces), flat.shape[1])
        if encrypt:
            return diffuse(np.take_along_axis(flat, permutation, axis=1), k1, k2)
        out = np.empty_like(flat)
        np.put_along_axis(out, permutation, undiffuse(flat, k1, k2), axis=1)
        return out

    def encrypt(self, images: np.ndarray, key: bytes) -> CipherImages:
        images = check_images(images, self.name)
        key = _check_key(key, self.name)
        n = len(images)
        raw = os.urandom(n * NONCE_BYTES) if self._nonce_rng is None else self._nonce_rng.bytes(n * NONCE_BYTES)
        nonces = np.frombuffer(raw, dtype=np.uint8).reshape(n, NONCE_BYTES).copy()
        flat = self._apply(images.reshape(n, -1), key, nonces, encrypt=True)
        return CipherImages(flat.reshape(images.shape), nonces)

    def _nonces(self, cipher) -> np.ndarray:
        side = getattr(cipher, "side", None)
        if side is None or np.shape(side)[1:] != (NONCE_BYTES,):
            raise ValueError(f"{self.name}: decrypt needs the per-image nonces that encrypt() attached; pass the "
                             "CipherImages it returned (or a slice of it along the batch axis), not a plain array")
        return side

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        side = self._nonces(cipher)
        pixels = check_images(np.asarray(cipher), self.name, argument="cipher")
        flat = self._apply(pixels.reshape(len(pixels), -1), _check_key(key, self.name), side, encrypt=False)
        return flat.reshape(pixels.shape)

    def decrypt_keys(self, cipher: np.ndarray, keys: list[bytes]) -> np.ndarray:
        """``decrypt(cipher, key)`` for each key of ``keys``, shape (K, *cipher.shape): one orbit of all K·N states."""
        side = self._nonces(cipher)
        pixels = check_images(np.asarray(cipher), self.name, argument="cipher")
        states = np.concatenate([self._states(_check_key(key, self.name), side) for key in keys])
        flat = pixels.reshape(len(pixels), -1)
        permutation, k1, k2 = schedules(states, flat.shape[1])
        tiled = np.tile(flat, (len(keys), 1))
        out = np.empty_like(tiled)
        np.put_along_axis(out, permutation, undiffuse(tiled, k1, k2), axis=1)
        return out.reshape(len(keys), *pixels.shape)
