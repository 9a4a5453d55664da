"""Algebraic known-plaintext attack: an equivalent key from known (not chosen) images.

Target: any cipher of the form E(p) = M·(P·p ⊕ β), where P permutes pixel positions and
β is a fixed mask, both secret and independent of the plaintext, ⊕ is addition modulo
256 or XOR, and M is a public invertible diffusion. Three structures are tried:

* ``chained diffusion``: M is the forward–backward chaining of
  :func:`medcrypt.ciphers.chaos.diffuse` with zero key-streams (its public linear part)
  and ⊕ is addition: every plaintext-independent permutation–diffusion cipher of the
  book (``chaos-logistic``, ``chaos-hopfield``) has this form;
* ``permutation + add`` and ``permutation + XOR``: M is the identity, which covers a
  key-stream reused for every image (AES-CTR with a fixed nonce is c = p ⊕ k), pure
  pixel-scrambling ciphers and, trivially, the identity;
* ``4-bit permutation + XOR``: the same on the images' 4-bit values (each byte split into
  its upper and lower halves, :func:`medcrypt.ciphers.learnable.nibble_planes`), which
  covers ciphers that move half-bytes rather than pixels, such as Tanaka's learnable
  encryption (chapter 7). It is tried last: a cipher of a byte structure also fits it.

With u_i = M⁻¹(c_i) = P·p_i ⊕ β, cipher position j holds, for every known pair i, the
plaintext value at its source position s = π(j) shifted by the same β_j. So
u_i[j] ⊖ u_0[j] = p_i[s] ⊖ p_0[s] for all i: the column of differences at j must equal the
column of plaintext differences at s. Matching columns (one hash lookup per position)
gives π and then β. Medical images have large flat regions, so several positions can
share a column with few known images; more images separate them, and the attack
reports how many it needed (:func:`known_images_needed`). It never sees the chaotic key:
the equivalent key (π, β) decrypts everything the real key does (Li et al. 2004, 2005).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import metrics
from ..ciphers.chaos import diffuse, undiffuse
from ..ciphers.learnable import from_nibble_planes, nibble_planes
from .chosen_plaintext import AttackFailed
from .known_plaintext import check_known_pairs


def _chained_inverse(d: np.ndarray) -> np.ndarray:
    zeros = np.zeros(d.shape[-1], dtype=np.uint8)
    return undiffuse(d, zeros, zeros)


def _chained_forward(v: np.ndarray) -> np.ndarray:
    zeros = np.zeros(v.shape[-1], dtype=np.uint8)
    return diffuse(v, zeros, zeros)


def _identity(x: np.ndarray) -> np.ndarray:
    return x


#: name -> (public M⁻¹, public M, combine, uncombine) for flat uint8 rows.
STRUCTURES: dict[str, tuple[Callable, Callable, Callable, Callable]] = {
    "chained diffusion": (_chained_inverse, _chained_forward, np.add, np.subtract),
    "permutation + add": (_identity, _identity, np.add, np.subtract),
    "permutation + XOR": (_identity, _identity, np.bitwise_xor, np.bitwise_xor),
}


@dataclass(frozen=True)
class AlgebraicKey:
    """An equivalent key (π, β) for one structure: cipher position j holds plain position ``source[j]``."""

    structure: str
    source: np.ndarray
    mask: np.ndarray
    shape: tuple[int, ...]
    ambiguous: int  # cipher positions whose source the known pairs did not pin down

    def decrypt(self, cipher: np.ndarray) -> np.ndarray:
        flat = np.asarray(cipher).view(np.ndarray).reshape(len(cipher), -1)
        if flat.shape[1] != self.source.size:
            raise ValueError(f"this equivalent key decrypts images of shape {self.shape}; got {np.shape(cipher)[1:]}")
        inverse, _, _, uncombine = STRUCTURES[self.structure]
        permuted = uncombine(inverse(flat.astype(np.uint8)), self.mask).astype(np.uint8)
        out = np.empty_like(permuted)
        out[:, self.source] = permuted
        return out.reshape(len(cipher), *self.shape)


#: The structure of :data:`STRUCTURES` "permutation + XOR", applied to 4-bit values instead of bytes.
NIBBLE_STRUCTURE = "4-bit permutation + XOR"


@dataclass(frozen=True)
class NibbleKey:
    """An equivalent key on the images' 4-bit values: ``values`` decrypts their nibble planes."""

    values: AlgebraicKey
    structure: str = NIBBLE_STRUCTURE

    @property
    def ambiguous(self) -> int:
        return self.values.ambiguous

    def decrypt(self, cipher: np.ndarray) -> np.ndarray:
        return from_nibble_planes(self.values.decrypt(nibble_planes(np.asarray(cipher).view(np.ndarray))))


def _recover(plain: np.ndarray, cipher: np.ndarray, structure: str):
    """:func:`recover_key` for a byte structure, or a :class:`NibbleKey` for :data:`NIBBLE_STRUCTURE`."""
    if structure != NIBBLE_STRUCTURE:
        return recover_key(plain, cipher, structure)
    cipher = np.asarray(cipher).view(np.ndarray)
    if cipher.shape != plain.shape or cipher.dtype != np.uint8:
        raise AttackFailed(f"{structure}: cipher images of shape {cipher.shape[1:]} are not pixel arrays of the "
                           f"plaintext's shape {plain.shape[1:]}")
    return NibbleKey(recover_key(nibble_planes(plain), nibble_planes(cipher), "permutation + XOR"))


def _columns(values: np.ndarray) -> np.ndarray:
    """Each column of a (rows, T) uint8 array as one hashable byte string (numpy void)."""
    data = np.ascontiguousarray(values.T)
    return data.view(np.dtype((np.void, data.shape[1]))).ravel()


def recover_key(plain: np.ndarray, cipher: np.ndarray, structure: str) -> AlgebraicKey:
    """(π, β) of ``structure`` from known pairs, or :class:`AttackFailed` when no key of that form fits them all."""
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {', '.join(STRUCTURES)}; got {structure!r}")
    inverse, _, _, uncombine = STRUCTURES[structure]
    x = plain.reshape(len(plain), -1)
    c = np.asarray(cipher).view(np.ndarray)
    if c.shape != plain.shape:
        raise AttackFailed(f"{structure}: cipher images of shape {c.shape[1:]} are not pixel arrays of the plaintext's "
                           f"shape {plain.shape[1:]}")
    u = inverse(c.reshape(len(c), -1))
    plain_columns = _columns(uncombine(x[1:], x[0]).astype(np.uint8))
    cipher_columns = _columns(uncombine(u[1:], u[0]).astype(np.uint8))
    order = np.argsort(plain_columns, kind="stable")
    sorted_columns = plain_columns[order]
    first = np.searchsorted(sorted_columns, cipher_columns, side="left")
    last = np.searchsorted(sorted_columns, cipher_columns, side="right")
    if np.any(first == last):
        missing = int(np.sum(first == last))
        raise AttackFailed(f"{structure}: {missing} of {len(first)} cipher positions match no plaintext position, "
                           "so the cipher is not of this form (or its key-stream changes from image to image)")
    # Assign each cipher position a source among its candidates, each source once: positions
    # with identical columns are interchangeable, so hand their candidates out in order.
    taken = np.zeros(len(first), dtype=np.int64)
    source = np.empty(len(first), dtype=np.int64)
    for j in np.argsort(first, kind="stable"):
        slot = first[j] + taken[first[j]]
        if slot >= last[j]:  # more cipher positions than plaintext positions with this column
            raise AttackFailed(f"{structure}: the known pairs are inconsistent with a permutation of positions")
        source[j] = order[slot]
        taken[first[j]] += 1
    ambiguous = int(np.sum(last - first > 1))
    mask = uncombine(u[0], x[0, source]).astype(np.uint8)
    return AlgebraicKey(structure, source, mask, tuple(plain.shape[1:]), ambiguous)


def two_time_pad(known_plain: np.ndarray, known_cipher: np.ndarray, cipher: np.ndarray) -> np.ndarray:
    """Decrypt ``cipher`` made with the key-stream that turned ``known_plain`` into ``known_cipher``.

    The one-pair case of "permutation + XOR" with no permutation: a reused stream s gives
    c = p ⊕ s for every image, so one known pair yields s = c₀ ⊕ p₀ and every other image
    p = c ⊕ s. It needs one known image where :func:`recover_key` needs several, because it
    assumes the permutation is the identity (AES-CTR with a reused nonce, any reused pad).
    """
    known_plain, known_cipher = np.asarray(known_plain), np.asarray(known_cipher).view(np.ndarray)
    cipher = np.asarray(cipher).view(np.ndarray)
    if known_plain.shape != known_cipher.shape or cipher.shape[-known_plain.ndim:] != known_plain.shape:
        raise ValueError(f"two_time_pad needs a known pair of one shape and cipher images of that shape; got "
                         f"{known_plain.shape}, {known_cipher.shape} and {cipher.shape}")
    stream = np.bitwise_xor(known_cipher.astype(np.uint8), known_plain.astype(np.uint8))
    return np.bitwise_xor(cipher.astype(np.uint8), stream)


@dataclass
class AlgebraicResult:
    """The algebraic attack on one cipher, scored on held-out images like the learned attack."""

    n_pairs: int
    structure: str
    ambiguous: int
    psnr: float
    ssim: float
    guess_psnr: float
    bit_exact_rate: float
    reconstructions: np.ndarray

    @property
    def model(self) -> str:
        return f"algebraic ({self.structure})"

    @property
    def gain_db(self) -> float:
        return self.psnr - self.guess_psnr


def algebraic_attack(encrypt: Callable[[np.ndarray], np.ndarray], known_plain: np.ndarray,
                     test_plain: np.ndarray) -> AlgebraicResult:
    """Recover an equivalent key from the pairs (p, encrypt(p)) and decrypt ``encrypt(test_plain)``.

    Every structure of :data:`STRUCTURES`, then :data:`NIBBLE_STRUCTURE`, is tried on all the known pairs; the first that
    fits them all is used. Raises :class:`AttackFailed` when none fits, the clean outcome
    for a cipher outside this class (any cipher with a fresh nonce, every learned cipher).
    """
    known_plain, test_plain = check_known_pairs(known_plain, test_plain, "algebraic_attack", argument="known_plain")
    known_cipher = np.asarray(encrypt(known_plain)).view(np.ndarray)
    reasons = []
    for structure in (*STRUCTURES, NIBBLE_STRUCTURE):
        try:
            key = _recover(known_plain, known_cipher, structure)
        except AttackFailed as failure:
            reasons.append(str(failure))
            continue
        reconstructions = key.decrypt(encrypt(test_plain))
        guess = np.broadcast_to(known_plain.mean(axis=0).round().astype(np.uint8), test_plain.shape)
        return AlgebraicResult(len(known_plain), structure, key.ambiguous,
                               metrics.psnr(test_plain, reconstructions).pooled,
                               metrics.ssim(test_plain, reconstructions).mean, metrics.psnr(test_plain, guess).pooled,
                               metrics.bit_exact_rate(test_plain, reconstructions), reconstructions)
    raise AttackFailed("no algebraic structure fits the known pairs: " + "; ".join(reasons))


def known_images_needed(encrypt: Callable[[np.ndarray], np.ndarray], pool: np.ndarray, test_plain: np.ndarray,
                        counts: tuple[int, ...] = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)) -> tuple[int | None, dict]:
    """The fewest known images (of ``counts``, taken from the front of ``pool``) that decrypt every test image exactly.

    Returns that number (None when no count does) and, per count tried, the bit-exact
    rate on the test images (None where the attack failed).
    """
    needed, tried, _ = sweep(encrypt, pool, test_plain, counts)
    return needed, tried


def sweep(encrypt: Callable[[np.ndarray], np.ndarray], pool: np.ndarray, test_plain: np.ndarray,
          counts: tuple[int, ...] = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)
          ) -> tuple[int | None, dict, AlgebraicResult | None]:
    """:func:`known_images_needed`, also returning the attack with the most known images that fitted.

    That is the attack at the needed count when one decrypts exactly, else the largest
    count tried that fitted some structure, else None.
    """
    tried: dict[int, float | None] = {}
    best = None
    for n in (c for c in counts if c <= len(pool)):
        try:
            best = algebraic_attack(encrypt, pool[:n], test_plain)
        except AttackFailed:
            tried[n] = None
            continue
        tried[n] = best.bit_exact_rate
        if tried[n] == 1.0:
            return n, tried, best
    return None, tried, best
