"""The identity "cipher". NOT A CIPHER: it returns the plaintext unchanged.

It exists only as the negative control of the metric suite: every security metric
must fail on it, exactly as every metric must pass on AES-CTR.
"""

from __future__ import annotations

import numpy as np

from .base import check_images, register, takes_16_bit


@register
@takes_16_bit
class Identity:
    """Returns the plaintext. Key: none (``key_bits = 0``). A sanity check, never a cipher."""

    name = "identity"
    family = "baseline"
    lossless = True
    key_bits = 0

    def keygen(self, seed: int | None = None) -> bytes:
        return b""

    def flip_key_bit(self, key: bytes, bit: int) -> bytes:
        return key  # there is no key bit to flip

    def encrypt(self, images: np.ndarray, key: bytes) -> np.ndarray:
        return check_images(images, self.name).copy()

    def decrypt(self, cipher: np.ndarray, key: bytes) -> np.ndarray:
        return check_images(np.asarray(cipher), self.name, argument="cipher").copy()
