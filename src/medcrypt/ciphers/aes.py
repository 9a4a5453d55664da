"""AES baselines, built on the `cryptography` package (no AES is written here).

* ``aes-ctr``: AES-256 in counter mode; every image has its own initial counter block (a fresh
  random start for each batch, then image after image), so no key-stream is ever reused. It is the
  *empirical ideal* of every table in the book: if a learned cipher's statistics are worse
  than these, the gap is real.
* ``aes-gcm``: AES-256-GCM, counter mode plus an authentication tag. The safe default:
  a wrong key or an altered ciphertext raises :class:`AuthenticationError`.
* ``aes-ecb``: INSECURE, for teaching only. Equal 16-byte blocks give equal cipher blocks,
  so the outline of a medical image shows through its "encryption".

The secret is always the 256-bit key. Nonces and tags are public; they travel with the
cipher image in :attr:`~medcrypt.ciphers.base.CipherImages.side`.
"""

from __future__ import annotations

import os

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher as _CryptoCipher
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM as _AESGCM

from .base import (AuthenticationError, CipherImages, check_images, check_key, flip_key_bit, register, seeded_key,
                   takes_16_bit)

KEY_BYTES = 32
NONCE_BYTES = 16


def _check_key(key, who: str) -> bytes:
    return check_key(key, KEY_BYTES, who, "AES-256")


BLOCK = 16  # bytes of one AES block, and of one CTR counter block


def _ctr_keystream_xor(data: bytes, key: bytes, nonce: bytes) -> bytes:
    """One message in CTR mode: the per-image construction that the batched paths must equal bit for bit."""
    ctx = _CryptoCipher(algorithms.AES(key), modes.CTR(nonce)).encryptor()
    return ctx.update(data) + ctx.finalize()


def _split_counters(counters: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 16) big-endian 128-bit counter blocks as their high and low 64-bit halves."""
    halves = np.ascontiguousarray(counters).view(">u8").astype(np.uint64)
    return halves[:, 0], halves[:, 1]


def _join_counters(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """The inverse of :func:`_split_counters`, for arrays of any shape: (..., 16) bytes."""
    out = np.empty((*high.shape, 2), dtype=">u8")
    out[..., 0], out[..., 1] = high, low
    return out.view(np.uint8)


def _advance(counters: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """128-bit counter blocks plus ``steps`` (mod 2**128), as CTR mode increments them: (n, 16) and (m,) -> (n, m, 16)."""
    high, low = _split_counters(counters)
    steps = np.asarray(steps, dtype=np.uint64)
    new_low = low[:, None] + steps[None, :]  # wraps modulo 2**64 ...
    carry = (new_low < low[:, None]).astype(np.uint64)  # ... and the wrap carries into the high half
    return _join_counters(high[:, None] + carry, new_low)


def ctr_batch(data: np.ndarray, key: bytes, nonces: np.ndarray) -> np.ndarray:
    """CTR mode on every row of ``data`` (n, bytes) with its own initial counter block, in one AES call.

    Bit-identical to running :func:`_ctr_keystream_xor` on each row: the counter blocks of all
    rows (nonce + 0, nonce + 1, ... per row) are built with NumPy and encrypted together in
    ECB mode, which is the whole of CTR's work, and the key-stream is XORed with the rows. When
    the rows' counters follow one another (the nonces that :class:`AESCTR` draws), the batch is
    one CTR message and goes to the library in one call without building the counters.
    """
    n, length = data.shape
    blocks = -(-length // BLOCK)
    if n and _consecutive(nonces, blocks):
        # One message: each row padded to whole blocks, so that row i meets the counters nonce_0 + i * blocks ...
        stream = data if length == blocks * BLOCK else np.pad(data, ((0, 0), (0, blocks * BLOCK - length)))
        ctx = _CryptoCipher(algorithms.AES(key), modes.CTR(nonces[0].tobytes())).encryptor()
        # ... written straight into a writable array (the library asks for BLOCK - 1 spare bytes)
        out = np.empty(n * blocks * BLOCK + BLOCK - 1, dtype=np.uint8)
        written = ctx.update_into(memoryview(np.ascontiguousarray(stream)).cast("B"), out)
        ctx.finalize()
        return out[:written].reshape(n, blocks * BLOCK)[:, :length]
    counters = _advance(nonces, np.arange(blocks)).reshape(n, blocks * BLOCK)
    ctx = _CryptoCipher(algorithms.AES(key), modes.ECB()).encryptor()
    keystream = np.frombuffer(ctx.update(counters.tobytes()) + ctx.finalize(), dtype=np.uint8).reshape(n, -1)
    return np.bitwise_xor(data, keystream[:, :length])


def _consecutive(nonces: np.ndarray, blocks: int) -> bool:
    """Whether row i's counter starts where row i-1's ends (nonce_i = nonce_0 + i * blocks), so no block repeats."""
    expected = _advance(nonces[:1], np.arange(len(nonces), dtype=np.uint64) * np.uint64(blocks))[0]
    return bool(np.array_equal(expected, nonces))


class _AES256:
    """What the AES baselines share: a 256-bit secret key and exact decryption."""

    family = "baseline"
    lossless = True
    key_bits = 8 * KEY_BYTES

    def keygen(self, seed: int | None = None) -> bytes:
        return seeded_key(seed, KEY_BYTES)

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return flip_key_bit(key, bit)


@register
@takes_16_bit
class AESCTR(_AES256):
    """AES-256 in counter mode, one fresh 128-bit initial counter block (nonce) per image.

    Secret: the 256-bit key. Lossless. A wrong key decrypts to uniform noise (CTR has no
    authentication; see AES-GCM in chapter 2 for a cipher that *detects* a wrong key).

    ``unsafe_test_nonce_seed`` makes the nonces reproducible, for unit tests only: two
    instances with the same seed and key reuse every counter block (an XOR two-time pad).
    Nothing in the library, the chapters or ``medcrypt evaluate`` passes it.
    """

    name = "aes-ctr"

    def __init__(self, *, unsafe_test_nonce_seed: int | None = None):
        self._nonce_rng = (None if unsafe_test_nonce_seed is None
                           else np.random.default_rng(unsafe_test_nonce_seed))

    def _nonces(self, n: int, blocks: int) -> np.ndarray:
        """Each image's initial counter block: a random 128-bit start for the batch, then image i starts
        ``i * blocks`` counters later, so that no counter block repeats within the batch and the batch is
        one CTR message (one library call). Across batches, fresh random starts make an overlap as unlikely
        as a collision of random 128-bit nonces."""
        raw = os.urandom(NONCE_BYTES) if self._nonce_rng is None else self._nonce_rng.bytes(NONCE_BYTES)
        start = np.frombuffer(raw, dtype=np.uint8).reshape(1, NONCE_BYTES)
        return _advance(start, np.arange(n, dtype=np.uint64) * np.uint64(blocks))[0].copy()

    def _apply(self, pixels: np.ndarray, key: bytes, nonces: np.ndarray) -> np.ndarray:
        flat = np.ascontiguousarray(pixels).reshape(len(pixels), -1)
        return ctr_batch(flat, key, nonces).reshape(pixels.shape)

    def encrypt(self, images: np.ndarray, key: bytes) -> CipherImages:
        images = check_images(images, self.name)
        key = _check_key(key, self.name)
        blocks = -(-int(np.prod(images.shape[1:])) // BLOCK)
        nonces = self._nonces(len(images), blocks)
        return CipherImages(self._apply(images, key, nonces), nonces)

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        side = getattr(cipher, "side", None)
        if side is None or np.shape(side)[1:] != (NONCE_BYTES,):
            raise ValueError(
                f"{self.name}: decrypt needs the per-image nonces that encrypt() attached; pass the "
                "CipherImages it returned (or a slice of it along the batch axis), not a plain array"
            )
        pixels = check_images(np.asarray(cipher), self.name, argument="cipher")
        key = _check_key(key, self.name)
        return self._apply(pixels, key, np.ascontiguousarray(side, dtype=np.uint8))


@register
class AESCTRReusedNonce(AESCTR):
    """INSECURE, for teaching only: AES-256-CTR that reuses one nonce for every image.

    Every image is XORed with the same key-stream (a "two-time pad"): the XOR of two
    cipher images equals the XOR of the two plaintexts, and a one-pixel change in the
    plaintext changes exactly one cipher pixel. Chapter 1 uses it to show that the
    differential test (NPCR/UACI) catches this misuse while histogram tests do not.
    """

    name = "aes-ctr-nonce-reuse"

    def _nonces(self, n: int, blocks: int) -> np.ndarray:
        return np.zeros((n, NONCE_BYTES), dtype=np.uint8)


@register
@takes_16_bit
class AESECB(_AES256):
    """INSECURE, for teaching only: AES-256 in electronic-codebook mode.

    Each 16-byte block (16 neighbouring pixels of a grey image) is encrypted on its own
    with the same key, so equal plaintext blocks give equal cipher blocks: uniform regions
    of an image, such as the black background of a fundus photograph, stay visible.
    No padding is used, so that the cipher image keeps the plaintext's shape: each image
    must hold a multiple of 16 bytes (true of every MedMNIST size). Secret: the 256-bit key.
    """

    name = "aes-ecb"

    def _check(self, images, argument):
        images = check_images(np.asarray(images), self.name, argument=argument)
        per_image = int(np.prod(images.shape[1:]))
        if per_image % 16:
            raise ValueError(f"{self.name}: each image must hold a multiple of 16 bytes (AES blocks, no padding); "
                             f"got shape {images.shape[1:]} = {per_image} bytes")
        return images

    def _apply(self, images: np.ndarray, key: bytes, encrypt: bool) -> np.ndarray:
        key = _check_key(key, self.name)
        cipher = _CryptoCipher(algorithms.AES(key), modes.ECB())
        ctx = cipher.encryptor() if encrypt else cipher.decryptor()
        out = ctx.update(images.tobytes()) + ctx.finalize()
        return np.frombuffer(out, dtype=np.uint8).reshape(images.shape).copy()

    def encrypt(self, images: np.ndarray, key: bytes) -> np.ndarray:
        return self._apply(self._check(images, "images"), key, True)

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        return self._apply(self._check(cipher, "cipher"), key, False)


GCM_NONCE_BYTES = 12
GCM_TAG_BYTES = 16


def _identifiers(identifiers, n: int, who: str) -> list[bytes]:
    """One identifier per image as bytes (``None``: the empty identifier for all), or a clear ``ValueError``."""
    if identifiers is None:
        return [b""] * n
    if isinstance(identifiers, (str, bytes)):
        raise ValueError(f"{who}: identifiers must be a sequence with one identifier per image, not one "
                         f"{type(identifiers).__name__}")
    identifiers = list(identifiers)
    if len(identifiers) != n:
        raise ValueError(f"{who}: got {len(identifiers)} identifiers for {n} images; pass one per image")
    out = []
    for identifier in identifiers:
        if not isinstance(identifier, (str, bytes)) or not identifier:
            raise ValueError(f"{who}: each identifier must be a non-empty str or bytes (such as a DICOM SOP "
                             f"Instance UID); got {identifier!r}")
        out.append(identifier.encode() if isinstance(identifier, str) else bytes(identifier))
    return out


@register
@takes_16_bit
class AESGCM(_AES256):
    """AES-256-GCM: authenticated encryption, one fresh 96-bit random nonce per image.

    Secret: the 256-bit key. The cipher pixels are the GCM ciphertext (same length as the
    image); ``side`` holds each image's nonce (12 bytes) and tag (16 bytes). Decryption
    verifies every tag and raises :class:`AuthenticationError` on a wrong key or any
    altered byte, returning nothing.

    **Associated data.** Each image is authenticated together with its shape and, when
    ``identifiers`` are given, its identifier (a study or instance UID, one per image):
    ``decrypt`` must be given the identifiers the receiver expects for those records, so a
    cipher image swapped with another patient's, or filed under another identifier, fails
    authentication. Identifiers are not encrypted and not stored in the cipher image; the
    record they belong to carries them. Without identifiers only the shape is bound, and
    two images encrypted under one key can be exchanged undetected.

    Nonces always come from ``os.urandom`` and cannot be seeded: reusing a GCM nonce under
    one key leaks the XOR of the plaintexts and lets an attacker forge tags. With random
    96-bit nonces, NIST SP 800-38D limits one key to 2³² encryptions.
    """

    name = "aes-gcm"

    @staticmethod
    def _associated_data(shape: tuple[int, ...], identifier: bytes) -> bytes:
        # Length-prefixed fields, so that no (shape, identifier) pair can imitate another.
        shape_field = "x".join(map(str, shape)).encode()
        return b"medcrypt-aes-gcm|" + len(shape_field).to_bytes(2, "big") + shape_field + \
            len(identifier).to_bytes(4, "big") + identifier

    def encrypt(self, images: np.ndarray, key: bytes, identifiers=None) -> CipherImages:
        images = check_images(images, self.name)
        aead = _AESGCM(_check_key(key, self.name))
        ids = _identifiers(identifiers, len(images), self.name)
        out = np.empty_like(images)
        side = np.empty((len(images), GCM_NONCE_BYTES + GCM_TAG_BYTES), dtype=np.uint8)
        for i, image in enumerate(images):
            nonce = os.urandom(GCM_NONCE_BYTES)
            sealed = aead.encrypt(nonce, image.tobytes(), self._associated_data(images.shape[1:], ids[i]))
            out[i] = np.frombuffer(sealed[:-GCM_TAG_BYTES], dtype=np.uint8).reshape(images.shape[1:])
            side[i] = np.frombuffer(nonce + sealed[-GCM_TAG_BYTES:], dtype=np.uint8)
        return CipherImages(out, side)

    def decrypt(self, cipher: np.ndarray, key: bytes, identifiers=None) -> np.ndarray:
        side = getattr(cipher, "side", None)
        if side is None or np.shape(side)[1:] != (GCM_NONCE_BYTES + GCM_TAG_BYTES,):
            raise ValueError(f"{self.name}: decrypt needs the nonces and tags that encrypt() attached; pass the "
                             "CipherImages it returned (or a slice of it along the batch axis), not a plain array")
        pixels = check_images(np.asarray(cipher), self.name, argument="cipher")
        aead = _AESGCM(_check_key(key, self.name))
        ids = _identifiers(identifiers, len(pixels), self.name)
        out = np.empty_like(pixels)
        rejected = []
        for i in range(len(pixels)):
            nonce, tag = side[i, :GCM_NONCE_BYTES].tobytes(), side[i, GCM_NONCE_BYTES:].tobytes()
            try:
                plain = aead.decrypt(nonce, pixels[i].tobytes() + tag, self._associated_data(pixels.shape[1:], ids[i]))
            except InvalidTag:
                rejected.append(i)
                continue
            out[i] = np.frombuffer(plain, dtype=np.uint8).reshape(pixels.shape[1:])
        if rejected:
            shown = ", ".join(map(str, rejected[:10])) + (" ..." if len(rejected) > 10 else "")
            raise AuthenticationError(f"{self.name}: authentication failed for {len(rejected)} of {len(pixels)} "
                                      f"images (index {shown}): wrong key, wrong identifier, or altered "
                                      "ciphertext, nonce or tag")
        return out
