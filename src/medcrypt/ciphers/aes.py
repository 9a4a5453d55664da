"""AES baselines, built on the `cryptography` package (no AES is written here).

AES-256-CTR with a fresh random nonce per image is the *empirical ideal* of every table
in the book: if a learned cipher's statistics are worse than these, the gap is real.

The secret is the 256-bit key. The nonce is public; it travels with the cipher image in
:class:`~medcrypt.ciphers.base.CipherImages.side`.
"""

from __future__ import annotations

import os

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher as _CryptoCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes

from .base import CipherImages, check_images, flip_key_bit, register

KEY_BYTES = 32
NONCE_BYTES = 16


def _check_key(key, who: str) -> bytes:
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise ValueError(f"{who}: key must be {KEY_BYTES} bytes (AES-256); got {type(key).__name__}"
                         f"{' of length ' + str(len(key)) if isinstance(key, (bytes, bytearray)) else ''}")
    return bytes(key)


def _ctr_keystream_xor(data: bytes, key: bytes, nonce: bytes) -> bytes:
    ctx = _CryptoCipher(algorithms.AES(key), modes.CTR(nonce)).encryptor()
    return ctx.update(data) + ctx.finalize()


def _seeded_key(seed: int | None) -> bytes:
    # A seed gives reproducible experiments; a real key must come from os.urandom.
    return os.urandom(KEY_BYTES) if seed is None else np.random.default_rng(seed).bytes(KEY_BYTES)


@register
class AESCTR:
    """AES-256 in counter mode, one fresh 128-bit initial counter block (nonce) per image.

    Secret: the 256-bit key. Lossless. A wrong key decrypts to uniform noise (CTR has no
    authentication; see AES-GCM in chapter 02 for a cipher that *detects* a wrong key).

    ``nonce_seed`` makes the nonces reproducible for the book's tables. It is for
    experiments only: two instances with the same seed and key would reuse nonces.
    """

    name = "aes-ctr"
    family = "baseline"
    lossless = True
    key_bits = 8 * KEY_BYTES

    def __init__(self, nonce_seed: int | None = None):
        self._nonce_rng = None if nonce_seed is None else np.random.default_rng(nonce_seed)

    def keygen(self, seed: int | None = None) -> bytes:
        return _seeded_key(seed)

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return flip_key_bit(key, bit)

    def _nonces(self, n: int) -> np.ndarray:
        raw = os.urandom(n * NONCE_BYTES) if self._nonce_rng is None else self._nonce_rng.bytes(n * NONCE_BYTES)
        return np.frombuffer(raw, dtype=np.uint8).reshape(n, NONCE_BYTES).copy()

    def encrypt(self, images: np.ndarray, key: bytes) -> CipherImages:
        images = check_images(images, self.name)
        key = _check_key(key, self.name)
        nonces = self._nonces(len(images))
        out = np.empty_like(images)
        for i in range(len(images)):
            out[i] = np.frombuffer(_ctr_keystream_xor(images[i].tobytes(), key, nonces[i].tobytes()),
                                   dtype=np.uint8).reshape(images.shape[1:])
        return CipherImages(out, nonces)

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        side = getattr(cipher, "side", None)
        if side is None or np.shape(side)[1:] != (NONCE_BYTES,):
            raise ValueError(
                f"{self.name}: decrypt needs the per-image nonces that encrypt() attached; pass the "
                "CipherImages it returned (or a slice of it along the batch axis), not a plain array"
            )
        pixels = check_images(np.asarray(cipher), self.name, argument="cipher")
        key = _check_key(key, self.name)
        out = np.empty_like(pixels)
        for i in range(len(pixels)):
            out[i] = np.frombuffer(_ctr_keystream_xor(pixels[i].tobytes(), key, side[i].tobytes()),
                                   dtype=np.uint8).reshape(pixels.shape[1:])
        return out


@register
class AESCTRReusedNonce(AESCTR):
    """INSECURE, for teaching only: AES-256-CTR that reuses one nonce for every image.

    Every image is XORed with the same key-stream (a "two-time pad"): the XOR of two
    cipher images equals the XOR of the two plaintexts, and a one-pixel change in the
    plaintext changes exactly one cipher pixel. Chapter 01 uses it to show that the
    differential test (NPCR/UACI) catches this misuse while histogram tests do not.
    """

    name = "aes-ctr-nonce-reuse"

    def _nonces(self, n: int) -> np.ndarray:
        return np.zeros((n, NONCE_BYTES), dtype=np.uint8)
