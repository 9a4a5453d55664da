"""Learnable image encryption: transforms under a key that a network can still learn from (chapter 7).

Both schemes apply *one* key-dependent transformation to every image, so that a
classifier trained on transformed images learns the transformation along with the task.
That is their purpose, and it is also why they are not ciphers in the cryptographic
sense: the same image always gives the same cipher image (no IND-CPA security), and the
structure they keep for the network is structure an attacker can use.

**Block-wise learnable encryption (LE)** after Tanaka (2018), ``le-blockwise``. The image is
cut into M×M blocks. Every 8-bit value is split into its upper and lower 4 bits, so a
block of M·M pixels with C channels holds K = 2·M²·C four-bit values. In every block the
same key-dependent permutation shuffles these K values and the same key-dependent mask
reverses some of them (v → 15 − v). Tanaka's encrypted image is the 2C-channel image of
4-bit values; here the shuffled values are packed back two per byte (upper, lower), so
the cipher image has the plaintext's shape and ``uint8`` type, which the metric suite
expects; :func:`nibble_planes` unpacks them for a network.

**Encryption-then-compression (EtC) block scrambling** after Kurihara, Chuman and Kiya,
``etc-blockwise``. The image is cut into N_B blocks of M×M pixels, then (1) the block
positions are permuted, (2) every block is rotated by 0, 90, 180 or 270 degrees and
flipped or not, (3) every block is negative–positive transformed (p → 255 − p) or not and,
for a colour image, (4) every block's three colour components are shuffled; each step is
chosen per block by the key. Pixel values inside a block keep their neighbours, which is
what JPEG compression needs and what a jigsaw-puzzle solver exploits
(:mod:`medcrypt.attacks.jigsaw`).

**Keys.** A key is 32 random bytes. The transformation is expanded from it with SHAKE-256
(a permutation is the sorting order of 64-bit words of the expansion), so every key bit
changes the whole transformation and the expansion does not depend on the NumPy version.
``key_bits`` = 256 is the secret; :meth:`key_space_bits` is log2 of the number of distinct
transformations for an image shape, which can be smaller (LE on small blocks) or larger
(EtC on many blocks) than 256. Neither number says how hard the scheme is to break: the
attacks of chapters 7 and 8 never search the key.

Both take 16-bit words through :func:`~medcrypt.ciphers.base.takes_16_bit`: a word's two
bytes become two channels, which the schemes move together (EtC's negative–positive
transform of both bytes is 65535 − w).
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

from .base import check_images, check_key, flip_key_bit, register, seeded_key, takes_16_bit

KEY_BYTES = 32
#: The eight rotations and flips of a square block (the dihedral group), as EtC's step 2 draws them.
ORIENTATIONS = 8


def expand(key: bytes, label: str, n_bytes: int) -> np.ndarray:
    """``n_bytes`` pseudo-random bytes from the key, separated by ``label`` (SHAKE-256)."""
    return np.frombuffer(hashlib.shake_256(b"medcrypt-learnable-" + label.encode() + b"|" + key).digest(n_bytes),
                         dtype=np.uint8)


def keyed_permutation(key: bytes, label: str, n: int) -> np.ndarray:
    """A permutation of ``range(n)`` chosen by the key: the stable sorting order of n 64-bit words."""
    words = expand(key, label, 8 * n).view(">u8")
    return np.argsort(words, kind="stable")


def keyed_choices(key: bytes, label: str, n: int, options: int) -> np.ndarray:
    """``n`` choices in ``range(options)`` chosen by the key (64-bit words reduced modulo ``options``; bias < 2^-58)."""
    return (expand(key, label, 8 * n).view(">u8") % np.uint64(options)).astype(np.int64)


def orient(block: np.ndarray, code: int) -> np.ndarray:
    """Block(s) ``(..., M, M, C)`` rotated by ``code % 4`` quarter turns, then mirrored left–right if ``code >= 4``."""
    out = np.rot90(block, code % 4, axes=(-3, -2))
    return out[..., ::-1, :] if code >= 4 else out


def unorient(block: np.ndarray, code: int) -> np.ndarray:
    """The inverse of :func:`orient`."""
    out = block[..., ::-1, :] if code >= 4 else block
    return np.rot90(out, -(code % 4), axes=(-3, -2))


def to_blocks(images: np.ndarray, block_size: int) -> np.ndarray:
    """(N, H, W, C) images as (N, H/M, W/M, M, M, C) blocks."""
    n, h, w, c = images.shape
    m = block_size
    return images.reshape(n, h // m, m, w // m, m, c).transpose(0, 1, 3, 2, 4, 5)


def from_blocks(blocks: np.ndarray) -> np.ndarray:
    """The inverse of :func:`to_blocks`."""
    n, rows, cols, m, _, c = blocks.shape
    return np.ascontiguousarray(blocks.transpose(0, 1, 3, 2, 4, 5)).reshape(n, rows * m, cols * m, c)


def nibble_planes(images: np.ndarray) -> np.ndarray:
    """``uint8`` (N, H, W[, C]) as (N, H, W, 2C) 4-bit values, upper then lower of each channel: LE's network input."""
    images = images[..., None] if images.ndim == 3 else images
    return np.concatenate([images >> 4, images & 15], axis=-1)


def from_nibble_planes(planes: np.ndarray) -> np.ndarray:
    """The inverse of :func:`nibble_planes`: (N, H, W, 2C) 4-bit values back to ``uint8`` (N, H, W[, C])."""
    c = planes.shape[-1] // 2
    out = ((planes[..., :c] << 4) | planes[..., c:]).astype(np.uint8)
    return out[..., 0] if c == 1 else out


def block_values(images: np.ndarray, block_size: int) -> np.ndarray:
    """(N, H, W, C) bytes as (N, rows, cols, K) 4-bit values of each block, in LE's order (pixel, channel, upper/lower)."""
    blocks = to_blocks(images, block_size)
    n, rows, cols = blocks.shape[:3]
    flat = blocks.reshape(n, rows, cols, -1)
    return np.stack([flat >> 4, flat & 15], axis=-1).reshape(n, rows, cols, -1)


def _with_channels(images: np.ndarray) -> tuple[np.ndarray, bool]:
    return (images[..., None], True) if images.ndim == 3 else (images, False)


class _BlockScheme:
    """What both schemes share: a block size, key handling and the shape checks."""

    family = "learnable"
    lossless = True
    key_bits = 8 * KEY_BYTES
    #: Decryption under a wrong key returns the image's own blocks or 4-bit values in the wrong places, so the key
    #: audit finds wrong keys that decrypt closer to the image than noise: a weakness declared, and tested as found.
    wrong_key_keeps_content = True

    def __init__(self, block_size: int = 4):
        if not isinstance(block_size, (int, np.integer)) or block_size < 1:
            raise ValueError(f"{self.name}: block_size must be a positive integer; got {block_size!r}")
        self.block_size = int(block_size)

    def keygen(self, seed: int | None = None) -> bytes:
        return seeded_key(seed, KEY_BYTES)

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return flip_key_bit(key, bit)

    def _check(self, images, argument: str = "images") -> tuple[np.ndarray, bool]:
        images = check_images(images, self.name, argument=argument)
        h, w = images.shape[1:3]
        m = self.block_size
        if h % m or w % m:
            raise ValueError(f"{self.name}: the block size {m} must divide the image's height and width; got "
                             f"{h}×{w}. Crop or pad the images to a multiple of {m}, or build the cipher with "
                             f"block_size= a divisor of both")
        return _with_channels(images)

    def _key(self, key) -> bytes:
        return check_key(key, KEY_BYTES, self.name, "a 256-bit key")


@register
@takes_16_bit
class BlockwiseLearnableEncryption(_BlockScheme):
    """Tanaka's learnable image encryption: one keyed shuffle and reversal of the 4-bit values in every block."""

    name = "le-blockwise"

    def transform(self, key: bytes, channels: int) -> tuple[np.ndarray, np.ndarray]:
        """(permutation of the K = 2·M²·C four-bit positions of a block, mask of the positions reversed)."""
        key = self._key(key)
        k = 2 * self.block_size ** 2 * channels
        return keyed_permutation(key, f"le-shuffle-{k}", k), keyed_choices(key, f"le-reverse-{k}", k, 2).astype(bool)

    def key_space_bits(self, image_shape: tuple[int, ...]) -> float:
        """log2 of the number of distinct transformations: K! shuffles times 2^K reversal masks."""
        channels = image_shape[2] if len(image_shape) == 3 else 1
        k = 2 * self.block_size ** 2 * channels
        return math.lgamma(k + 1) / math.log(2) + k

    def _values(self, images: np.ndarray) -> np.ndarray:
        return block_values(images, self.block_size)

    def _bytes(self, values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        n, h, w, c = shape
        m = self.block_size
        packed = (values[..., 0::2] << 4) | values[..., 1::2]
        return from_blocks(packed.reshape(n, h // m, w // m, m, m, c).astype(np.uint8))

    def encrypt(self, images, key) -> np.ndarray:
        images, grey = self._check(images)
        permutation, reverse = self.transform(key, images.shape[-1])
        values = self._values(images)[..., permutation] ^ (reverse * np.uint8(15))
        out = self._bytes(values, images.shape)
        return out[..., 0] if grey else out

    def decrypt(self, cipher, key) -> np.ndarray:
        cipher, grey = self._check(np.asarray(cipher).view(np.ndarray), "cipher")
        permutation, reverse = self.transform(key, cipher.shape[-1])
        shuffled = self._values(cipher) ^ (reverse * np.uint8(15))
        values = np.empty_like(shuffled)
        values[..., permutation] = shuffled
        out = self._bytes(values, cipher.shape)
        return out[..., 0] if grey else out


@register
@takes_16_bit
class BlockScramblingEtC(_BlockScheme):
    """EtC block scrambling: keyed block positions, rotation and flip, negative–positive and colour shuffling."""

    name = "etc-blockwise"
    #: The six orders of three colour components (step 4; colour images only).
    COLOUR_ORDERS = np.array([[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]])

    def transform(self, key: bytes, n_blocks: int, channels: int) -> dict[str, np.ndarray]:
        """The four keyed choices for ``n_blocks`` blocks: ``positions`` (cipher block j holds plain block
        positions[j]), ``orientation`` (0–7, :func:`orient`), ``negative`` (bool) and ``colours`` (an index into
        :attr:`COLOUR_ORDERS`, or None for an image that does not have three channels)."""
        key = self._key(key)
        return {"positions": keyed_permutation(key, f"etc-positions-{n_blocks}", n_blocks),
                "orientation": keyed_choices(key, f"etc-orientation-{n_blocks}", n_blocks, ORIENTATIONS),
                "negative": keyed_choices(key, f"etc-negative-{n_blocks}", n_blocks, 2).astype(bool),
                "colours": keyed_choices(key, f"etc-colours-{n_blocks}", n_blocks, 6) if channels == 3 else None}

    def key_space_bits(self, image_shape: tuple[int, ...]) -> float:
        """log2 of N_B! · 8^N_B · 2^N_B (· 6^N_B for colour images): the number of distinct scramblings."""
        h, w = image_shape[:2]
        n_blocks = (h // self.block_size) * (w // self.block_size)
        colour = len(image_shape) == 3 and image_shape[2] == 3
        return (math.lgamma(n_blocks + 1) / math.log(2) + n_blocks * (3 + 1 + (math.log2(6) if colour else 0)))

    def encrypt(self, images, key) -> np.ndarray:
        images, grey = self._check(images)
        blocks = to_blocks(images, self.block_size)
        n, rows, cols, m, _, c = blocks.shape
        flat = blocks.reshape(n, rows * cols, m, m, c)
        steps = self.transform(key, rows * cols, c)
        out = flat[:, steps["positions"]]
        for j in range(rows * cols):
            block = orient(out[:, j], int(steps["orientation"][j]))
            if steps["negative"][j]:
                block = 255 - block
            if steps["colours"] is not None:
                block = block[..., self.COLOUR_ORDERS[steps["colours"][j]]]
            out[:, j] = block
        result = from_blocks(out.reshape(n, rows, cols, m, m, c))
        return result[..., 0] if grey else result

    def decrypt(self, cipher, key) -> np.ndarray:
        cipher, grey = self._check(np.asarray(cipher).view(np.ndarray), "cipher")
        blocks = to_blocks(cipher, self.block_size)
        n, rows, cols, m, _, c = blocks.shape
        flat = blocks.reshape(n, rows * cols, m, m, c).copy()
        steps = self.transform(key, rows * cols, c)
        for j in range(rows * cols):
            block = flat[:, j]
            if steps["colours"] is not None:
                block = block[..., np.argsort(self.COLOUR_ORDERS[steps["colours"][j]])]
            if steps["negative"][j]:
                block = 255 - block
            flat[:, j] = unorient(block, int(steps["orientation"][j]))
        out = np.empty_like(flat)
        out[:, steps["positions"]] = flat
        result = from_blocks(out.reshape(n, rows, cols, m, m, c))
        return result[..., 0] if grey else result
